import socket

from celery import shared_task
from django.utils import timezone

from core.models import WorkerHeartbeat


@shared_task
def heartbeat() -> str:
    """Scheduled every minute by beat: proves beat, broker and a worker work."""
    host = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=host, defaults={"seen_at": timezone.now()})
    return host
