from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
)
def send_email(self, message_id: int) -> bool:
    return services.email_send(message_id=message_id)


@shared_task
def flush_outbox() -> int:
    """Send whatever waits in the outbox (after a broker or SMTP outage)."""
    sent = 0
    for message_id in services.outbox_pending_ids():
        try:
            sent += services.email_send(message_id=message_id)
        except Exception:  # left queued, tried again on the next flush
            continue
    return sent
