"""The forms of the decisions pages. Each one only reads what was typed; the
services (decisions.services) check and write. A date and time is typed in
the network's time zone and made aware here (`NetworkDateTimeField`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.timezones import zone_of
from meetings.forms import LocalDateTimeField
from meetings.models import AgendaItem, Meeting
from members.models import MembershipApplication, Network, Organization
from taskteams.models import TaskTeam
from workplans.models import FrameworkObjective, Workplan

from .models import (
    DECISION_TEXT_MAX_CHARS,
    STATEMENT_MAX_CHARS,
    Body,
    Decision,
    EscalationOutcome,
    Procedure,
    Stance,
)
from .services.register import silence_hours

DEFAULT_WRITTEN_DAYS = 7
TEXT_WIDGET = forms.Textarea(attrs={"rows": 10})


def default_deadline(network: Network, procedure: str, now: datetime | None = None) -> datetime:
    """The deadline a form offers: the shortest silence procedure (a week for
    a written consultation) from now, rounded up to the next full hour, in
    the network's time zone."""
    now = now or timezone.now()
    span = (
        timedelta(hours=silence_hours(network))
        if procedure == Procedure.SILENCE
        else timedelta(days=DEFAULT_WRITTEN_DAYS)
    )
    local = timezone.localtime(now + span, zone_of(network.time_zone))
    hour = local.replace(minute=0, second=0, microsecond=0)
    if hour < local:
        hour += timedelta(hours=1)
    return hour


def _zone_help(network: Network) -> str:
    return _("In the network's time zone, %(zone)s.") % {"zone": network.time_zone}


class NetworkDeadlineMixin:
    """A `deadline` typed as wall-clock time of the network's zone."""

    network: Network

    def _setup_deadline(self, network: Network) -> None:
        self.network = network
        field = self.fields["deadline"]
        field.help_text = _zone_help(network)
        initial = self.initial.get("deadline")
        if isinstance(initial, datetime) and timezone.is_aware(initial):
            self.initial["deadline"] = timezone.localtime(
                initial, zone_of(network.time_zone)
            ).replace(tzinfo=None)

    def clean_deadline(self):
        value = self.cleaned_data.get("deadline")
        if value is None:
            return None
        zone = zone_of(self.network.time_zone)
        return timezone.make_aware(value.replace(tzinfo=None), zone)


class DecisionForm(forms.ModelForm):
    """A new decision: the choices are limited to the network's records."""

    class Meta:
        model = Decision
        fields = [
            "body",
            "task_team",
            "procedure",
            "title",
            "text",
            "proposed_by",
            "public",
            "topics",
            "meeting",
            "agenda_item",
            "application",
            "workplan",
            "related_task_team",
        ]
        widgets = {
            "text": TEXT_WIDGET,
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "text": _("Markdown: **bold**, *italics*, lists and links."),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.instance.network = network
        teams = TaskTeam.objects.filter(network=network).order_by("name")
        self.fields["task_team"].queryset = teams
        self.fields["task_team"].help_text = _("Only when a task team decides.")
        self.fields["related_task_team"].queryset = teams
        self.fields["proposed_by"].queryset = (
            Organization.objects.filter(memberships__network=network).distinct().order_by("acronym")
        )
        self.fields["topics"].queryset = FrameworkObjective.objects.order_by("pk")
        self.fields["topics"].required = False
        self.fields["meeting"].queryset = Meeting.objects.filter(network=network).order_by("-start")
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.filter(meeting__network=network)
            .select_related("meeting")
            .order_by("-meeting__start", "position")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"{item.meeting.title}: {item.title}"
        )
        self.fields["application"].queryset = MembershipApplication.objects.filter(
            network=network
        ).order_by("-pk")
        self.fields["workplan"].queryset = Workplan.objects.filter(network=network).order_by(
            "-start_year", "title"
        )
        self.fields["text"].max_length = DECISION_TEXT_MAX_CHARS

    def clean(self):
        data = super().clean()
        if data.get("body") == Body.TASK_TEAM and not data.get("task_team"):
            self.add_error("task_team", _("Choose the task team that decides."))
        return data

    def _post_clean(self):
        # The service checks and writes; the model's own checks (its
        # constraints) need the network's rows the service reads.
        pass

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class EditDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text (Markdown)"), widget=TEXT_WIDGET, max_length=DECISION_TEXT_MAX_CHARS
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class OpenForm(NetworkDeadlineMixin, forms.Form):
    deadline = LocalDateTimeField(label=_("Deadline"))

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_deadline(network)


class ReviseForm(NetworkDeadlineMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text (Markdown)"), widget=TEXT_WIDGET, max_length=DECISION_TEXT_MAX_CHARS
    )
    note = forms.CharField(
        label=_("What changed in this version"),
        max_length=500,
        help_text=_("Told to every member agency with the new text."),
    )
    deadline = LocalDateTimeField(label=_("New deadline"))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_deadline(network)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdoptedForm(forms.Form):
    on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class EscalationResultForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (c.value, c.label)
            for c in (
                EscalationOutcome.NEXT,
                EscalationOutcome.ADOPTED,
                EscalationOutcome.NOT_ADOPTED,
                EscalationOutcome.WITHDRAWN,
            )
        ],
        widget=forms.RadioSelect,
    )
    result = forms.CharField(
        label=_("What was done and with what result"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


STATEMENT_HELP = _(
    "Required with a reservation (what your agency reserves) or an objection (its reason)."
)


class PositionForm(forms.Form):
    """An agency's position: `agencies` are those the user speaks for on the
    decision (a choice only when there are several)."""

    organization = forms.TypedChoiceField(label=_("For the agency"), coerce=int)
    stance = forms.ChoiceField(
        label=_("Position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=STATEMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=STATEMENT_HELP,
    )

    def __init__(self, *args, agencies: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.pk, f"{o.acronym} — {o.name}") for o in agencies]
        if len(agencies) == 1:
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = agencies[0].pk


class RecordPositionForm(PositionForm):
    """The chair or the secretariat records a position received for an agency."""

    received_by = forms.CharField(
        label=_("Received by"),
        max_length=200,
        help_text=_("How the position reached you, for example “E-mail of 3 December”."),
    )

    def __init__(self, *args, agencies: list[Organization], **kwargs):
        super().__init__(*args, agencies=agencies, **kwargs)
        field = self.fields["organization"]
        field.widget = forms.Select()
        field.choices = list(field.choices)
        self.fields["organization"].label = _("Agency")
        self.fields["statement"].help_text = _(
            "Required with a reservation (what the agency reserves) or an objection (its reason)."
        )
