"""Reminder jobs for Celery beat (config.settings.CELERY_BEAT_SCHEDULE).

Thin: each takes the day as an ISO date (today when beat calls it) and runs
the service job of meetings.services.reminders. Safe to run twice, so acknowledged late (acks_late): the outbox's unique
dedupe key (one per recipient and occasion) makes a second run, a retry or a
redelivery queue nothing new, and each message is sent at most once; so a run
that failed half-way (the database restarting, say) is simply retried. Retry
countdowns stay under the broker's visibility timeout (at most 16 minutes).
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import actions, reminders

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
def send_quarterly_reminders(today: str | None = None) -> int:
    """Ask chairs to convene a meeting this quarter. Safe to run twice: dedupe
    key per network, quarter and recipient."""
    return reminders.quarterly_reminders_send(today=_day(today))


@shared_task(**RETRY)
def send_meeting_reminders(today: str | None = None) -> int:
    """Remind unanswered invitations. Safe to run twice: dedupe key per
    participant and meeting date."""
    return reminders.meeting_reminders_send(today=_day(today))


@shared_task(**RETRY)
def send_minutes_reminders(today: str | None = None) -> int:
    """Remind overdue minutes. Safe to run twice: dedupe key per meeting and
    recipient."""
    return reminders.minutes_reminders_send(today=_day(today))


@shared_task(**RETRY)
def send_overdue_action_reminders(today: str | None = None) -> int:
    """Remind overdue follow-up actions to their owner agency. Safe to run
    twice: dedupe key per action, due date and recipient."""
    return actions.overdue_reminders_send(today=_day(today))


# The task of each job, by the name `manage.py send_reminders` takes.
TASKS = {
    "quarterly": send_quarterly_reminders,
    "before": send_meeting_reminders,
    "minutes": send_minutes_reminders,
}
