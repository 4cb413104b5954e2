"""Decisions (seeds 001-003): the network's register of what it agreed, by
consensus of its member agencies, and whether it was carried out.

A decision belongs to a network and a deciding body. It is taken at a
meeting (recorded from the minutes), by written consultation (each member
agency of the body states a position until a deadline) or by silence
procedure (adopted at the deadline unless a member objects). Its text is
versioned: a revision is a new `DecisionVersion`, and a position says which
version it was given on. When it is adopted it gets a reference number,
unique and readable (`UNNM/EC/2026/07`). No consensus opens the network's
escalation ladder (`EscalationRung`), step by step (`EscalationStep`). An
adopted decision is carried out through follow-up actions: the meetings'
action points (`meetings.ActionPoint`), linked here (`DecisionAction`), so
that meeting action points and decision actions are one list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import LimitedTextField
from meetings.models import ActionPoint, AgendaItem, Meeting
from members.models import MembershipApplication, Network, Organization
from taskteams.models import TaskTeam
from workplans.models import FrameworkObjective, Workplan

DECISION_TEXT_MAX_CHARS = 20_000
STATEMENT_MAX_CHARS = 2_000


class Body(models.TextChoices):
    """Who decides: the member agencies of this body each state a position."""

    PRINCIPALS = "principals", _("Principals")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    ANNUAL_MEETING = "annual_meeting", _("Full membership (annual meeting)")
    WORKING_LEVEL = "working_level", _("Working level")
    TASK_TEAM = "task_team", _("Task team")


# The body's part of a reference number: UNNM/EC/2026/07.
BODY_CODES = {
    Body.PRINCIPALS: "P",
    Body.EXECUTIVE_COMMITTEE: "EC",
    Body.ANNUAL_MEETING: "AM",
    Body.WORKING_LEVEL: "WL",
    Body.TASK_TEAM: "TT",
}


class Procedure(models.TextChoices):
    MEETING = "meeting", _("Taken at a meeting")
    WRITTEN = "written", _("Written consultation")
    SILENCE = "silence", _("Silence procedure")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    NO_CONSENSUS = "no_consensus", _("No consensus")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The allowed moves. "open" → "open" is a revision reopened (a new version,
# a new deadline); "no consensus" → "open" likewise, after escalation.
DECISION_TRANSITIONS: dict[str, set[str]] = {
    DecisionStatus.DRAFT: {DecisionStatus.OPEN, DecisionStatus.ADOPTED, DecisionStatus.WITHDRAWN},
    DecisionStatus.OPEN: {
        DecisionStatus.OPEN,
        DecisionStatus.ADOPTED,
        DecisionStatus.NO_CONSENSUS,
        DecisionStatus.WITHDRAWN,
    },
    DecisionStatus.NO_CONSENSUS: {
        DecisionStatus.OPEN,
        DecisionStatus.ADOPTED,
        DecisionStatus.NOT_ADOPTED,
        DecisionStatus.WITHDRAWN,
    },
    DecisionStatus.ADOPTED: set(),
    DecisionStatus.NOT_ADOPTED: set(),
    DecisionStatus.WITHDRAWN: set(),
}
CLOSED_STATUSES = (DecisionStatus.ADOPTED, DecisionStatus.NOT_ADOPTED, DecisionStatus.WITHDRAWN)


class Decision(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="decisions")
    body = models.CharField(_("deciding body"), max_length=24, choices=Body.choices)
    task_team = models.ForeignKey(
        TaskTeam,
        verbose_name=_("task team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("When the task team decides."),
    )
    procedure = models.CharField(_("procedure"), max_length=10, choices=Procedure.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    # The current version's title and text (DecisionVersion keeps each one).
    title = models.CharField(_("title"), max_length=300)
    text = LimitedTextField(_("text (Markdown)"), max_length=DECISION_TEXT_MAX_CHARS)
    version = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(
        Organization,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # An exact time; shown in the network's time zone.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why it was closed before its deadline, withdrawn or not adopted.
    closing_note = models.CharField(_("reason"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    # Given when adopted: NETWORK/BODY/YEAR/NN, unique.
    reference = models.CharField(_("reference"), max_length=60, null=True, blank=True, unique=True)
    reference_year = models.PositiveSmallIntegerField(null=True, blank=True)
    reference_number = models.PositiveIntegerField(null=True, blank=True)

    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the network's public pages once adopted.")
    )
    topics = models.ManyToManyField(
        FrameworkObjective, verbose_name=_("topics"), related_name="decisions", blank=True
    )
    # What it concerns, and what came of it.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    application = models.ForeignKey(
        MembershipApplication,
        verbose_name=_("membership application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    workplan = models.ForeignKey(
        Workplan,
        verbose_name=_("workplan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    related_task_team = models.ForeignKey(
        TaskTeam,
        verbose_name=_("task team concerned"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions_about",
    )
    # Recorded from the approved minutes of `meeting`: the place of the
    # decision among the minutes' decisions (1, 2, …), the link back to them.
    minutes_item = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    actions = models.ManyToManyField(
        ActionPoint, through="DecisionAction", related_name="decisions", blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["network", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "body", "reference_year", "reference_number"],
                condition=Q(reference_number__isnull=False),
                name="decision_reference_number_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(reference__isnull=False),
                name="decision_adopted_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(body="task_team") | Q(task_team__isnull=False),
                name="decision_task_team_body_names_the_team",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(deadline__isnull=False),
                name="decision_open_has_deadline",
            ),
            models.UniqueConstraint(
                fields=["meeting", "minutes_item"],
                condition=Q(minutes_item__isnull=False),
                name="decision_minutes_item_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in DECISION_TRANSITIONS[self.status]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def takes_positions(self) -> bool:
        return self.status == DecisionStatus.OPEN and self.procedure != Procedure.MEETING


class DecisionVersion(models.Model):
    """A text as it was opened or revised: positions say which one they answer."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = LimitedTextField(max_length=DECISION_TEXT_MAX_CHARS)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="decision_version_once")
        ]

    def __str__(self) -> str:
        return f"v{self.number} of {self.decision_id}"


