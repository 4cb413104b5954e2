"""Reads on workplans, each with the joins its page needs, so the list and the
monitoring page cost the same number of queries with 10 activities or 500;
and the geometry of the monitoring page's timeline (a pure function)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from members.models import Organization

from . import rollup
from .models import Activity, Objective, ProgressUpdate, Workplan
from .rollup import Rollup

_DIGITS = re.compile(r"(\d+)")


def natural_key(code: str) -> tuple:
    """ "1.2" before "1.10"; letters compare without case."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in _DIGITS.split(code or "")
        if part
    )


# --- the list ------------------------------------------------------------------------


def workplan_list(queryset: QuerySet[Workplan]) -> QuerySet[Workplan]:
    return queryset.select_related("network").annotate(
        objective_count=Count("objectives", distinct=True),
        activity_count=Count("objectives__activities", distinct=True),
    )


def list_rollups(workplans: list[Workplan], today: date) -> dict[int, Rollup]:
    """The roll-up of each workplan of a page: one query for all their
    activities' figures, whatever their number."""
    rows = (
        Activity.objects.filter(objective__workplan__in=[w.pk for w in workplans])
        .order_by()
        .values(
            "weight", "percent_complete", "status", "end", workplan_id=F("objective__workplan_id")
        )
    )
    grouped: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for row in rows:
        grouped[row.pop("workplan_id")].append(SimpleNamespace(**row))
    return {w.pk: rollup.rollup(grouped.get(w.pk, []), today) for w in workplans}


# --- the monitoring page --------------------------------------------------------------


def plan_activities(workplan: Workplan) -> QuerySet[Activity]:
    """The workplan's activities with everything the page and the exports
    show: objective, task team, leads, partners, framework objectives and the
    period of the latest progress update (`latest_year`, `latest_quarter`)."""
    latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by(
        "-year", "-quarter", "-created_at"
    )
    orgs = Organization.objects.only("id", "acronym", "name", "slug").order_by("acronym")
    return (
        Activity.objects.filter(objective__workplan=workplan)
        .select_related("objective", "task_team")
        .prefetch_related(
            Prefetch("lead_organizations", queryset=orgs),
            Prefetch("partner_organizations", queryset=orgs),
            "framework_objectives",
        )
        .annotate(
            latest_year=Subquery(latest.values("year")[:1]),
            latest_quarter=Subquery(latest.values("quarter")[:1]),
        )
    )


def latest_period(activity: Activity) -> str:
    year = getattr(activity, "latest_year", None)
    quarter = getattr(activity, "latest_quarter", None)
    return f"{year} Q{quarter}" if year and quarter else ""


def sort_activities(activities: list[Activity]) -> list[Activity]:
    return sorted(
        activities,
        key=lambda a: (a.objective.position, natural_key(a.objective.code), natural_key(a.code)),
    )


@dataclass
class ObjectiveBlock:
    objective: Objective
    activities: list[Activity]  # the ones the filters let through
    rollup: Rollup  # over all its activities
    total: int
    # The span of all its activities (None: it has none), for its timeline bar.
    span: tuple[date, date] | None = None


@dataclass
class TimelineRow:
    kind: str  # "objective" or "activity"
    code: str
    title: str
    left: str  # CSS percentages, formatted here: templates would localise a float
    width: str
    status: str
    status_label: str
    percent: int
    start: date
    end: date
    overdue: bool = False
    pk: int | None = None


@dataclass
class Timeline:
    start: date
    end: date  # the day after the last day
    years: list[tuple[str, str, str]] = field(default_factory=list)  # label, left, width
    quarters: list[tuple[str, str, str]] = field(default_factory=list)
    lines: list[tuple[str, bool]] = field(default_factory=list)  # left, year boundary
    today: str | None = None
    today_label: str = ""
    rows: list[TimelineRow] = field(default_factory=list)


def _pct(value: float) -> str:
    return f"{max(0.0, min(100.0, value)):.3f}"


