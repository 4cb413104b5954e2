import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from core.models import WorkerHeartbeat


@shared_task(acks_late=True)
def heartbeat() -> str:
    """Scheduled every minute by beat: proves beat, broker and a worker work.

    Safe to run twice (acks_late): it sets this host's `seen_at` to now with
    update_or_create, one row per host however often it runs."""
    host = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=host, defaults={"seen_at": timezone.now()})
    return host


@worker_ready.connect
def heartbeat_on_start(sender=None, **kwargs) -> None:
    """Say so at once when a worker starts, not a minute later at the first beat."""
    try:
        heartbeat()
    except Exception:  # the database may not be up yet: beat will tell soon
        pass


@shared_task(acks_late=True)
def clear_expired_sessions() -> None:
    """Daily, from beat: delete the session rows past their expiry, so the
    table does not grow with every sign-in. Safe to run twice (acks_late): a
    second run finds nothing left to delete."""
    from django.core.management import call_command

    call_command("clearsessions")