class Stance(models.TextChoices):
    SUPPORT = "support", _("Support")
    RESERVATION = "reservation", _("Support with a reservation")
    ABSTAIN = "abstain", _("Abstain")
    OBJECT = "object", _("Object")


# A statement is required with these (a reservation says what it reserves,
# an objection why).
STATEMENT_REQUIRED = (Stance.RESERVATION, Stance.OBJECT)


class Position(models.Model):
    """One per member agency of the deciding body; it can change until the
    deadline (the history keeps each change)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("position"), max_length=12, choices=Stance.choices)
    statement = LimitedTextField(_("statement"), max_length=STATEMENT_MAX_CHARS, blank=True)
    version = models.PositiveIntegerField(_("on version"))
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Recorded by the secretariat for the agency (received by e-mail or at a
    # meeting): says how it was received.
    recorded_for_agency = models.BooleanField(default=False)
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    stated_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "organization__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organization"], name="decision_position_once_per_agency"
            ),
            models.CheckConstraint(
                condition=~Q(stance__in=["reservation", "object"]) | ~Q(statement=""),
                name="decision_position_statement_when_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.stance} on {self.decision_id}"


class EscalationRung(models.Model):
    """A step of a network's escalation ladder, in order. A network with no
    rungs uses the ladder of its governance (services.escalation)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="escalation_rungs")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("step"), max_length=300)

    class Meta:
        ordering = ["network", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class EscalationOutcome(models.TextChoices):
    PENDING = "pending", _("Under way")
    NEXT = "next", _("No agreement: go to the next step")
    ADOPTED = "adopted", _("Agreed: adopted")
    REVISE = "revise", _("Agreed to revise the text")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EscalationStep(models.Model):
    """Who did what, when, with what result, on the way out of no consensus."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="escalation")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(_("step"), max_length=300)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=EscalationOutcome.choices,
        default=EscalationOutcome.PENDING,
    )
    result = LimitedTextField(_("what was done and with what result"), max_length=2_000, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="escalation_step_once"),
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(outcome="pending"),
                name="escalation_one_step_under_way",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DecisionAction(models.Model):
    """A follow-up action (an action point) that carries a decision out."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="action_links")
    action = models.OneToOneField(
        ActionPoint, on_delete=models.CASCADE, related_name="decision_link"
    )

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.action_id}"


class DecisionSettings(models.Model):
    """A network's decision settings (defaults when it has none)."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="decision_settings"
    )
    silence_hours = models.PositiveSmallIntegerField(
        _("shortest silence procedure (hours)"),
        default=72,
        help_text=_("A silence procedure lasts at least this long."),
    )

    def __str__(self) -> str:
        return f"Decision settings of {self.network}"
