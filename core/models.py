from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `core.tasks.heartbeat` task that beat schedules every
    minute: /healthz reads it to tell whether workers and beat are alive,
    whatever the broker."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
