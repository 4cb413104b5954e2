"""What meetings bring to the shared pages and commands (core.registry): the
next meetings and unanswered invitations on the dashboard, two menu entries,
the demo's meetings, and the benchmark pages."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage

from .demo import load_meetings
from .models import (
    ACTION_POINT_PENDING,
    ActionPoint,
    Meeting,
    MeetingLevel,
    Participant,
    Response,
)
from .permissions import ACTION_LEVELS, visible_action_points, visible_meetings


@registry.dashboard_panel("meetings", order=40, template="meetings/panels/next_meetings.html")
def next_meetings(request, actor, network) -> dict:
    """The next five meetings the user may see, and the invitations to
    answer, in the dashboard's network or (None) in all."""
    upcoming = visible_meetings(actor).upcoming()
    if network is not None:
        upcoming = upcoming.filter(network=network)
    return {
        "meetings": list(upcoming.select_related("network").order_by("start")[:5]),
        "invitations": list(
            Participant.objects.filter(
                person__user_id=actor.user_id,
                response=Response.PENDING,
                meeting__in=upcoming,
            ).select_related("meeting", "meeting__network")[:10]
        ),
    }


def invitations_by_network(actor) -> dict[int, int]:
    """Invitations to upcoming meetings still to answer, per network."""
    rows = (
        Participant.objects.filter(
            person__user_id=actor.user_id,
            response=Response.PENDING,
            meeting__in=visible_meetings(actor).upcoming(),
        )
        .order_by()
        .values("meeting__network_id")
        .annotate(n=Count("pk"))
    )
    return {row["meeting__network_id"]: row["n"] for row in rows}


registry.work_counter("meetings", invitations_by_network)


def _owned_actions(actor):
    """Pending follow-up actions owned by the agencies the actor speaks for
    (principal, focal point, alternate), in the networks where it does."""
    q = None
    for a in actor.affiliations:
        if a.level not in ACTION_LEVELS:
            continue
        term = Q(owner_id=a.organization_id)
        if a.network_id is not None:
            term &= Q(network_id=a.network_id)
        q = term if q is None else q | term
    if q is None:
        return ActionPoint.objects.none()
    return visible_action_points(actor).filter(q, status__in=ACTION_POINT_PENDING)


@registry.dashboard_panel("meetings", order=45, template="meetings/panels/my_actions.html")
def my_actions(request, actor, network) -> dict | None:
    """Your agency's follow-up actions still to do, overdue first."""
    owned = _owned_actions(actor)
    if network is not None:
        owned = owned.filter(network=network)
    shown = list(
        owned.select_related("owner", "network").order_by(F("due").asc(nulls_last=True), "pk")[:6]
    )
    if not shown:
        return None
    today = timezone.localdate()
    for point in shown:
        point.overdue = point.is_overdue(today)
    return {"actions": shown, "count": len(shown) if len(shown) < 6 else owned.count()}


registry.menu_entry(
    "meetings",
    _("Meetings"),
    "meetings:list",
    order=30,
    visible=lambda actor, user: actor.is_member_user,
)
registry.menu_entry(
    "meetings",
    _("Calendar subscription"),
    "meetings:calendar_feed",
    order=20,
    section="account",
    visible=lambda actor, user: actor.is_member_user,
)


registry.demo_loader("meetings", load_meetings)


def bench_pages() -> list[BenchPage]:
    pages = [
        BenchPage("meetings list", reverse("meetings:list"), True),
        BenchPage("meetings year view", reverse("meetings:year"), True),
    ]
    meeting = Meeting.objects.order_by("-start").first()
    if meeting:
        pages.append(BenchPage("meeting page", meeting.get_absolute_url(), True))
    return pages


registry.bench_pages("meetings", bench_pages, counts=lambda: {"meetings": Meeting.objects.count()})


from . import search  # noqa: E402, F401 - registers what the search finds

# --- the network's public page ------------------------------------------------------------


@registry.page_section(
    "meetings", place="members.network", order=10, template="meetings/parts/annual_meeting.html"
)
def announced_annual_meeting(request, actor, network) -> dict | None:
    """The next annual meeting of the full membership, once it is planned:
    when and where (never the online link or who is invited); the meeting's
    own page only for those who may open it."""
    meeting = (
        Meeting.objects.upcoming()
        .filter(network=network, level=MeetingLevel.ANNUAL)
        .order_by("start")
        .first()
    )
    if meeting is None:
        return None
    readable = visible_meetings(actor).filter(pk=meeting.pk).exists()
    return {"meeting": meeting, "readable": readable}
