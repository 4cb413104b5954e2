"""Agenda pages: propose an item, decide on it, order the agenda (an htmx
fragment), circulate it, download its PDF and its papers; and the agenda
section of the meeting page (`agenda_section`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core import files
from core.errors import DomainError
from core.limits import SHORT_TEXT_MAX_CHARS, with_limit
from core.ordering import moved
from core.views_helpers import form_error, form_page, require
from members.models import Membership, Organization
from members.roles import Actor, actor_for

from ..models import (
    ActionPoint,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Meeting,
    MeetingStatus,
)
from ..pdf import pdf_response, render_pdf, time_limited_pdf_view
from ..permissions import (
    can,
    may_read_agenda_item,
    may_read_chair_note,
    sees_proposal_titles,
    visible_meetings,
)
from ..services import agenda
from ..services.agenda import AgendaRow

# --- forms --------------------------------------------------------------------


class AgendaProposalForm(forms.ModelForm):
    minutes_wanted = forms.IntegerField(
        label=gettext_lazy("Time wanted (minutes)"),
        min_value=agenda.MIN_MINUTES,
        max_value=agenda.MAX_MINUTES,
        initial=15,
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "purpose", "presenter", "minutes_wanted", "paper", "paper_url"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}
        labels = {"purpose": gettext_lazy("Purpose: what the meeting is asked to do")}
        help_texts = {
            "paper": gettext_lazy(
                "PDF, Word, OpenDocument, PowerPoint or spreadsheet, up to 10 MB."
            ),
            "paper_url": gettext_lazy("Or a link to the papers, e.g. on a shared drive."),
        }

    def __init__(self, *args, meeting: Meeting, organization: Organization | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        members = Membership.objects.current().filter(network_id=meeting.network_id)
        self.fields["presenter"].queryset = Organization.objects.filter(
            Q(pk__in=members.values("organization_id"))
            | Q(pk__in=meeting.participants.values("organization_id"))
        ).order_by("acronym")
        self.fields["presenter"].required = True
        if organization is not None and not self.is_bound:
            self.initial["presenter"] = organization.pk

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the item a title."))
        return title

    def clean_minutes_wanted(self) -> int:
        minutes = self.cleaned_data["minutes_wanted"]
        length = agenda.meeting_minutes(self.meeting)
        if minutes > length:
            raise forms.ValidationError(agenda.meeting_too_short(length))
        return minutes

    def clean_paper(self):
        paper = self.cleaned_data.get("paper")
        if paper:
            problem = agenda.paper_problem(paper)
            if problem:
                raise forms.ValidationError(problem)
        return paper


DECISION_LABELS = {
    AgendaItemStatus.ACCEPTED: gettext_lazy("Accept"),
    AgendaItemStatus.DEFERRED: gettext_lazy("Defer to the next meeting"),
    AgendaItemStatus.DECLINED: gettext_lazy("Decline"),
}


class AgendaDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=gettext_lazy("Note from the chair (shown with the item)"),
        required=False,
        max_length=SHORT_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=with_limit(gettext_lazy("Needed to defer or decline."), SHORT_TEXT_MAX_CHARS),
    )

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = agenda.AGENDA_ITEM_TRANSITIONS[item.status]
        self.fields["decision"].choices = [
            (status, label) for status, label in DECISION_LABELS.items() if status in allowed
        ]
        if not self.is_bound:
            self.initial["note"] = item.chair_note

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (AgendaItemStatus.DEFERRED, AgendaItemStatus.DECLINED)
            and not (data.get("note") or "").strip()
        ):
            self.add_error(
                "note",
                _("Say in a note why the item is deferred or declined: the proposer reads it."),
            )
        return data


# --- the agenda section of the meeting page -------------------------------------


@dataclass
class AgendaSection:
    """Everything the agenda section, the circulation page and the PDF show."""

    meeting: Meeting
    rows: list[AgendaRow]
    proposed: list[AgendaItem]
    decided: list[AgendaItem]
    action_points: list[ActionPoint]
    may_propose: bool
    may_decide: bool
    may_reorder: bool
    may_circulate: bool
    show_proposals: bool
    today: date = field(default_factory=timezone.localdate)
    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def regular_ids(self) -> list[int]:
        return [r.item.pk for r in self.rows if r.item.kind == AgendaItemKind.REGULAR]

    @property
    def first_regular_id(self) -> int | None:
        return self.regular_ids[0] if self.regular_ids else None

    @property
    def last_regular_id(self) -> int | None:
        return self.regular_ids[-1] if self.regular_ids else None

    @property
    def total_minutes(self) -> int:
        return sum(r.item.minutes_wanted for r in self.rows)

    @property
    def meeting_minutes(self) -> int:
        return agenda.meeting_minutes(self.meeting)

    @property
    def overrun(self) -> bool:
        return self.total_minutes > self.meeting_minutes

    @property
    def ends(self) -> datetime | None:
        """When the agenda, as timed, ends (in the meeting's time zone)."""
        if not self.rows:
            return None
        last = self.rows[-1]
        return last.starts + timedelta(minutes=last.item.minutes_wanted)


def agenda_section(
    *, meeting: Meeting, actor: Actor, items: list[AgendaItem] | None = None
) -> AgendaSection:
    """The agenda as this actor sees it. Built by the chair (or the
    secretariat) of a planned meeting, it first adds the standing items.
    A constant number of queries, whatever the length of the agenda.

    `items`: the meeting's agenda items if the caller has them already, with
    presenter, proposed_by_org and carried_from__meeting joined."""
    may_decide = can(actor, "agenda.decide", meeting)
    items = list(agenda.agenda_items(meeting)) if items is None else list(items)
    if may_decide and meeting.status == MeetingStatus.PLANNED:
        present = {i.kind for i in items if i.kind in agenda.STANDING_KINDS}
        if len(present) < len(agenda.STANDING_KINDS) and agenda.agenda_ensure_standing_items(
            meeting=meeting
        ):
            items = list(agenda.agenda_items(meeting))
    for item in items:
        item.meeting = meeting  # no query per item in may_read_agenda_item
        item.paper_filename = _paper_filename(item)
        item.details_visible = may_read_agenda_item(actor, item)
        item.carried_note_visible = item.carried_from_id is not None and may_read_chair_note(
            actor, item.carried_from
        )
    rows = agenda.agenda_rows(meeting, items)
    with_action_points = any(r.item.kind == AgendaItemKind.ACTION_POINTS for r in rows)
    show_proposals = sees_proposal_titles(actor, meeting)
    return AgendaSection(
        meeting=meeting,
        rows=rows,
        proposed=[i for i in items if i.status == AgendaItemStatus.PROPOSED],
        decided=[
            i for i in items if i.status in (AgendaItemStatus.DEFERRED, AgendaItemStatus.DECLINED)
        ],
        action_points=list(agenda.open_action_points(meeting)) if with_action_points else [],
        may_propose=can(actor, "agenda.propose", meeting),
        may_decide=may_decide and meeting.status in agenda.DECIDING_STATUSES,
        may_reorder=may_decide and meeting.status == MeetingStatus.PLANNED,
        may_circulate=may_decide and meeting.can_move_to(MeetingStatus.AGENDA_CIRCULATED),
        show_proposals=show_proposals,
    )


# --- helpers ----------------------------------------------------------------------


def _visible_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        visible_meetings(actor_for(request)).select_related(
            "network__coordinator", "chair_term__organization"
        ),
        pk=pk,
    )


