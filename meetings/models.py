"""Meetings of a network: the meeting itself, its agenda, who takes part,
its minutes (versioned) and the action points they record."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import timezones
from core.files import KeepsUploadNames, UploadTo
from core.limits import (
    MINUTES_MAX_CHARS,
    SHORT_TEXT_MAX_CHARS,
    LimitedTextField,
)
from members.models import ChairTerm, Network, Organization, Person

# A member's comment on circulated minutes: a few paragraphs.
COMMENT_MAX_CHARS = 5_000


class MeetingLevel(models.TextChoices):
    PRINCIPALS = "principals", _("Principals")
    WORKING = "working", _("Working level")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    ANNUAL = "annual", _("Annual meeting of the full membership")
    TASK_TEAM = "task_team", _("Task team")
    AD_HOC = "ad_hoc", _("Ad hoc")


# Whole sentences, one per level: a label glued after an article reads "A
# executive committee meeting" in English and worse in other languages.
INVITATION_LEADS = {
    MeetingLevel.PRINCIPALS: _(
        "A principals' meeting invites these people of the member agencies."
    ),
    MeetingLevel.WORKING: _("A working-level meeting invites these people of the member agencies."),
    MeetingLevel.EXECUTIVE_COMMITTEE: _(
        "An executive committee meeting invites these people of the member agencies."
    ),
    MeetingLevel.ANNUAL: _(
        "An annual meeting of the full membership invites these people of the member agencies."
    ),
    MeetingLevel.TASK_TEAM: _("A task team meeting invites these people of the member agencies."),
    MeetingLevel.AD_HOC: _("An ad hoc meeting invites these people of the member agencies."),
}

# Regular meetings are the ones the quarterly rhythm of seed 000 counts.
REGULAR_LEVELS = {
    MeetingLevel.PRINCIPALS,
    MeetingLevel.WORKING,
    MeetingLevel.EXECUTIVE_COMMITTEE,
    MeetingLevel.ANNUAL,
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGENDA_CIRCULATED = "agenda_circulated", _("Agenda circulated")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
    CANCELLED = "cancelled", _("Cancelled")


MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNED: {
        MeetingStatus.AGENDA_CIRCULATED,
        MeetingStatus.HELD,
        MeetingStatus.CANCELLED,
    },
    MeetingStatus.AGENDA_CIRCULATED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: {MeetingStatus.MINUTES_APPROVED},
    MeetingStatus.MINUTES_APPROVED: set(),
    MeetingStatus.CANCELLED: set(),
}


def validate_time_zone(value: str) -> None:
    """The meeting's zone (named here for its migrations): core.timezones."""
    timezones.validate_time_zone(value)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self) -> MeetingQuerySet:
        return self.filter(end__gte=timezone.now()).exclude(status=MeetingStatus.CANCELLED)

    def regular(self) -> MeetingQuerySet:
        return self.filter(level__in=REGULAR_LEVELS)


