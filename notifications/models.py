"""The outbox. Every e-mail the product sends is first a row here, written in
the same transaction as the change it reports; a Celery task sends it after
commit. When Redis or the workers are down the row waits and the periodic
flush sends it once they are back, so no web request fails for a mail.

A message is sent at most once: a sender first claims it (QUEUED → SENDING,
committed on its own), then talks to the mail server outside any database
transaction, then records the outcome. A message left in SENDING (the worker
died mid-send) is never sent again by itself: the dashboard tells the
secretariat and an admin decides ("Send again" in the admin)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
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
    # The schedule: the flush sends a QUEUED message once next_attempt_at has
    # passed; after a failure it moves out with backoff, and the message is
    # given up (FAILED) two days after its first attempt.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    # The claim of the sender that holds it (status SENDING).
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    # A sensitive message (a password-reset link) loses its body once sent or given up.
    sensitive = models.BooleanField(default=False)
    redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"
