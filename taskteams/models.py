"""Task teams and working groups (seed 002): set up per decision with a
focus, a composition, co-chairs and terms of reference, reviewed periodically."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import KeepsUploadNames, UploadTo
from core.limits import LimitedTextField
from members.models import Network, Organization, Person


class TaskTeamKind(models.TextChoices):
    TASK_TEAM = "task_team", _("Task team")
    WORKING_GROUP = "working_group", _("Working group")


class TaskTeamStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


TASK_TEAM_TRANSITIONS: dict[str, set[str]] = {
    TaskTeamStatus.PROPOSED: {TaskTeamStatus.ACTIVE, TaskTeamStatus.CLOSED},
    TaskTeamStatus.ACTIVE: {TaskTeamStatus.CLOSED},
    TaskTeamStatus.CLOSED: set(),
}


def tor_document_path(instance: TaskTeam, filename: str) -> str:
    """Kept for migration 0001; documents are stored by `UploadTo` now."""
    return UploadTo("taskteams/{instance.network_id}")(instance, filename)


class TaskTeam(KeepsUploadNames, models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="task_teams")
    kind = models.CharField(
        _("kind"), max_length=20, choices=TaskTeamKind.choices, default=TaskTeamKind.TASK_TEAM
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60)
    focus = LimitedTextField(_("focus"))
    terms_of_reference = LimitedTextField(_("terms of reference"), blank=True)
    # Stored under a random name; the sender's (cleaned) is kept for the download.
    tor_document = models.FileField(
        _("terms of reference (document)"),
        upload_to=UploadTo("taskteams/{instance.network_id}"),
        blank=True,
    )
    tor_document_name = models.CharField(
        _("terms of reference file name"), max_length=200, blank=True, editable=False
    )
    co_chairs = models.ManyToManyField(
        Organization, verbose_name=_("co-chairs"), related_name="co_chaired_task_teams", blank=True
    )
    member_organizations = models.ManyToManyField(
        Organization, verbose_name=_("member organizations"), related_name="task_teams", blank=True
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), related_name="task_teams", blank=True
    )
    established = models.DateField(_("established"), null=True, blank=True)
    establishing_decision = models.CharField(
        _("established by"),
        max_length=200,
        blank=True,
        help_text=_("The decision that set it up, e.g. Regional Network meeting of 12 May 2021."),
    )
    end_date = models.DateField(_("ends"), null=True, blank=True, help_text=_("When time-bound."))
    next_review = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskTeamStatus.choices, default=TaskTeamStatus.PROPOSED
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[co_chairs, member_organizations])

    upload_names = {"tor_document": "tor_document_name"}

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("task team")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="taskteam_slug_per_network"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(established__isnull=True)
                | Q(end_date__gte=models.F("established")),
                name="taskteam_ends_after_established",
                violation_error_message=_("A task team cannot end before it is established."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("taskteams:detail", args=[self.network.slug, self.slug])

    def can_move_to(self, status: str) -> bool:
        return status in TASK_TEAM_TRANSITIONS[self.status]
