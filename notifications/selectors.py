"""The outbox's reads."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import OutboundEmail

# A message claimed this long ago and still SENDING: its worker died mid-send
# (the mail server's timeout is seconds).
STUCK_AFTER = timedelta(minutes=15)


def undeliverable() -> QuerySet[OutboundEmail]:
    """Messages that need a person: given up (FAILED), or stuck in SENDING
    since a worker died mid-send (perhaps sent, perhaps not)."""
    stuck_since = timezone.now() - STUCK_AFTER
    return OutboundEmail.objects.filter(
        Q(status=OutboundEmail.Status.FAILED)
        | Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=stuck_since)
    )


def undeliverable_count() -> int:
    """How many e-mails need a person: given up, or stuck while sending."""
    return undeliverable().count()
