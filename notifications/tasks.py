"""Sending the outbox. No task here retries through Celery: a failed message
is scheduled on its row (`next_attempt_at`, backoff over two days) and the
flush picks it up, so no countdown ever outlives the broker's visibility
timeout and no retry can send a message twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_emails(message_ids: list[int]) -> int:
    """Send the messages one transaction queued (published once after commit).

    Safe to run twice (acks_late; a redelivery, two workers): each message is
    claimed QUEUED → SENDING in a committed transaction before the mail server
    is called, so a second run finds it claimed or sent and sends nothing."""
    return services.emails_send(message_ids=message_ids)


@shared_task(acks_late=True)
def send_email(message_id: int) -> bool:
    """Send one message (kept for messages published before `send_emails`).

    Safe to run twice: the same claim as `send_emails` guards the message."""
    return services.email_send(message_id=message_id)


@shared_task(acks_late=True)
def flush_outbox() -> int:
    """Beat, every two minutes: send the queued messages whose next attempt
    is due (after a broker, worker or mail-server outage).

    Safe to run twice, even at the same time: every message is claimed before
    it is sent, and a message stuck in SENDING is never picked up again."""
    return services.outbox_flush()
