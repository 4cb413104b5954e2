from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .limits import LimitedTextField


class WorkerHeartbeat(models.Model):
    """Written by the `core.tasks.heartbeat` task that beat schedules every
    minute: /healthz reads it to tell whether workers and beat are alive,
    whatever the broker."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


# The text of one searchable record, kept by core.search from what each app
# registered (core.registry.search_source): the search page asks this table,
# filtered in the same query by what the user may see in the record's app.
SEARCH_BODY_MAX_CHARS = 200_000


class SearchEntry(models.Model):
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    # Plain numbers, not foreign keys: core names no app's models.
    network_id = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=2, default="en")
    title = models.CharField(max_length=300)
    body = LimitedTextField(blank=True, max_length=SEARCH_BODY_MAX_CHARS)
    url = models.CharField(max_length=300)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL only: title (weight A) and body (weight B) in the record's
    # language, with a GIN index (migration 0003). Null on SQLite.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]
        indexes = [models.Index(fields=["kind", "network_id", "year"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