def _agenda_url(meeting: Meeting) -> str:
    return f"{meeting.get_absolute_url()}#agenda"


def proposing_organization(actor: Actor, meeting: Meeting) -> Organization | None:
    """The member agency the actor proposes for (the first, by acronym, if it
    speaks for several); None for the secretariat without an agency."""
    ids = [
        a.organization_id for a in actor.affiliations if a.network_id in (None, meeting.network_id)
    ]
    if not ids:
        return None
    members = Membership.objects.current().filter(
        network_id=meeting.network_id, organization_id__in=ids
    )
    return (
        Organization.objects.filter(pk__in=members.values("organization_id"))
        .order_by("acronym")
        .first()
    )


# --- views ------------------------------------------------------------------------


@login_required
def agenda_propose(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    actor = actor_for(request)
    require(can, actor, "agenda.propose", meeting)
    # The chair (or the secretariat) decides on this agenda: what they
    # propose goes on it at once, not to themselves for a decision.
    decides = can(actor, "agenda.decide", meeting)
    organization = proposing_organization(actor, meeting)
    form = AgendaProposalForm(
        request.POST or None, request.FILES or None, meeting=meeting, organization=organization
    )

    def save(f: AgendaProposalForm) -> AgendaItem:
        data = f.cleaned_data
        return agenda.agenda_item_propose(
            meeting=meeting,
            title=data["title"],
            purpose=data["purpose"],
            presenter=data["presenter"],
            minutes_wanted=data["minutes_wanted"],
            paper=data["paper"] or None,
            paper_url=data["paper_url"],
            by=request.user,
            organization=organization,
            accept=decides,
        )

    if decides:
        return form_page(
            request,
            form,
            save=save,
            done=_agenda_url(meeting),
            message=lambda f: _("“%(t)s” is on the agenda.") % {"t": f.cleaned_data["title"]},
            title=_("Add an item to %(m)s") % {"m": meeting.title},
            back=meeting,
            lead=_(
                "You decide on this agenda: the item goes on it at once, at the end. "
                "Order it on the meeting page."
            ),
        )
    if meeting.proposals_deadline:
        lead = _("Proposals are taken until %(when)s (%(tz)s); the chair decides on each.") % {
            "when": date_format(meeting.proposals_deadline.astimezone(meeting.tz), "l j F Y, H:i"),
            "tz": meeting.time_zone,
        }
    else:
        lead = _("The chair decides on each proposal and orders the agenda.")
    return form_page(
        request,
        form,
        save=save,
        done=_agenda_url(meeting),
        message=_("Thank you: your proposal was sent to the chair."),
        title=_("Propose an item for %(m)s") % {"m": meeting.title},
        back=meeting,
        lead=lead,
    )


@login_required
def agenda_decide(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    item = get_object_or_404(
        meeting.agenda_items.select_related(
            "presenter", "proposed_by_org", "carried_from__meeting"
        ),
        pk=item_id,
    )
    require(can, actor_for(request), "agenda.decide", meeting)
    form = AgendaDecisionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            agenda.agenda_item_decide(
                item=item,
                status=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                {
                    AgendaItemStatus.ACCEPTED: _("“%(t)s” is on the agenda."),
                    AgendaItemStatus.DEFERRED: _(
                        "“%(t)s” is deferred: it comes back as a proposal for the next meeting."
                    ),
                    AgendaItemStatus.DECLINED: _("“%(t)s” is declined."),
                }[item.status]
                % {"t": item.title},
            )
            return redirect(_agenda_url(meeting))
    item.paper_filename = _paper_filename(item)
    item.details_visible = True  # the chair decides on what it reads
    item.carried_note_visible = True
    return render(
        request,
        "meetings/agenda_decide.html",
        {"meeting": meeting, "item": item, "form": form},
    )


@login_required
@require_POST
def agenda_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """The new order of the accepted items: the `item` ids in order, and
    optionally `move` ("12:up", from the buttons). Answers an htmx request
    with the list fragment, anything else with a redirect."""
    meeting = _visible_meeting_or_404(request, pk)
    actor = actor_for(request)
    require(can, actor, "agenda.decide", meeting)
    error = status_message = ""
    try:
        ids = [int(v) for v in request.POST.getlist("item")]
        move = request.POST.get("move", "")
        if move:
            ids = moved(ids, move)
    except ValueError:
        error = _("That order could not be read: reload the page and try again.")
    if not error:
        try:
            agenda.agenda_reorder(meeting=meeting, item_ids=ids, by=request.user)
        except DomainError as exc:
            error = exc.message
    if request.headers.get("HX-Request") != "true":
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The agenda order was saved."))
        return redirect(_agenda_url(meeting))
    section = agenda_section(meeting=meeting, actor=actor)
    if not error:
        number = {r.item.pk: r.number for r in section.rows}
        moved_id = int(move.partition(":")[0]) if move else None
        if moved_id in number:
            status_message = _("“%(t)s” is now item %(n)s.") % {
                "t": next(r.item.title for r in section.rows if r.item.pk == moved_id),
                "n": number[moved_id],
            }
        else:
            status_message = _("The agenda order was saved.")
    return render(
        request,
        "meetings/agenda_list.html",
        {
            "meeting": meeting,
            "agenda": section,
            "error": error,
            "status_message": status_message,
            "focus": request.POST.get("move", ""),
        },
        status=400 if error else 200,
    )


@login_required
def agenda_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    actor = actor_for(request)
    require(can, actor, "agenda.decide", meeting)
    if request.method == "POST":
        try:
            sent = agenda.agenda_circulate(meeting=meeting, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The agenda was circulated to %(n)s participant.",
                    "The agenda was circulated to %(n)s participants.",
                    sent,
                )
                % {"n": sent},
            )
        return redirect(_agenda_url(meeting))
    section = agenda_section(meeting=meeting, actor=actor)
    recipients = list(
        meeting.participants.filter(person__isnull=False)
        .exclude(person__email="")
        .select_related("person", "organization")
        .order_by("organization__acronym", "person__name")
    )
    return render(
        request,
        "meetings/agenda_circulate.html",
        {
            "meeting": meeting,
            "agenda": section,
            "recipients": recipients,
            "chair": agenda.chair_name(meeting),
        },
    )


@login_required
@time_limited_pdf_view
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    section = agenda_section(meeting=meeting, actor=actor_for(request))
    pdf = render_pdf(
        "meetings/pdf/agenda.html",
        {"meeting": meeting, "agenda": section, "chair": agenda.chair_name(meeting)},
    )
    day = meeting.local_start.date().isoformat()
    return pdf_response(pdf, f"agenda-{slugify(meeting.title)[:60]}-{day}.pdf")


def _paper_filename(item: AgendaItem) -> str:
    """The paper's name as its sender gave it (cleaned); the stored name for
    a paper kept before names were."""
    if not item.paper:
        return ""
    return item.paper_name or Path(item.paper.name).name


@login_required
def agenda_paper(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Papers are not public media: whoever may read the item in full
    downloads them here (`may_read_agenda_item`: what is on the agenda for
    everyone who sees the meeting, a proposal for its agency, the chair and
    the secretariat); anyone else gets a 404."""
    meeting = _visible_meeting_or_404(request, pk)
    actor = actor_for(request)
    item = get_object_or_404(meeting.agenda_items, pk=item_id)
    item.meeting = meeting
    if not item.paper or not can(actor, "agenda.read_item", item):
        raise Http404
    return files.stored_file_response(item.paper, name=item.paper_name)
