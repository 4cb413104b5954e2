"""Meeting pages: the list and year calendar, the meeting page, planning
(new, edit, copy, a year of quarterly meetings), cancelling, invitations,
answers and attendance."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import registry
from core.errors import DomainError
from core.history import changes_for
from core.views_helpers import (
    form_error,
    form_page,
    paginate,
    querystring_without_page,
    require,
)
from members.models import Network
from members.roles import actor_for
from members.scope import Scope, elsewhere_of, list_scope

from .. import selectors
from ..filters import MeetingFilter
from ..forms import (
    AttendanceForm,
    CancelForm,
    CopyForm,
    InviteForm,
    MeetingForm,
    PlanYearForm,
    ResponseForm,
)
from ..models import Meeting, Participant
from ..permissions import can, visible_meetings
from ..services import schedule
from .agenda import agenda_section


def _visible_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        visible_meetings(actor_for(request)).select_related(
            "network", "chair_term__organization", "prepares", "task_team__network"
        ),
        pk=pk,
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    data = request.GET.copy()
    if "network" not in data and request.network:
        data["network"] = str(request.network.pk)
    filterset = MeetingFilter(data, queryset=selectors.meeting_list(visible_meetings(actor)))
    page = paginate(request, filterset.qs.order_by("-start"))
    network = request.network or None
    scope = list_scope(
        request,
        filterset,
        empty=not page.object_list,
        count_label=lambda n: ngettext("%(n)s meeting", "%(n)s meetings", n) % {"n": n},
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "scope": scope,
            "page": page,
            "querystring": querystring_without_page(request),
            "can_create": network is not None and can(actor, "meeting.create", network),
            "network": network,
        },
    )


# The years the year view shows.
YEAR_RANGE = range(1900, 2201)


@login_required
def meeting_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The year at a glance: twelve months, each with its meetings. A year
    outside YEAR_RANGE is not a page (0, 10000 and 2**63 would crash the
    date arithmetic): 404."""
    if year is not None and year not in YEAR_RANGE:
        raise Http404
    year = year or timezone.localdate().year
    actor = actor_for(request)
    in_year = visible_meetings(actor).filter(start__year=year)
    header = request.network or None
    show_all = request.GET.get("all") == "1"
    network = None if show_all else _year_network(request) or header
    meetings = in_year.select_related("network")
    if network is not None:
        meetings = meetings.filter(network=network)
    by_month: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings.order_by("start"):
        by_month[meeting.local_start.month].append(meeting)
    # A quarter's label on its first month: Q1 on January, Q4 on October.
    months = [
        (
            m,
            MONTHS[m],
            _("Q%(n)s") % {"n": (m - 1) // 3 + 1} if m % 3 == 1 else "",
            by_month.get(m, []),
        )
        for m in range(1, 13)
    ]
    scope = Scope(network=network, all_label=_("All my networks"), all_url="?all=1")
    if network is None and header is not None:
        scope.one_url, scope.one_network = "?", header
    if network is not None and not by_month:
        scope.elsewhere = elsewhere_of(
            in_year,
            url_for=lambda n: f"?network={n.pk}",
            count_label=lambda n: ngettext("%(n)s meeting", "%(n)s meetings", n) % {"n": n},
        )
    query = "?all=1" if show_all else f"?network={network.pk}" if network else ""
    return render(
        request,
        "meetings/meeting_year.html",
        {
            "year": year,
            "months": months,
            "network": network,
            "show_all": show_all,
            "scope": scope,
            "query": query,
            "empty": not by_month,
        },
    )


def _year_network(request: HttpRequest) -> Network | None:
    """The year's `?network=` (a link from "Yours are in"); anything else: none."""
    value = request.GET.get("network", "")
    try:
        pk = int(value)
    except ValueError:
        return None
    return Network.objects.filter(pk=pk).first() if 0 < pk < 2**31 else None


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    actor = actor_for(request)
    context = selectors.meeting_page(meeting)
    mine = [
        p
        for p in context["participants"]
        if (p.person and p.person.user_id == actor.user_id)
        or (actor.is_focal_point(p.organization_id) and p.person_id is None)
    ]
    context.update(
        meeting=meeting,
        may_manage=can(actor, "meeting.manage", meeting),
        may_propose=can(actor, "agenda.propose", meeting),
        my_invitations=mine,
        history=changes_for(meeting) if can(actor, "meeting.manage", meeting) else None,
        now=timezone.now(),
        agenda=agenda_section(meeting=meeting, actor=actor, items=context["agenda_items"]),
        # The apps above: the papers picked from the documents register.
        agenda_parts=registry.page_sections("meetings.agenda", request, actor, meeting),
    )
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(can, actor_for(request), "meeting.create", network)
    form = MeetingForm(request.POST or None, network=network)
    return form_page(
        request,
        form,
        save=lambda f: schedule.meeting_save(meeting=f.instance, by=request.user),
        done=form.instance,
        message=_("The meeting was planned."),
        title=_("New meeting of %(n)s") % {"n": network.short_name},
        back=network,
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    require(can, actor_for(request), "meeting.manage", meeting)
    return form_page(
        request,
        MeetingForm(request.POST or None, instance=meeting, network=meeting.network),
        save=lambda f: schedule.meeting_save(meeting=f.instance, by=request.user),
        done=meeting,
        message=_("Saved. Reminders follow the new date."),
        title=_("Edit %(m)s") % {"m": meeting.title},
        back=meeting,
    )


@login_required
def meeting_copy(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    require(can, actor_for(request), "meeting.manage", meeting)
    form = CopyForm(request.POST or None)
    copied: list[Meeting] = []

    def save(f: CopyForm) -> None:
        start = f.cleaned_data["start"].replace(tzinfo=None).replace(tzinfo=meeting.tz)
        copied.append(schedule.meeting_copy(meeting=meeting, start=start, by=request.user))

    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The meeting was copied: check and edit the new one."))
            return redirect(copied[0])
    return render(
        request,
        "members/form.html",
        {"form": form, "title": _("Copy %(m)s") % {"m": meeting.title}, "back": meeting},
    )


@login_required
def meeting_plan_year(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(can, actor_for(request), "meeting.create", network)
    form = PlanYearForm(
        request.POST or None,
        network=network,
        initial={"year": timezone.localdate().year + 1, "title": f"{network.short_name} meeting"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned = schedule.meetings_plan_year(
                network=network,
                year=data["year"],
                level=data["level"],
                title=data["title"],
                month_in_quarter=data["month_in_quarter"],
                weekday=data["weekday"],
                week=data["week"],
                start_time=data["start_time"],
                duration=form.duration(),
                time_zone=data["time_zone"],
                city=data["city"],
                venue=data["venue"],
                online_url=data["online_url"],
                by=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Planned %(n)s meeting: %(dates)s. It can now be edited on its own.",
                    "Planned %(n)s meetings: %(dates)s. Each can now be edited on its own.",
                    len(planned),
                )
                % {
                    "n": len(planned),
                    "dates": ", ".join(f"{m.local_start:%d %b}" for m in planned),
                },
            )
            return redirect(f"{reverse('meetings:list')}?network={network.pk}&year={data['year']}")
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": _("Plan a year of quarterly meetings of %(n)s") % {"n": network.short_name},
            "lead": _(
                "One meeting a quarter, on the same day of the same week; adjust any of them afterwards."
            ),
            "back": network,
        },
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    require(can, actor_for(request), "meeting.manage", meeting)
    return form_page(
        request,
        CancelForm(request.POST or None),
        save=lambda f: schedule.meeting_cancel(
            meeting=meeting, reason=f.cleaned_data["reason"], by=request.user
        ),
        done=meeting,
        message=_("The meeting was cancelled."),
        title=_("Cancel %(m)s") % {"m": meeting.title},
        back=meeting,
    )


@login_required
@require_POST
def meeting_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    require(can, actor_for(request), "meeting.manage", meeting)
    try:
        schedule.meeting_mark_held(meeting=meeting, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting is marked as held."))
    return redirect(meeting)


@login_required
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    require(can, actor_for(request), "meeting.manage", meeting)
    form = InviteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        count = schedule.participants_invite(
            meeting=meeting, guests=list(form.cleaned_data["guests"]), by=request.user
        )
        messages.success(request, _("%(n)s new invitations.") % {"n": count})
        return redirect(meeting)
    invited = set(meeting.participants.exclude(person=None).values_list("person_id", flat=True))
    return render(
        request,
        "meetings/invite.html",
        {
            "form": form,
            "meeting": meeting,
            "people": [(p, p.pk in invited) for p in schedule.invitees(meeting=meeting)],
        },
    )


@login_required
def participant_respond(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(
        Participant.objects.select_related("meeting", "person", "organization"), pk=pk
    )
    actor = actor_for(request)
    if not visible_meetings(actor).filter(pk=participant.meeting_id).exists():
        raise Http404
    require(can, actor, "participant.respond", participant)
    return form_page(
        request,
        ResponseForm(request.POST or None, instance=participant),
        save=lambda f: schedule.participant_respond(
            participant=participant,
            response=f.cleaned_data["response"],
            delegate=f.cleaned_data["delegate_name"],
            by=request.user,
        ),
        done=participant.meeting,
        message=_("Thank you: your answer was recorded."),
        title=_("Your answer: %(m)s") % {"m": participant.meeting.title},
        back=participant.meeting,
    )


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting_or_404(request, pk)
    require(can, actor_for(request), "attendance.record", meeting)
    participants = list(
        meeting.participants.select_related("organization", "person").order_by(
            "is_guest", "organization__acronym"
        )
    )
    form = AttendanceForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.attendance_record(meeting=meeting, attendance=form.values(), by=request.user)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Attendance was recorded."))
            return redirect(meeting)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "form": form})
