"""Minutes pages: write and revise (with the action points), circulate for
comment, withdraw, approve, comment, the versions and their differences,
the PDF, and marking an action point done; plus the minutes section of the
meeting page (`minutes_section`, read by the `minutes_section` template tag).

Every view first fetches the meeting among those the user may see (404
otherwise), then asks meetings.permissions.can (403 when refused). Minutes a
user may not read (a draft, for a member) are a 404 too.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import registry
from core.errors import DomainError
from core.history import changes_for
from core.limits import MINUTES_MAX_CHARS, with_limit
from core.markdown import render_markdown
from core.views_helpers import form_error, paginate, require
from members.models import Membership, Organization
from members.roles import Actor, actor_for

from ..forms import LocalDateTimeField
from ..models import (
    ActionPointStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from ..pdf import pdf_response, render_pdf, time_limited_pdf_view
from ..permissions import can, visible_action_points, visible_meetings
from ..selectors import attendance_groups, meeting_participants
from ..services import minutes as services

MARKDOWN_HELP = gettext_lazy(
    "Markdown: a blank line between paragraphs, **bold**, *italic*, "
    "“- ” or “1. ” at the start of a line for lists, “## ” for a heading, "
    "[text](https://…) for a link."
)


# --- forms ------------------------------------------------------------------------------


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Minutes"),
        required=False,
        max_length=MINUTES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
        help_text=with_limit(MARKDOWN_HELP, MINUTES_MAX_CHARS),
    )
    decisions = forms.CharField(
        label=gettext_lazy("Decisions taken"),
        required=False,
        max_length=MINUTES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 7, "class": "font-monospace"}),
        help_text=with_limit(
            gettext_lazy("One decision per list item is easiest to read."), MINUTES_MAX_CHARS
        ),
    )
    # The version the text was loaded at: a save from an older one is refused.
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ActionPointForm(forms.Form):
    """A row of the action points table (rendered by hand in the table of
    minutes_edit.html, so each widget carries its own classes and label)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=gettext_lazy("Action"),
        max_length=500,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "aria-label": gettext_lazy("Action")}
        ),
    )
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Owner"),
        coerce=int,
        empty_value=None,
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm", "aria-label": gettext_lazy("Owner")}
        ),
    )
    due = forms.DateField(
        label=gettext_lazy("Due"),
        required=False,
        widget=forms.DateInput(
            attrs={
                "type": "date",
                "class": "form-control form-control-sm",
                "aria-label": gettext_lazy("Due"),
            },
            format="%Y-%m-%d",
        ),
    )

    def __init__(self, *args, owner_choices: list[tuple[Any, str]], **kwargs):
        super().__init__(*args, **kwargs)
        # Choices built once for the whole formset (one query, not one a row).
        self.fields["owner"].choices = owner_choices

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def as_input(self) -> services.ActionPointInput | None:
        """What this row asks for, or None for an extra row left empty."""
        data = getattr(self, "cleaned_data", {})
        pk = data.get("id")
        if data.get("DELETE"):
            return services.ActionPointInput("", None, pk=pk, delete=True) if pk else None
        if not data or (pk is None and not self.has_changed()):
            return None
        return services.ActionPointInput(
            description=data["description"], owner_id=data["owner"], due=data.get("due"), pk=pk
        )


class BaseActionPointFormSet(forms.BaseFormSet):
    deletion_widget = forms.CheckboxInput(
        attrs={"class": "form-check-input", "aria-label": gettext_lazy("Delete")}
    )


ActionPointFormSet = forms.formset_factory(
    ActionPointForm, formset=BaseActionPointFormSet, extra=3, can_delete=True
)


