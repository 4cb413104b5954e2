"""The reports beat asks for by itself (`schedule_reports`, daily), one rule
each. A rule acts on each day of its window, so a day missed while beat was
down is caught up; each build it asks for carries an occasion
("annual:unnm:2025"), which the database holds once, so however often beat
fires in the window the report is built once. The builds are handed to a
worker after the commit, like those asked for on the page.

- A draft chair's summary in the last CHAIR_SUMMARY_DRAFT_DAYS of each chair
  term, for the chair to complete (its narrative) before the handover.
- The annual report each January, for the year before, of each network
  that recorded work in that year.
- The biennial report to the Secretary-General in REPORT_BIENNIAL_MONTH of
  the years REPORT_BIENNIAL_EVEN_YEARS chooses, for the two calendar years
  before, of each global network that recorded work in them.
- The executive committee membership update each January, for the year
  before, of each network that had an executive committee in it.

A kind whose module is not registered yet (`reports.kinds.KIND_MODULES`) is
skipped, so a rule can be written before its report is."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from decisions.models import Decision, DecisionStatus
from meetings.models import Meeting, MeetingStatus
from members.models import ChairTerm, Membership, Network, NetworkLevel
from workplans.models import Activity, WorkplanStatus

from . import builder
from .kinds import ReportProblem, available_kinds
from .models import ReportBuild, ReportKind

log = logging.getLogger(__name__)

# The draft chair's summary is asked for this many days before the term ends.
CHAIR_SUMMARY_DRAFT_DAYS = 14
# The yearly reports are asked for in this month, for the year before.
YEARLY_MONTH = 1


def _registered(kind: str) -> bool:
    return kind in {spec.kind for spec in available_kinds()}


def _ask(
    kind: str, network: Network, start: date, end: date, occasion: str, subject_id=None
) -> ReportBuild | None:
    """The occasion's build when this call asked for it; None when it was
    asked for before (or is in flight already), or cannot be built as asked
    (logged, and the other rules still run)."""
    try:
        build, created = builder.request_build(
            builder.Request(kind, network, start, end, subject_id=subject_id), occasion=occasion
        )
    except ReportProblem as exc:
        log.warning("scheduled report %s not asked for: %s", occasion, exc)
        return None
    return build if created else None


def _active(networks: Iterable[Network], start: date, end: date) -> list[Network]:
    """The networks that recorded work in the period (a meeting, an adopted
    decision, a chair term, an activity of an agreed workplan, a member
    joining): a network that has stopped, as the GMG did, is not reported
    on. One query per kind of record, whatever the number of networks."""
    networks = list(networks)
    ids = [n.pk for n in networks]
    active = set(
        Meeting.objects.filter(network__in=ids, start__date__gte=start, start__date__lte=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("network_id", flat=True)
    )
    active |= set(
        Decision.objects.filter(
            network__in=ids,
            status=DecisionStatus.ADOPTED,
            decided_on__gte=start,
            decided_on__lte=end,
        ).values_list("network_id", flat=True)
    )
    active |= set(
        ChairTerm.objects.filter(network__in=ids, start__lte=end, end__gte=start).values_list(
            "network_id", flat=True
        )
    )
    active |= set(
        Activity.objects.filter(
            objective__workplan__network__in=ids,
            objective__workplan__status__in=[WorkplanStatus.APPROVED, WorkplanStatus.CLOSED],
            start__lte=end,
            end__gte=start,
        ).values_list("objective__workplan__network_id", flat=True)
    )
    active |= set(
        Membership.objects.filter(network__in=ids, joined__gte=start, joined__lte=end).values_list(
            "network_id", flat=True
        )
    )
    return [n for n in networks if n.pk in active]


def chair_summary_drafts(today: date) -> list[ReportBuild]:
    """The draft summary of each chair term ending within the next
    CHAIR_SUMMARY_DRAFT_DAYS days (today included)."""
    if not _registered(ReportKind.CHAIR_SUMMARY):
        return []
    terms = (
        ChairTerm.objects.filter(
            end__gte=today, end__lte=today + timedelta(days=CHAIR_SUMMARY_DRAFT_DAYS)
        )
        .select_related("network")
        .order_by("end", "pk")
    )
    builds = []
    for term in terms:
        occasion = f"chair-summary:{term.network.slug}:{term.start.isoformat()}"
        build = _ask(
            ReportKind.CHAIR_SUMMARY, term.network, term.start, term.end, occasion, term.pk
        )
        if build:
            builds.append(build)
    return builds


def _last_year(today: date) -> tuple[date, date] | None:
    if today.month != YEARLY_MONTH:
        return None
    year = today.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def annual_reports(today: date) -> list[ReportBuild]:
    """In January, the annual report of the year before."""
    period = _last_year(today)
    if period is None or not _registered(ReportKind.ANNUAL):
        return []
    start, end = period
    networks = Network.objects.filter(Q(established__isnull=True) | Q(established__lte=end))
    return [
        build
        for network in _active(networks.order_by("pk"), start, end)
        if (
            build := _ask(
                ReportKind.ANNUAL, network, start, end, f"annual:{network.slug}:{start.year}"
            )
        )
    ]


def biennial_due(today: date) -> tuple[date, date] | None:
    """The two calendar years the biennial report due this month covers, or
    None when none is due."""
    even = today.year % 2 == 0
    if today.month != settings.REPORT_BIENNIAL_MONTH or even != settings.REPORT_BIENNIAL_EVEN_YEARS:
        return None
    return date(today.year - 2, 1, 1), date(today.year - 1, 12, 31)


def biennial_reports(today: date) -> list[ReportBuild]:
    """In the month the biennial report is due, that of each global network."""
    period = biennial_due(today)
    if period is None or not _registered(ReportKind.BIENNIAL):
        return []
    start, end = period
    networks = Network.objects.filter(level=NetworkLevel.GLOBAL).order_by("pk")
    return [
        build
        for network in _active(networks, start, end)
        if (
            build := _ask(
                ReportKind.BIENNIAL,
                network,
                start,
                end,
                f"biennial:{network.slug}:{start.year}-{end.year}",
            )
        )
    ]


def membership_updates(today: date) -> list[ReportBuild]:
    """In January, the executive committee membership update of the year
    before, for each network with a member on its committee in that year."""
    period = _last_year(today)
    if period is None or not _registered(ReportKind.MEMBERSHIP_UPDATE):
        return []
    start, end = period
    with_committee = (
        Membership.objects.filter(executive_committee=True, joined__lte=end)
        .exclude(left__lt=start)
        .values("network_id")
    )
    networks = Network.objects.filter(pk__in=with_committee).order_by("pk")
    return [
        build
        for network in networks
        if (
            build := _ask(
                ReportKind.MEMBERSHIP_UPDATE,
                network,
                start,
                end,
                f"membership-update:{network.slug}:{start.year}",
            )
        )
    ]


RULES = (chair_summary_drafts, annual_reports, biennial_reports, membership_updates)


def schedule_reports(today: date | None = None) -> list[ReportBuild]:
    """Every rule, for today (in the site's time zone): the builds asked
    for now (an occasion asked for on an earlier day is not again)."""
    today = today or timezone.localdate()
    builds: list[ReportBuild] = []
    for rule in RULES:
        builds.extend(rule(today))
    return builds
