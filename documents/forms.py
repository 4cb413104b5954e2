"""The forms of the documents pages. Each only reads what was typed; the
services (documents.services) check and write. The choices of links are
limited to the network's records that the user may see, so a form never
names a record the user could not open. A publication date is typed in the
network's time zone and made aware here."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.timezones import zone_of
from decisions.permissions import visible_decisions
from meetings.forms import LocalDateTimeField
from meetings.models import AgendaItem
from meetings.permissions import visible_meetings
from members.models import Network, Organization
from members.roles import Actor
from taskteams.permissions import visible_task_teams
from workplans.models import FrameworkObjective
from workplans.permissions import visible_activities

from .models import (
    NOTE_MAX_CHARS,
    OUTCOME_MAX_CHARS,
    SUMMARY_MAX_CHARS,
    Document,
    DocumentStatus,
    Engagement,
    Language,
)
from .permissions import visible_documents

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Who may read it and when: the managers' to set (the drafting agencies edit
# the rest of a draft). The view drops these fields for the others.
ACCESS_FIELDS = ("access", "access_agencies", "publish_on")


def _agency_label(org: Organization) -> str:
    return f"{org.acronym} — {org.name}"


class DocumentForm(forms.ModelForm):
    """A new document or what a document says about itself."""

    publish_on = LocalDateTimeField(label=_("Published on"), required=False)

    class Meta:
        model = Document
        fields = [
            "title",
            "symbol",
            "kind",
            "date",
            "lead_agency",
            "contributors",
            "summary",
            "topics",
            "external_url",
            "original_language",
            "access",
            "access_agencies",
            "publish_on",
            "meeting",
            "agenda_item",
            "decision",
            "activity",
            "task_team",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "topics": forms.CheckboxSelectMultiple,
            "contributors": forms.SelectMultiple(attrs={"size": 6}),
            "access_agencies": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"summary": _("Markdown: **bold**, *italics*, lists and links.")}

    def __init__(self, *args, network: Network, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        zone = zone_of(network.time_zone)
        self.fields["publish_on"].help_text = _(
            "In the network's time zone, %(zone)s. A date in the future keeps it under "
            "embargo until then; empty: when it is published."
        ) % {"zone": network.time_zone}
        initial = self.initial.get("publish_on")
        if isinstance(initial, datetime) and timezone.is_aware(initial):
            self.initial["publish_on"] = timezone.localtime(initial, zone).replace(tzinfo=None)
        members = (
            Organization.objects.filter(memberships__network=network).distinct().order_by("acronym")
        )
        for name in ("lead_agency", "contributors"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = _agency_label
        # Any agency may be named as a reader, a member of the network or not.
        self.fields["access_agencies"].queryset = Organization.objects.order_by("acronym")
        self.fields["access_agencies"].label_from_instance = _agency_label
        self.fields["topics"].queryset = FrameworkObjective.objects.order_by("pk")
        meetings = visible_meetings(actor).filter(network=network).order_by("-start")
        self.fields["meeting"].queryset = meetings
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.filter(meeting__in=meetings.values("pk"), status="accepted")
            .select_related("meeting")
            .order_by("-meeting__start", "position")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"{item.meeting.title}: {item.title}"
        )
        self.fields["decision"].queryset = (
            visible_decisions(actor).filter(network=network).order_by("-created_at")
        )
        self.fields["activity"].queryset = (
            visible_activities(actor)
            .filter(objective__workplan__network=network)
            .order_by("-objective__workplan__start_year", "code")
        )
        self.fields["task_team"].queryset = (
            visible_task_teams(actor).filter(network=network).order_by("name")
        )
        self.fields["summary"].max_length = SUMMARY_MAX_CHARS

    def clean_publish_on(self):
        value = self.cleaned_data.get("publish_on")
        if value is None:
            return None
        return timezone.make_aware(value.replace(tzinfo=None), zone_of(self.network.time_zone))

    def _post_clean(self):
        # The service checks and writes (its checks need the network's rows).
        pass

    def service_kwargs(self) -> dict:
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name in self.Meta.fields
        }
        for name in ("symbol", "summary", "external_url"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class DocumentEditForm(DocumentForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    original = forms.BooleanField(
        label=_("This is the original language"),
        required=False,
        help_text=_("The other languages are translations of it."),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=NOTE_MAX_CHARS,
        required=False,
        help_text=_("Told beside this version, e.g. “Comments of UNHCR taken in”."),
    )


class SupersedeForm(forms.Form):
    superseded_by = forms.ModelChoiceField(
        label=_("The newer document"),
        queryset=Document.objects.none(),
        help_text=_("The document that replaces this one; its page is linked from here."),
    )

    def __init__(self, *args, document: Document, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superseded_by"].queryset = (
            visible_documents(actor)
            .filter(network_id=document.network_id)
            .exclude(pk=document.pk)
            .order_by("-date", "-pk")
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = [
            "event",
            "kind",
            "organizer",
            "place",
            "start",
            "end",
            "represented_by",
            "representative",
            "documents",
            "outcome",
            "public",
        ]
        widgets = {
            "start": DATE_WIDGET,
            "end": DATE_WIDGET,
            "outcome": forms.Textarea(attrs={"rows": 5}),
            "documents": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "event": _("E.g. First meeting of the GFMD."),
            "documents": _("The statement or briefing delivered, from the register."),
        }

    def __init__(self, *args, network: Network, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["represented_by"].queryset = (
            Organization.objects.filter(memberships__network=network).distinct().order_by("acronym")
        )
        self.fields["represented_by"].label_from_instance = _agency_label
        self.fields["documents"].queryset = (
            visible_documents(actor).filter(network=network).order_by("-date", "-pk")
        )
        self.fields["documents"].required = False
        self.fields["outcome"].max_length = OUTCOME_MAX_CHARS

    def _post_clean(self):
        pass

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["documents"] = list(data["documents"] or [])
        return data


class PaperForm(forms.Form):
    """An agenda item of the meeting and a document of the network's register
    (the newest first, withdrawn ones left out) to become its paper."""

    item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none())
    document = forms.ModelChoiceField(
        label=_("Document of the register"),
        queryset=Document.objects.none(),
        help_text=_("It stays one record: a new version uploaded to it reaches the meeting too."),
    )

    def __init__(self, *args, meeting, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.order_by("position", "created_at")
        self.fields["document"].queryset = (
            visible_documents(actor)
            .filter(network_id=meeting.network_id)
            .exclude(status=DocumentStatus.WITHDRAWN)
            .order_by("-date", "-pk")
        )
