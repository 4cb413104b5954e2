"""Progress-reporting jobs for Celery beat (config.settings.CELERY_BEAT_SCHEDULE).

Thin: each takes the day as an ISO date (today when beat calls it) and runs
the service job of workplans.services.reminders. Safe to run twice, so acknowledged late (acks_late): the outbox's unique
dedupe key (per activity, agency, quarter and recipient) makes a second run, a
retry or a redelivery queue nothing new, and each message is sent at most
once; so a run that failed half-way is simply retried. Retry countdowns stay
under the broker's visibility timeout (at most 16 minutes).
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import reminders

RETRY = {
    "acks_late": True,
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
    """Ask for the quarter's progress. Safe to run twice: dedupe key per
    activity, agency, quarter and recipient."""
    return reminders.progress_requests_send(today=_day(today))


@shared_task(**RETRY)
def send_progress_missing_reminders(today: str | None = None) -> int:
    """Remind progress still missing. Safe to run twice: dedupe key per
    activity, agency, quarter and recipient."""
    return reminders.progress_missing_send(today=_day(today))


# The task of each job, by the name `manage.py send_progress_reminders` takes.
TASKS = {
    "request": send_progress_requests,
    "missing": send_progress_missing_reminders,
}
