"""The review reminder job for Celery beat (config.settings.CELERY_BEAT_SCHEDULE).

Thin: takes the day as an ISO date (today when beat calls it) and runs
taskteams.services.review_reminders_send. Idempotent: the outbox's dedupe
key makes a second run, or a retry, queue nothing new.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from meetings.tasks import RETRY

from . import services


@shared_task(**RETRY)
def send_review_reminders(today: str | None = None) -> int:
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.review_reminders_send(today=day)
