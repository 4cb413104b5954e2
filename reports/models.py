"""A report is a stored build: what was asked (kind, network, period,
language), what happened (queued, running, ready or failed, with the error
and the times), the PDF kept through the storage API with its size, pages
and checksum, and the snapshot of the data it was made from, so a report
sent to the Secretary-General can be shown as it was sent, and a rebuild
says what changed since."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import UploadTo, safe_download_name


class ReportKind(models.TextChoices):
    CHAIR_SUMMARY = "chair-summary", _("Chair's summary report")
    ANNUAL = "annual", _("Annual report")
    BIENNIAL = "biennial", _("Biennial report to the Secretary-General")
    WORKPLAN_PROGRESS = "workplan-progress", _("Workplan progress report")
    MEMBERSHIP_UPDATE = "membership-update", _("Executive committee membership update")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


IN_FLIGHT = (BuildStatus.QUEUED, BuildStatus.RUNNING)


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")


class ReportBuild(models.Model):
    kind = models.CharField(_("report"), max_length=24, choices=ReportKind.choices)
    network = models.ForeignKey(
        "members.Network", on_delete=models.PROTECT, related_name="report_builds"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    # The record the report is about, where the kind names one: the chair
    # term of a chair's summary, the workplan of a progress report.
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    title = models.CharField(_("title"), max_length=300)
    # kind:network:start:end:language:subject: one build in flight per key.
    key = models.CharField(max_length=120, editable=False)
    # The beat occasion that asked for it ("annual:unnm:2026"): once each.
    occasion = models.CharField(max_length=120, blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=UploadTo("reports/%Y"), blank=True, max_length=200)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    # What the data lacks, in words, with where to add it (see builder).
    missing = models.JSONField(default=list, blank=True)
    # What changed since the previous ready build of the same report.
    changes = models.JSONField(default=list, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The register's document this build was published as (reports.publishing).
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_builds",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["queued", "running"]),
                name="report_build_once_in_flight",
            ),
            models.UniqueConstraint(
                fields=["occasion"], condition=~Q(occasion=""), name="report_occasion_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["network", "kind", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def in_flight(self) -> bool:
        return self.status in IN_FLIGHT

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def download_name(self) -> str:
        return safe_download_name(
            f"{self.network.short_name} {self.title} {self.language}", suffix=".pdf"
        )
