"""What decisions bring to the shared pages (core.registry): the decisions
that wait for the user's agency's position on the dashboard, and for the
chair and the secretariat those past their deadline or without consensus;
a menu entry; the work counter; the benchmark pages."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage

from . import selectors
from .demo import load as load_demo
from .models import Decision, DecisionStatus, Position, Procedure
from .permissions import position_agency_ids, visible_decisions

PANEL_LIMIT = 50


def waiting_for_position(actor, network=None) -> list[Decision]:
    """Open decisions on whose current version an agency the user speaks for
    has not stated a position, soonest deadline first (three queries)."""
    if not actor.affiliations:
        return []
    open_ones = (
        visible_decisions(actor)
        .filter(status=DecisionStatus.OPEN, deadline__gt=timezone.now())
        .exclude(procedure=Procedure.MEETING)
        .select_related("network")
        .order_by("deadline", "pk")
    )
    if network is not None:
        open_ones = open_ones.filter(network=network)
    decisions = list(open_ones[:PANEL_LIMIT])
    selectors.prime_body_agency_ids(decisions)
    mine = {d.pk: position_agency_ids(actor, d) for d in decisions}
    return selectors.awaiting_position(decisions, mine)


def _managed_filter(actor) -> Q | None:
    if actor.is_admin or actor.secretariat_everywhere:
        return Q()
    ids = actor.secretariat_network_ids | actor.admin_network_ids | actor.chair_network_ids
    return Q(network_id__in=ids) if ids else None


def needing_attention(actor, network=None):
    """For the chair and the secretariat: decisions past their deadline and
    still open, or without consensus."""
    managed = _managed_filter(actor)
    if managed is None:
        return Decision.objects.none()
    queryset = Decision.objects.filter(managed).filter(
        Q(status=DecisionStatus.NO_CONSENSUS)
        | Q(status=DecisionStatus.OPEN, deadline__lte=timezone.now())
    )
    if network is not None:
        queryset = queryset.filter(network=network)
    return queryset


@registry.dashboard_panel("decisions", order=35, template="decisions/panels/decisions.html")
def decisions_panel(request, actor, network) -> dict | None:
    waiting = waiting_for_position(actor, network)
    attention = list(
        needing_attention(actor, network)
        .select_related("network")
        .order_by("deadline", "pk")[:PANEL_LIMIT]
    )
    if not waiting and not attention:
        return None
    return {"decisions_waiting": waiting, "decisions_attention": attention}


def work_by_network(actor) -> dict[int, int]:
    counts: dict[int, int] = {}
    for decision in waiting_for_position(actor):
        counts[decision.network_id] = counts.get(decision.network_id, 0) + 1
    rows = needing_attention(actor).order_by().values("network_id").annotate(n=Count("pk"))
    for row in rows:
        counts[row["network_id"]] = counts.get(row["network_id"], 0) + row["n"]
    return counts


registry.work_counter("decisions", work_by_network)

registry.demo_loader("decisions", load_demo)

registry.menu_entry(
    "decisions",
    _("Decisions"),
    "decisions:list",
    order=45,
    visible=lambda actor, user: actor.is_member_user,
)


def bench_pages() -> list[BenchPage]:
    pages = [BenchPage("decisions register", reverse("decisions:list"), True)]
    busiest = Decision.objects.annotate(n=Count("positions")).order_by("-n").first()
    if busiest:
        pages.append(BenchPage("decision page (most positions)", busiest.get_absolute_url(), True))
    return pages


def bench_counts() -> dict[str, int]:
    return {"decisions": Decision.objects.count(), "positions": Position.objects.count()}


registry.bench_pages("decisions", bench_pages, counts=bench_counts)


# --- the minutes of a meeting show their decisions from the register --------------------


def _minutes_rows(actor, meeting) -> list[dict] | None:
    """The register's entries recorded from the meeting's approved minutes,
    in the minutes' order (two queries), each with its text and whether
    this user may open its page."""
    from core.markdown import render_markdown

    decisions = list(
        Decision.objects.filter(meeting=meeting, minutes_item__isnull=False)
        .select_related("agenda_item")
        .order_by("minutes_item")
    )
    if not decisions:
        return None
    openable = set(
        visible_decisions(actor)
        .filter(pk__in=[d.pk for d in decisions])
        .values_list("pk", flat=True)
    )
    return [
        {"decision": d, "text_html": render_markdown(d.text), "openable": d.pk in openable}
        for d in decisions
    ]


@registry.page_section(
    "decisions", place="meetings.minutes", order=10, template="decisions/parts/minutes.html"
)
def minutes_decisions(request, actor, meeting) -> dict | None:
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.status != "approved":
        return None
    rows = _minutes_rows(actor, meeting)
    return {"rows": rows} if rows else None


@registry.page_section(
    "decisions", place="meetings.minutes_pdf", order=10, template="decisions/pdf/minutes_part.html"
)
def minutes_pdf_decisions(request, actor, meeting) -> dict | None:
    return minutes_decisions(request, actor, meeting)


@registry.page_section(
    "decisions",
    place="meetings.minutes_approve",
    order=10,
    template="decisions/parts/minutes_approve.html",
)
def minutes_approve_preview(request, actor, meeting) -> dict:
    """What the approval will record in the register."""
    from .services.minutes import minutes_decision_items

    return {"items": minutes_decision_items(meeting.minutes, meeting)}


# --- the network's page shows what it decided in public --------------------------------------

PUBLIC_LIMIT = 20


@registry.page_section(
    "decisions",
    place="members.network",
    order=20,
    template="decisions/parts/network_public.html",
)
def network_public_decisions(request, actor, network) -> dict | None:
    """The network's adopted decisions marked public, newest first (one
    query): reference, title, date, link; never a position, a draft or an
    open one, whoever looks. None when there are none."""
    rows = list(
        Decision.objects.filter(
            network=network, public=True, status=DecisionStatus.ADOPTED
        ).order_by("-decided_on", "-reference_year", "-reference_number", "-pk")[: PUBLIC_LIMIT + 1]
    )
    if not rows:
        return None
    return {
        "decisions": rows[:PUBLIC_LIMIT],
        "more": len(rows) > PUBLIC_LIMIT,
        "network": network,
    }


from . import search  # noqa: E402, F401 - registers what the search finds
