"""Workplans (seeds 001, 002): objectives, activities led by agencies, and
the progress their focal points log each quarter."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import KeepsUploadNames, UploadTo
from core.limits import LimitedTextField
from members.models import Network, Organization

# A quarter's progress on one activity: a few paragraphs.
NARRATIVE_MAX_CHARS = 5_000
# Why the percent complete went down: a sentence or two.
DECREASE_REASON_MAX_CHARS = 1_000


class Framework(models.TextChoices):
    GCM = "gcm", _("Global Compact for Migration")
    SDG = "sdg", _("Sustainable Development Goals")


class FrameworkObjective(models.Model):
    """Reference data: the GCM's 23 objectives and SDG target 10.7."""

    framework = models.CharField(max_length=4, choices=Framework.choices)
    code = models.CharField(max_length=20, unique=True)  # "GCM 1", "SDG 10.7"
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["framework", "number"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class WorkplanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


WORKPLAN_TRANSITIONS: dict[str, set[str]] = {
    WorkplanStatus.DRAFT: {WorkplanStatus.APPROVED},
    WorkplanStatus.APPROVED: {WorkplanStatus.CLOSED},
    WorkplanStatus.CLOSED: set(),
}


class Workplan(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="workplans")
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    description = LimitedTextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WorkplanStatus.choices, default=WorkplanStatus.DRAFT
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_reference = models.CharField(
        _("approved by"),
        max_length=200,
        blank=True,
        help_text=_("The decision or meeting that approved it."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="workplan_years_in_order",
                violation_error_message=_("A workplan cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        years = (
            str(self.start_year)
            if self.start_year == self.end_year
            else f"{self.start_year}–{self.end_year}"
        )
        return f"{self.title} ({years})"

    def get_absolute_url(self) -> str:
        return reverse("workplans:detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in WORKPLAN_TRANSITIONS[self.status]


class Objective(models.Model):
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = LimitedTextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["workplan", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["workplan", "code"], name="objective_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")


class Activity(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = LimitedTextField(_("description"), blank=True)
    lead_organizations = models.ManyToManyField(
        Organization, verbose_name=_("lead organizations"), related_name="led_activities"
    )
    partner_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("partner organizations"),
        related_name="partner_activities",
        blank=True,
    )
    task_team = models.ForeignKey(
        "taskteams.TaskTeam",
        verbose_name=_("task team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Its share in the objective's and the workplan's progress (equal by default)."),
    )
    framework_objectives = models.ManyToManyField(
        FrameworkObjective,
        verbose_name=_("framework objectives"),
        related_name="activities",
        blank=True,
    )
    # The latest update's figures, kept here so lists filter and roll up
    # without reading the history (set by the progress service only).
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActivityStatus.choices,
        default=ActivityStatus.NOT_STARTED,
    )
    percent_complete = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[lead_organizations, partner_organizations])

    class Meta:
        ordering = ["objective", "code"]
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="activity_code_once"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="activity_end_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("workplans:activity", args=[self.pk])


class ProgressUpdate(KeepsUploadNames, models.Model):
    """One report on an activity for a quarter. Never overwritten: a later
    report for the same quarter is another row, and the newest counts."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices)
    narrative = LimitedTextField(_("narrative"), max_length=NARRATIVE_MAX_CHARS)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    # Stored under a random name; the sender's (cleaned) is kept for the download.
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to=UploadTo("workplans/evidence/%Y"), blank=True
    )
    evidence_file_name = models.CharField(
        _("evidence file name"), max_length=200, blank=True, editable=False
    )
    # Set when the update lowers the figure that counted before it (the
    # newest update of its quarter or of the latest quarter before it): the
    # figure it went down from, and the reporter's reason (services.progress).
    decreased_from = models.PositiveSmallIntegerField(
        _("went down from (percent)"), null=True, blank=True, editable=False
    )
    decrease_reason = LimitedTextField(
        _("why progress went down"), max_length=DECREASE_REASON_MAX_CHARS, blank=True
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported for")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Who logged it, corrected it (in the admin) or removed it, and when.
    history = HistoricalRecords()

    upload_names = {"evidence_file": "evidence_file_name"}

    class Meta:
        ordering = ["activity", "-year", "-quarter", "-created_at"]
        indexes = [models.Index(fields=["activity", "year", "quarter"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100) & Q(quarter__gte=1) & Q(quarter__lte=4),
                name="progress_values_in_range",
            ),
            # A lower figure is logged only with its reason, and only when lower.
            models.CheckConstraint(
                condition=Q(decreased_from__isnull=True)
                | (Q(decreased_from__gt=models.F("percent_complete")) & ~Q(decrease_reason="")),
                name="progress_decrease_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} {self.year} Q{self.quarter}: {self.percent_complete}%"

    @property
    def period(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def is_decrease(self) -> bool:
        return self.decreased_from is not None


class ProgressReminderSent(models.Model):
    """The secretariat reminded an agency, once, of every activity of a
    workplan it has not reported on for a quarter (the "not reported yet"
    page). The unique constraint is what makes the reminder go once, however
    often and by however many people the button is pressed."""

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "year", "quarter", "organization"],
                name="progress_reminder_once",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="progress_reminder_quarter_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} Q{self.quarter} ({self.workplan_id})"
