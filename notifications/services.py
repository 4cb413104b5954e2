from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def email_queue(*, to: str, subject: str, body: str, dedupe_key: str) -> OutboundEmail:
    """Record an e-mail and hand it to a worker once the transaction commits.

    Idempotent on `dedupe_key`: queueing the same occasion twice returns the
    first message and sends nothing more.
    """
    message, created = OutboundEmail.objects.get_or_create(
        dedupe_key=dedupe_key[:200], defaults={"to": to, "subject": subject[:250], "body": body}
    )
    if created:
        transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(message_id: int) -> None:
    from .tasks import send_email

    try:
        send_email.delay(message_id)
    except Exception:  # broker down: the outbox flush sends it later
        log.warning("Broker unavailable; e-mail %s stays queued", message_id, exc_info=True)


def email_send(*, message_id: int) -> bool:
    """Send one queued e-mail exactly once. Returns True when this call sent it;
    raises the transport's error (after recording it) so the task retries."""
    with transaction.atomic():
        message = OutboundEmail.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboundEmail.Status.QUEUED:
            return False
        message.attempts += 1
        try:
            EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
            ).send()
        except Exception as exc:
            error = exc
            message.last_error = str(exc)[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboundEmail.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
        else:
            message.status = OutboundEmail.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            return True
    raise error


def outbox_pending_ids(limit: int = 500) -> list[int]:
    return list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