class CirculateForm(forms.Form):
    comment_deadline = LocalDateTimeField(
        label=gettext_lazy("Comments until"),
        help_text=gettext_lazy("In the meeting's time zone."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_comment_deadline(self) -> datetime:
        value = self.cleaned_data["comment_deadline"]
        # Typed as wall-clock time of the meeting's place.
        return value.replace(tzinfo=None).replace(tzinfo=self.meeting.tz)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=services.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=with_limit(
            gettext_lazy("Say which paragraph or decision you mean."), services.COMMENT_MAX_LENGTH
        ),
    )
    # The version the member read.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # Only for minutes never circulated for comment (then required).
    reason = forms.CharField(
        label=gettext_lazy("Why approve them without circulating them for comment?"),
        max_length=services.APPROVAL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=with_limit(
            gettext_lazy("Kept in the history of the minutes."),
            services.APPROVAL_REASON_MAX_LENGTH,
        ),
        error_messages={
            "required": gettext_lazy(
                "These minutes were never circulated for comment: say why you approve "
                "them without circulation."
            )
        },
    )

    def __init__(self, *args, needs_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_reason:
            del self.fields["reason"]


# --- fetching -----------------------------------------------------------------------------


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        visible_meetings(actor_for(request)).select_related(
            "network__coordinator", "chair_term__organization"
        ),
        pk=pk,
    )


def _minutes_or_404(meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    if minutes is None:
        raise Http404
    minutes.meeting = meeting
    return minutes


def _readable_minutes_or_404(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes, Actor]:
    """The meeting and its minutes, if this user may read them (a draft is
    a 404 to a member: they may not know what it says)."""
    meeting = _meeting_or_404(request, pk)
    minutes = _minutes_or_404(meeting)
    actor = actor_for(request)
    if not can(actor, "minutes.view", minutes):
        raise Http404
    return meeting, minutes, actor


def _section_url(meeting: Meeting) -> str:
    return f"{meeting.get_absolute_url()}#minutes"


def _owner_choices(meeting: Meeting) -> list[tuple[Any, str]]:
    """Who may own an action point: the members at the time of the meeting,
    the organizations invited, the coordinator and the secretariat, and any
    organization already owning one."""
    members = Membership.objects.current(meeting.local_start.date()).filter(
        network_id=meeting.network_id
    )
    network = meeting.network
    fixed = {pk for pk in (network.coordinator_id, network.secretariat_id) if pk}
    organizations = (
        Organization.objects.filter(
            Q(pk__in=members.values("organization_id"))
            | Q(pk__in=meeting.participants.values("organization_id"))
            | Q(pk__in=meeting.action_points.values("owner_id"))
            | Q(pk__in=fixed)
        )
        .order_by("acronym")
        .only("pk", "acronym", "name")
    )
    return [("", "---------")] + [(o.pk, f"{o.acronym} — {o.name}") for o in organizations]


def _comment_organization(actor: Actor, meeting: Meeting) -> Organization | None:
    """The agency a comment speaks for: the user's agency invited to the
    meeting, else one that is a member of the network, else any of theirs."""
    ids = actor.organization_ids
    if not ids:
        return None
    invited = set(
        meeting.participants.filter(organization_id__in=ids).values_list(
            "organization_id", flat=True
        )
    )
    members = set(
        Membership.objects.current()
        .filter(network_id=meeting.network_id, organization_id__in=ids)
        .values_list("organization_id", flat=True)
    )
    chosen = min(invited or members or ids)
    return Organization.objects.filter(pk=chosen).first()


# --- the section of the meeting page ---------------------------------------------------------


def minutes_section(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the minutes section of the meeting page shows to this user.
    Three queries at most, whatever the number of versions, comments and
    action points: the minutes, their action points, their comments."""
    actor = actor_for(request)
    may_edit = can(actor, "minutes.edit", meeting)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    context: dict[str, Any] = {
        "minutes": minutes,
        "may_edit": may_edit,
        "may_view": False,
        "may_comment": False,
        "may_start": may_edit and minutes is None and meeting.status in services.MEETING_HELD,
        "meeting": meeting,
    }
    if minutes is None:
        return context
    minutes.meeting = meeting
    may_view = can(actor, "minutes.view", minutes)
    context["may_view"] = may_view
    if not may_view:
        return context
    may_comment = can(actor, "minutes.comment", minutes)
    context.update(
        may_comment=may_comment,
        body_html=render_markdown(minutes.body),
        decisions_html=render_markdown(minutes.decisions),
        # The apps above add their parts: the register's entries of the
        # approved minutes' decisions.
        decision_parts=registry.page_sections("meetings.minutes", request, actor, meeting),
        action_points=list(meeting.action_points.select_related("owner").order_by("due", "pk")),
        comments=list(minutes.comments.select_related("author", "organization")),
        comment_form=CommentForm(initial={"version": minutes.version}) if may_comment else None,
        approve_form=ApproveForm(initial={"version": minutes.version}) if may_edit else None,
        today=timezone.localdate(),
        may_circulate=may_edit and minutes.can_move_to(MinutesStatus.CIRCULATED),
        may_approve=may_edit
        and minutes.can_move_to(MinutesStatus.APPROVED)
        and meeting.can_move_to(MeetingStatus.MINUTES_APPROVED),
        may_withdraw=may_edit and minutes.status == MinutesStatus.CIRCULATED,
        comments_open=minutes.status == MinutesStatus.CIRCULATED
        and (minutes.comment_deadline is None or minutes.comment_deadline >= timezone.now()),
    )
    return context


# --- writing ---------------------------------------------------------------------------------------


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    require(can, actor_for(request), "minutes.edit", meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    try:
        services.minutes_ensure_meeting_held(meeting)
        if minutes is not None and minutes.status == MinutesStatus.APPROVED:
            raise DomainError(_("Approved minutes can no longer be changed."))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_section_url(meeting))

    points = list(meeting.action_points.order_by("due", "pk"))
    # While nothing is written, the page starts from the agenda, the
    # attendance and the open action points; saved text is never replaced
    # (and the draft is saved only as any text is: on "Save", from the
    # version loaded).
    draft = None
    if request.method != "POST" and services.minutes_offers_draft(minutes):
        draft = services.minutes_draft(meeting)
    form = MinutesForm(
        request.POST or None,
        initial={
            "body": draft.body if draft else (minutes.body if minutes else ""),
            "decisions": draft.decisions if draft else (minutes.decisions if minutes else ""),
            "base_version": minutes.version if minutes else 0,
        },
    )
    formset = ActionPointFormSet(
        request.POST or None,
        prefix="ap",
        initial=[
            {"id": p.pk, "description": p.description, "owner": p.owner_id, "due": p.due}
            for p in points
        ],
        form_kwargs={"owner_choices": _owner_choices(meeting)},
    )
    conflict: services.MinutesConflict | None = None
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            saved = services.minutes_save(
                meeting=meeting,
                body=form.cleaned_data["body"],
                decisions=form.cleaned_data["decisions"],
                base_version=form.cleaned_data["base_version"],
                action_points=[i for i in (f.as_input() for f in formset.forms) if i],
                by=request.user,
            )
        except services.MinutesConflict as error:
            conflict = error
            # The next save is based on the version the user has now been
            # shown: their text stays, the hidden version moves on.
            data = request.POST.copy()
            data["base_version"] = str(error.current.version)
            form = MinutesForm(data)
            form.is_valid()
        except DomainError as error:
            form_error(form, error)
        else:
            if saved.new_version:
                messages.success(
                    request,
                    _("The minutes were saved as version %(n)s.") % {"n": saved.minutes.version},
                )
            else:
                messages.info(request, _("Nothing changed: nothing was saved."))
            return redirect(_section_url(meeting))

    current = conflict.current if conflict else minutes
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "minutes": current,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "from_draft": draft is not None,
            "comments": list(current.comments.select_related("author", "organization"))
            if current
            else [],
        },
    )


# --- circulating, withdrawing, approving -----------------------------------------------------


@login_required
def minutes_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    require(can, actor_for(request), "minutes.edit", meeting)
    minutes = _minutes_or_404(meeting)
    try:
        services.minutes_check_move(minutes=minutes, to=MinutesStatus.CIRCULATED)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_section_url(meeting))
    suggested = datetime.combine(timezone.localdate() + timedelta(days=14), time(17, 0))
    form = CirculateForm(
        request.POST or None, meeting=meeting, initial={"comment_deadline": suggested}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_circulate(
                minutes=minutes,
                comment_deadline=form.cleaned_data["comment_deadline"],
                by=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The minutes were circulated: the participants get an e-mail.")
            )
            return redirect(_section_url(meeting))
    recipients = list(
        meeting.participants.filter(person__isnull=False, person__is_active=True)
        .exclude(person__email="")
        .select_related("person", "organization")
        .order_by("organization__acronym", "person__name")
    )
    return render(
        request,
        "meetings/minutes_circulate.html",
        {"meeting": meeting, "minutes": minutes, "form": form, "recipients": recipients},
    )


@login_required
@require_POST
def minutes_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    require(can, actor_for(request), "minutes.edit", meeting)
    minutes = _minutes_or_404(meeting)
    try:
        services.minutes_withdraw(minutes=minutes, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The minutes are a draft again: members no longer see them."))
    return redirect(_section_url(meeting))


@login_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that says what approving does, then the approval itself."""
    meeting = _meeting_or_404(request, pk)
    require(can, actor_for(request), "minutes.edit", meeting)
    minutes = _minutes_or_404(meeting)
    if request.method == "GET":
        try:
            services.minutes_check_approvable(minutes=minutes, meeting=meeting)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_section_url(meeting))
    form = ApproveForm(
        request.POST or None,
        initial={"version": minutes.version},
        needs_reason=services.minutes_need_approval_reason(minutes),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_approve(
                minutes=minutes,
                by=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except DomainError as error:
            if error.field in form.fields:
                form_error(form, error)
            else:
                messages.error(request, error.message)
        else:
            messages.success(request, _("The minutes are approved and the meeting is closed."))
            return redirect(_section_url(meeting))
    return render(
        request,
        "meetings/minutes_approve.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "decisions_html": render_markdown(minutes.decisions),
            "approve_parts": registry.page_sections(
                "meetings.minutes_approve", request, actor_for(request), meeting
            ),
            "comments_open": minutes.status == MinutesStatus.CIRCULATED
            and minutes.comment_deadline is not None
            and minutes.comment_deadline > timezone.now(),
        },
    )


# --- comments -----------------------------------------------------------------------------------


@login_required
def minutes_comment(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, actor = _readable_minutes_or_404(request, pk)
    require(can, actor, "minutes.comment", minutes)
    form = CommentForm(request.POST or None, initial={"version": minutes.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_comment_add(
                minutes=minutes,
                author=request.user,
                organization=_comment_organization(actor, meeting),
                body=form.cleaned_data["body"],
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you: your comment was recorded."))
            return redirect(f"{meeting.get_absolute_url()}#minutes-comments")
    return render(
        request,
        "meetings/minutes_comment.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "body_html": render_markdown(minutes.body),
            "decisions_html": render_markdown(minutes.decisions),
        },
    )


# --- versions -------------------------------------------------------------------------------------


@login_required
def minutes_versions(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    require(can, actor_for(request), "minutes.edit", meeting)
    minutes = _minutes_or_404(meeting)
    page = paginate(request, minutes.versions.select_related("created_by").order_by("-number"))
    return render(
        request,
        "meetings/minutes_versions.html",
        # Who circulated, withdrew or approved (and why, without circulation).
        {"meeting": meeting, "minutes": minutes, "page": page, "history": changes_for(minutes)},
    )


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def minutes_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Version `new` (by default the current one) against version `old` (by
    default the one before), side by side or unified (`view=unified`)."""
    meeting = _meeting_or_404(request, pk)
    require(can, actor_for(request), "minutes.edit", meeting)
    minutes = _minutes_or_404(meeting)
    new = _int_param(request, "new", minutes.version)
    old = _int_param(request, "old", new - 1)
    comparison = services.minutes_compare(minutes=minutes, old=old, new=new)
    if comparison is None:
        raise Http404
    view = "unified" if request.GET.get("view") == "unified" else "split"
    return render(
        request,
        "meetings/minutes_diff.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "comparison": comparison,
            "old": old,
            "new": new,
            "view": view,
            "numbers": range(minutes.version, -1, -1),
            "previous": new - 1 if new > 1 else None,
            "next": new + 1 if new < minutes.version else None,
        },
    )


# --- the PDF --------------------------------------------------------------------------------------


def minutes_pdf_context(
    meeting: Meeting, minutes: Minutes, request: HttpRequest | None = None
) -> dict[str, Any]:
    """What the minutes PDF template (meetings/pdf/minutes.html) shows."""
    parts = (
        registry.page_sections("meetings.minutes_pdf", request, actor_for(request), meeting)
        if request is not None
        else []
    )
    return {
        "decision_parts": parts,
        "meeting": meeting,
        "minutes": minutes,
        "body_html": render_markdown(minutes.body),
        "decisions_html": render_markdown(minutes.decisions),
        "attendance": attendance_groups(meeting_participants(meeting)),
        "action_points": list(meeting.action_points.select_related("owner").order_by("due", "pk")),
        "generated_at": meeting.in_local_time(timezone.now()),
    }


@login_required
@time_limited_pdf_view
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a PDF: the approved record; a draft shows as such."""
    meeting, minutes, _actor = _readable_minutes_or_404(request, pk)
    pdf = render_pdf("meetings/pdf/minutes.html", minutes_pdf_context(meeting, minutes, request))
    day = meeting.local_start.date().isoformat()
    suffix = "" if minutes.status == MinutesStatus.APPROVED else f"-draft-v{minutes.version}"
    return pdf_response(pdf, f"minutes-{meeting.network.slug}-{day}{suffix}.pdf")


# --- action points after the meeting -----------------------------------------------------------


@login_required
@require_POST
def action_point_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an action point done (done=1) or open again (done=0)."""
    actor = actor_for(request)
    point = get_object_or_404(visible_action_points(actor).select_related("meeting"), pk=pk)
    require(can, actor, "action.update", point)
    done = request.POST.get("done") == "1"
    services.action_point_set_done(action_point=point, done=done, by=request.user)
    if point.status == ActionPointStatus.DONE:
        messages.success(request, _("Marked as done: %(a)s") % {"a": point.description})
    else:
        messages.success(request, _("Open again: %(a)s") % {"a": point.description})
    if point.meeting_id is None:
        return redirect(point.get_absolute_url())
    return redirect(reverse("meetings:detail", args=[point.meeting_id]) + "#action-points")
