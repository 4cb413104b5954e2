"""Sending the outbox: send a message at most once, retry it with backoff for
two days (queueing and publishing are in `outbox`, which the tasks follow).

Sending a message is three steps, never one transaction around the mail
server: claim it (QUEUED → SENDING, committed on its own), talk to the mail
server with no transaction open, record the outcome in another short
transaction. A retry, a task delivered twice or a flush racing a worker finds
the message claimed or sent and does nothing.
"""

from __future__ import annotations

import logging
import random
import smtplib
import socket
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboundEmail

log = logging.getLogger(__name__)

# Retry schedule after a failed attempt: 1, 2, 4 … minutes, at most 4 hours
# apart, with jitter, until two days after the first attempt.
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=4)
GIVE_UP_AFTER = timedelta(hours=48)
REDACTED_BODY = "[redacted after sending]"
FLUSH_BATCH = 500

# Errors that say the mail server itself is unreachable: a batch stops at the
# first one and leaves the rest queued for the flush, instead of waiting out
# the connect timeout once per message.
SERVER_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)


# --- sending ----------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 …
    minutes, at most 4 hours, with "equal jitter" (between half and all of it)
    so messages that failed together do not retry together."""
    exponent = min(max(attempts, 1) - 1, 20)
    delay = min(RETRY_BASE * (2**exponent), RETRY_MAX)
    return delay / 2 + delay / 2 * random.random()


def _claim(message_id: int) -> OutboundEmail | None:
    """Mark the message SENDING, in a transaction of its own, if it is QUEUED.
    One conditional UPDATE: of two senders racing, one wins."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        claimed = OutboundEmail.objects.filter(
            pk=message_id, status=OutboundEmail.Status.QUEUED
        ).update(
            status=OutboundEmail.Status.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
        if not claimed:
            return None
        message = OutboundEmail.objects.get(pk=message_id)
        if message.first_attempt_at is None:
            message.first_attempt_at = now
            message.save(update_fields=["first_attempt_at"])
    return message


def _is_permanent(exc: BaseException) -> bool:
    """A 5xx answer about this message (an address that does not exist): no
    retry will change it."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _record_sent(message: OutboundEmail) -> None:
    now = timezone.now()
    fields = {
        "status": OutboundEmail.Status.SENT,
        "sent_at": now,
        "last_error": "",
        "claim_token": None,
    }
    if message.sensitive:
        fields.update(body=REDACTED_BODY, redacted_at=now)
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
            **fields
        )


def _record_failure(message: OutboundEmail, exc: BaseException) -> str:
    """Back to QUEUED with the next attempt scheduled, or FAILED when the
    error is permanent or two days have passed. Returns the new status."""
    now = timezone.now()
    given_up = _is_permanent(exc) or now - message.first_attempt_at >= GIVE_UP_AFTER
    fields: dict = {"last_error": f"{type(exc).__name__}: {exc}"[:2000], "claim_token": None}
    if given_up:
        fields["status"] = OutboundEmail.Status.FAILED
        if message.sensitive:
            fields.update(body=REDACTED_BODY, redacted_at=now)
    else:
        fields["status"] = OutboundEmail.Status.QUEUED
        fields["next_attempt_at"] = now + retry_delay(message.attempts)
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
            **fields
        )
    return fields["status"]


def emails_send(*, message_ids: Iterable[int]) -> int:
    """Send each of these messages that is still QUEUED, at most once.
    Returns how many this call sent.

    Must run outside any transaction (a task or the flush): the mail server is
    never called with the database locked. A failed message is recorded and
    scheduled again; when the server is unreachable the batch stops and the
    rest stays queued for the flush. Never raises for a mail error.
    """
    sent = 0
    for message_id in message_ids:
        message = _claim(message_id)
        if message is None:  # sent, claimed by another sender, failed, or gone
            continue
        try:
            EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
            ).send()
        except Exception as exc:
            status = _record_failure(message, exc)
            log.warning("E-mail %s not sent, now %s: %r", message.pk, status, exc)
            if isinstance(exc, SERVER_DOWN_ERRORS):
                break
        else:
            _record_sent(message)
            sent += 1
    return sent


def email_send(*, message_id: int) -> bool:
    """Send one message at most once. True when this call sent it."""
    return emails_send(message_ids=[message_id]) == 1


def outbox_due_ids(limit: int = FLUSH_BATCH) -> list[int]:
    """Queued messages whose next attempt is due, oldest schedule first."""
    return list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_flush() -> int:
    """Send what is due (after a broker, worker or mail-server outage)."""
    return emails_send(message_ids=outbox_due_ids())