class Meeting(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="meetings")
    level = models.CharField(_("level"), max_length=20, choices=MeetingLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Zurich",
        validators=[validate_time_zone],
        help_text=_("The time zone of the place (or of the chair, for an online meeting)."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    chair_term = models.ForeignKey(
        ChairTerm,
        verbose_name=_("chair term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    prepares = models.ForeignKey(
        "self",
        verbose_name=_("prepares"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preparatory_meetings",
        help_text=_("The principals' meeting this working-level meeting prepares."),
    )
    task_team = models.ForeignKey(
        "taskteams.TaskTeam",
        verbose_name=_("task team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("For a task team meeting: the team that meets."),
    )
    proposals_deadline = models.DateTimeField(
        _("cut-off for agenda proposals"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancel_reason = LimitedTextField(
        _("reason for cancelling"), blank=True, max_length=SHORT_TEXT_MAX_CHARS
    )
    notes = LimitedTextField(
        _("notes"), blank=True, help_text=_("Context for members: who was invited and why.")
    )
    agenda_circulated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A change reason can be long: an approval without circulation says why.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        indexes = [models.Index(fields=["network", "start"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="meeting_end_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.local_start:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    # The wall-clock time of the meeting's place. Marked so that templates
    # show it as it is, instead of converting it to the site's time zone.
    @property
    def local_start(self) -> datetime:
        return do_timezone(self.start, self.tz)

    @property
    def local_end(self) -> datetime:
        return do_timezone(self.end, self.tz)

    def in_local_time(self, value: datetime | None) -> datetime | None:
        """Any moment, as the wall-clock time of the meeting's place (and
        marked so that templates show it as it is)."""
        return do_timezone(value, self.tz) if value else None

    @property
    def invitation_lead(self) -> str:
        """Whom the invitation page invites, said for this meeting's level."""
        return str(INVITATION_LEADS[MeetingLevel(self.level)])

    @property
    def mode(self) -> str:
        if self.online_url and (self.city or self.venue):
            return _("Hybrid")
        if self.online_url:
            return _("Online")
        return _("In person")

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.venue, self.city) if p)

    @property
    def is_regular(self) -> bool:
        return self.level in REGULAR_LEVELS

    def can_move_to(self, status: str) -> bool:
        return status in MEETING_TRANSITIONS[self.status]

    def accepts_proposals(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        if self.status not in (MeetingStatus.PLANNED,):
            return False
        return self.proposals_deadline is None or at <= self.proposals_deadline

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A meeting must end after it starts.")})
        if not (self.city or self.venue or self.online_url):
            raise ValidationError(_("Give a place (city or venue), an online link, or both."))
        if self.proposals_deadline and self.start and self.proposals_deadline > self.start:
            raise ValidationError(
                {"proposals_deadline": _("The cut-off for proposals must be before the meeting.")}
            )
        if self.task_team_id and self.level != MeetingLevel.TASK_TEAM:
            raise ValidationError({"task_team": _("Only a task team meeting names a task team.")})
        if self.task_team_id and self.task_team.network_id != self.network_id:
            raise ValidationError({"task_team": _("This task team belongs to another network.")})
        if self.prepares_id and self.prepares_id == self.pk:
            raise ValidationError({"prepares": _("A meeting cannot prepare itself.")})


class AgendaItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DEFERRED = "deferred", _("Deferred")
    DECLINED = "declined", _("Declined")


class AgendaItemKind(models.TextChoices):
    REGULAR = "regular", _("Item")
    PREVIOUS_MINUTES = "previous_minutes", _("Approval of the previous minutes")
    ACTION_POINTS = "action_points", _("Open action points")


def agenda_paper_path(instance: AgendaItem, filename: str) -> str:
    """Kept for migration 0001; papers are stored by `UploadTo` now."""
    return UploadTo("meetings/{instance.meeting_id}/papers")(instance, filename)


class AgendaItem(KeepsUploadNames, models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    kind = models.CharField(
        max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.REGULAR
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = LimitedTextField(_("purpose"), blank=True)
    presenter = models.ForeignKey(
        Organization,
        verbose_name=_("presented by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_wanted = models.PositiveSmallIntegerField(_("time wanted (minutes)"), default=15)
    # Stored under a random name; the sender's (cleaned) is kept for the download.
    paper = models.FileField(
        _("paper"), upload_to=UploadTo("meetings/{instance.meeting_id}/papers"), blank=True
    )
    paper_name = models.CharField(
        _("paper's file name"), max_length=200, blank=True, editable=False
    )
    paper_url = models.URLField(_("link to papers"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by_org = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AgendaItemStatus.choices, default=AgendaItemStatus.PROPOSED
    )
    chair_note = LimitedTextField(
        _("note from the chair"), blank=True, max_length=SHORT_TEXT_MAX_CHARS
    )
    position = models.PositiveIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    upload_names = {"paper": "paper_name"}

    class Meta:
        ordering = ["meeting", "position", "created_at"]
        verbose_name = _("agenda item")

    def __str__(self) -> str:
        return self.title


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ATTENDING = "attending", _("Attending")
    DELEGATE = "delegate", _("Sending a delegate")
    APOLOGIES = "apologies", _("Apologies")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Apologies")
    ABSENT = "absent", _("Absent")


class Participant(models.Model):
    """An invitation: an organization, and the person invited for it (a
    member agency's principal or focal point, or a guest organization)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    is_guest = models.BooleanField(_("guest"), default=False)
    response = models.CharField(max_length=12, choices=Response.choices, default=Response.PENDING)
    delegate_name = models.CharField(_("delegate"), max_length=150, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        max_length=12, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "organization__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="participant_person_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organization"],
                condition=Q(person__isnull=True),
                name="participant_organization_once",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.organization.acronym
        return f"{who} at {self.meeting_id}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comment")
    APPROVED = "approved", _("Approved")


MINUTES_TRANSITIONS: dict[str, set[str]] = {
    MinutesStatus.DRAFT: {MinutesStatus.CIRCULATED, MinutesStatus.APPROVED},
    MinutesStatus.CIRCULATED: {MinutesStatus.DRAFT, MinutesStatus.APPROVED},
    MinutesStatus.APPROVED: set(),
}


class Minutes(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    body = LimitedTextField(_("minutes (Markdown)"), blank=True, max_length=MINUTES_MAX_CHARS)
    decisions = LimitedTextField(
        _("decisions taken (Markdown)"), blank=True, max_length=MINUTES_MAX_CHARS
    )
    # Bumped on every save: an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=0)
    comment_deadline = models.DateTimeField(_("comments until"), null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Who circulated, withdrew or approved, and when; the texts themselves
    # are kept in MinutesVersion.
    history = HistoricalRecords(
        excluded_fields=["body", "decisions"],
        # An approval without circulation keeps its stated reason here.
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    def can_move_to(self, status: str) -> bool:
        return status in MINUTES_TRANSITIONS[self.status]


class MinutesVersion(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=MinutesStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_once")
        ]

    def __str__(self) -> str:
        return f"v{self.number} of {self.minutes}"


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = LimitedTextField(_("comment"), max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.minutes}"


class ActionPointStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Still to do: what the agenda's standing item, the reminders and the lists
# of what waits count as open.
ACTION_POINT_PENDING = (ActionPointStatus.OPEN, ActionPointStatus.IN_PROGRESS)
ACTION_NOTE_MAX_CHARS = 2_000


class ActionPoint(models.Model):
    """A follow-up action: agreed at a meeting (in its minutes) or to carry
    out a decision of the register (decisions.DecisionAction links it), or
    both. One kind of record, in one list per network."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="action_points")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="action_points",
        null=True,
        blank=True,
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionPointStatus.choices, default=ActionPointStatus.OPEN
    )
    drop_reason = models.CharField(_("why it was dropped"), max_length=500, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["network", "status", "due"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="action_point_dropped_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        # Agreed at a meeting: the meeting's network.
        if self.network_id is None and self.meeting_id is not None:
            self.network_id = (
                Meeting.objects.filter(pk=self.meeting_id)
                .values_list("network_id", flat=True)
                .get()
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:action", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in ACTION_POINT_PENDING

    def is_overdue(self, today=None) -> bool:
        return (
            self.is_pending and self.due is not None and self.due < (today or timezone.localdate())
        )


class ActionNote(models.Model):
    """A progress note on an action, by its owner agency or the secretariat."""

    action = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="notes")
    body = LimitedTextField(_("progress note"), max_length=ACTION_NOTE_MAX_CHARS)
    status = models.CharField(max_length=12, choices=ActionPointStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.action_id}"


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a user's subscription feed; resetting it
    changes the token, so the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def reset(self) -> None:
        self.token = _calendar_token()
        self.save(update_fields=["token", "created_at"])