def timeline(workplan: Workplan, blocks: list[ObjectiveBlock], today: date) -> Timeline:
    """The geometry of the timeline: the plan's years split in quarters, a
    line for today, one bar per objective (over its activities' span) and per
    activity, as percentages of the plan's length."""
    first = date(workplan.start_year, 1, 1)
    after = date(workplan.end_year + 1, 1, 1)
    days = (after - first).days

    def at(day: date) -> float:
        return (day - first).days / days * 100

    def span(start: date, end: date) -> tuple[str, str]:
        start = min(max(start, first), after)
        stop = min(max(end + timedelta(days=1), first), after)
        left = at(start)
        # A one-day activity still shows.
        width = max(at(stop) - left, 0.4)
        return _pct(left), _pct(min(width, 100 - left) if left < 100 else 0.4)

    result = Timeline(start=first, end=after)
    for year in range(workplan.start_year, workplan.end_year + 1):
        y0, y1 = date(year, 1, 1), date(year + 1, 1, 1)
        result.years.append((str(year), _pct(at(y0)), _pct(at(y1) - at(y0))))
        for q, month in enumerate((1, 4, 7, 10), start=1):
            q0 = date(year, month, 1)
            q1 = date(year + 1, 1, 1) if month == 10 else date(year, month + 3, 1)
            result.quarters.append((_("Q%(n)s") % {"n": q}, _pct(at(q0)), _pct(at(q1) - at(q0))))
            if q0 != first:
                result.lines.append((_pct(at(q0)), month == 1))
    if first <= today < after:
        result.today = _pct(at(today) + 0.5 / days * 100)
        result.today_label = _("Today, %(date)s") % {"date": today.isoformat()}
    for block in blocks:
        if not block.activities:
            continue
        start, end = block.span or (
            min(a.start for a in block.activities),
            max(a.end for a in block.activities),
        )
        left, width = span(start, end)
        result.rows.append(
            TimelineRow(
                kind="objective",
                code=block.objective.code,
                title=block.objective.title,
                left=left,
                width=width,
                status=block.rollup.status,
                status_label=block.rollup.status_label,
                percent=block.rollup.percent_int,
                start=start,
                end=end,
                pk=block.objective.pk,
            )
        )
        for activity in block.activities:
            left, width = span(activity.start, activity.end)
            result.rows.append(
                TimelineRow(
                    kind="activity",
                    code=activity.code,
                    title=activity.title,
                    left=left,
                    width=width,
                    status=activity.status,
                    status_label=activity.get_status_display(),
                    percent=rollup.effective_percent(activity),
                    start=activity.start,
                    end=activity.end,
                    overdue=rollup.is_overdue(activity, today),
                    pk=activity.pk,
                )
            )
    return result


@dataclass
class PlanPage:
    workplan: Workplan
    blocks: list[ObjectiveBlock]
    rollup: Rollup  # the whole plan
    leads: list[tuple[Organization, Rollup]]  # the whole plan, per lead agency
    selection: Rollup | None  # the filtered activities, when filters are on
    shown: list[Activity]
    timeline: Timeline


def _span(activities: list[Activity]) -> tuple[date, date] | None:
    if not activities:
        return None
    return min(a.start for a in activities), max(a.end for a in activities)


def plan_page(*, workplan: Workplan, shown_ids: set[int] | None, today: date) -> PlanPage:
    """Everything the monitoring page shows. The roll-ups of the plan, its
    objectives and its lead agencies are over all activities; the lists and
    the timeline show the ones in `shown_ids` (None: all)."""
    objectives = sorted(workplan.objectives.all(), key=lambda o: (o.position, natural_key(o.code)))
    activities = sort_activities(list(plan_activities(workplan)))
    for activity in activities:
        activity.latest_period = latest_period(activity)
        activity.overdue = rollup.is_overdue(activity, today)
        activity.effective_percent = rollup.effective_percent(activity)
    shown = activities if shown_ids is None else [a for a in activities if a.pk in shown_ids]
    all_by_objective: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        all_by_objective[activity.objective_id].append(activity)
    shown_by_objective: dict[int, list[Activity]] = defaultdict(list)
    for activity in shown:
        shown_by_objective[activity.objective_id].append(activity)
    blocks = [
        ObjectiveBlock(
            objective=o,
            activities=shown_by_objective.get(o.pk, []),
            rollup=rollup.rollup(all_by_objective.get(o.pk, []), today),
            total=len(all_by_objective.get(o.pk, [])),
            span=_span(all_by_objective.get(o.pk, [])),
        )
        for o in objectives
    ]
    return PlanPage(
        workplan=workplan,
        blocks=blocks,
        rollup=rollup.rollup(activities, today),
        leads=rollup.by_lead(activities, today),
        selection=None if shown_ids is None else rollup.rollup(shown, today),
        shown=shown,
        timeline=timeline(workplan, blocks, today),
    )


def export_activities(workplan: Workplan, ids: set[int] | None = None) -> list[Activity]:
    """The activities of an export, in the page's order."""
    activities = sort_activities(list(plan_activities(workplan)))
    return activities if ids is None else [a for a in activities if a.pk in ids]
