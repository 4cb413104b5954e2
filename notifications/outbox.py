"""Queueing the outbox: record a message in the caller's transaction, publish
one task per transaction after commit, and let an admin send again what could
not be sent. The sending itself is in `services`, run by `tasks`:

    outbox (queue, publish)  ->  tasks (thin)  ->  services (claim, send, record)

so nothing below imports back up.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.publish import publish_once

from .models import OutboundEmail
from .selectors import undeliverable
from .tasks import send_emails

# --- queueing ---------------------------------------------------------------------


def email_queue(
    *, to: str, subject: str, body: str, dedupe_key: str, sensitive: bool = False
) -> OutboundEmail:
    """Record an e-mail; it is handed to a worker once the transaction commits.

    Idempotent on `dedupe_key`: queueing the same occasion twice returns the
    first message and sends nothing more. All messages queued in one
    transaction go to the broker as ONE task, published once after commit.
    A `sensitive` message (a password-reset link) keeps its body only until it
    is sent or given up, and its dedupe key is stored hashed.
    """
    key = dedupe_key
    if sensitive:
        key = "sensitive:" + hashlib.sha256(dedupe_key.encode()).hexdigest()
    message, created = OutboundEmail.objects.get_or_create(
        dedupe_key=key[:200],
        defaults={"to": to, "subject": subject[:250], "body": body, "sensitive": sensitive},
    )
    if created:
        _dispatch_on_commit(message.pk)
    return message


class _CommitBatch(list):
    """The ids queued in one transaction, published by one on-commit hook."""

    def __init__(self) -> None:
        super().__init__()
        self.done = False
        self.hook = self.dispatch  # one bound method, found again by identity

    def dispatch(self) -> None:
        self.done = True
        dispatch(list(self))


def _dispatch_on_commit(message_id: int) -> None:
    """Add the message to this transaction's batch (one publish after commit)."""
    connection = transaction.get_connection()
    batch = getattr(connection, "_outbox_batch", None)
    if (
        batch is not None
        and not batch.done
        and any(hook is batch.hook for _, hook, _ in connection.run_on_commit)
    ):
        batch.append(message_id)
        return
    # A new batch: none pending, the last one ran, or its hook went away with
    # a rolled-back savepoint. Outside a transaction the hook runs at once.
    batch = _CommitBatch()
    batch.append(message_id)
    connection._outbox_batch = batch
    transaction.on_commit(batch.hook)


def dispatch(message_ids: list[int]) -> bool:
    """Publish one task for these messages: one connection attempt, no
    publish retry. With the broker down it logs one line and returns False;
    the messages wait in the outbox for the flush. Never raises."""
    if not message_ids:
        return False
    return publish_once(
        send_emails,
        args=[message_ids],
        what=f"{len(message_ids)} e-mail(s) stay queued for the outbox flush",
    )


# --- what could not be sent ---------------------------------------------------------


def emails_send_again(*, messages: QuerySet[OutboundEmail]) -> tuple[int, int]:
    """Queue failed or stuck messages again with a fresh schedule (two more
    days of retries) and hand them to a worker after commit. A sensitive
    message whose body was already removed cannot be sent again. Returns
    (queued again, skipped)."""
    with transaction.atomic():
        ids = list(
            undeliverable()
            .filter(pk__in=messages.values("pk"), redacted_at__isnull=True)
            .values_list("pk", flat=True)
        )
        skipped = messages.count() - len(ids)
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.QUEUED,
            next_attempt_at=timezone.now(),
            first_attempt_at=None,
            attempts=0,
            claim_token=None,
            claimed_at=None,
        )
        if ids:
            transaction.on_commit(lambda: dispatch(ids))
    return len(ids), skipped
