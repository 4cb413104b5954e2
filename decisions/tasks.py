"""Decision jobs for Celery beat (config.settings.CELERY_BEAT_SCHEDULE).

Thin: each takes the moment as an ISO date-time (now when beat calls it) and
runs the service job. Safe to run twice, so acknowledged late: closing an
already closed decision changes nothing (services.register.decision_close
locks the row and reads its status), and every message has its dedupe key
in the outbox (services.notices).
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from .services import notices, register

RETRY = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
}


def moment(value: str | None) -> datetime:
    """An ISO date-time (naive: in the site's time zone), or now."""
    if not value:
        return timezone.now()
    parsed = datetime.fromisoformat(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@shared_task(**RETRY)
def close_consultations(now: str | None = None) -> int:
    """Close every open decision whose deadline has passed."""
    return register.close_due(moment(now))


@shared_task(**RETRY)
def send_decision_reminders(now: str | None = None) -> int:
    """Remind the agencies that have not answered, 72 and 24 hours before."""
    return notices.decision_reminders_send(now=moment(now))
