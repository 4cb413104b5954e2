"""The outbox. Every e-mail the product sends is first a row here, written in
the same transaction as the change it reports; a Celery task sends it after
commit. When Redis or the workers are down the row waits and the periodic
flush sends it once they are back, so no web request fails for a mail."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # Unique: the same occasion never produces two messages to one recipient.
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"
