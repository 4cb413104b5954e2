"""Progress-reporting jobs for Celery beat (config.settings.CELERY_BEAT_SCHEDULE).

Thin: each takes the day as an ISO date (today when beat calls it) and runs
the service job of workplans.services.reminders. Idempotent: the outbox's
dedupe key makes a second run, or a retry, queue nothing new; so a run that
failed half-way is simply retried.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import reminders

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 5,
}


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task(**RETRY)
def send_progress_requests(today: str | None = None) -> int:
    return reminders.progress_requests_send(today=_day(today))


@shared_task(**RETRY)
def send_progress_missing_reminders(today: str | None = None) -> int:
    return reminders.progress_missing_send(today=_day(today))


# The task of each job, by the name `manage.py send_progress_reminders` takes.
TASKS = {
    "request": send_progress_requests,
    "missing": send_progress_missing_reminders,
}
