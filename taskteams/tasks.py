"""The review reminder job for Celery beat (config.settings.CELERY_BEAT_SCHEDULE).

Thin: takes the day as an ISO date (today when beat calls it) and runs
taskteams.services.review_reminders_send. Safe to run twice, so acknowledged late (acks_late, through meetings.tasks.RETRY):
the outbox's unique dedupe key (per review date and recipient) makes a second
run, a retry or a redelivery queue nothing new, and each message is sent at
most once.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from meetings.tasks import RETRY

from . import services


@shared_task(**RETRY)
def send_review_reminders(today: str | None = None) -> int:
    """Remind task teams of reviews falling due. Safe to run twice: dedupe key
    per review date and recipient."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.review_reminders_send(today=day)
