"""The progress report of one workplan for a quarter or a year: the plan's
standing at the end of the period and how far it came in it, then each
objective with its activities (leads, dates, status, percent complete as
reported by the period's end), the progress updates logged for the
period's quarters with their narratives, and, quarter by quarter, the
agencies that have not reported on an activity due.

An activity is due for a quarter when its workplan is not a draft, it runs
in the quarter, and it had not been reported completed before it (the rule
of `workplans.services.progress.active_in`, read at that time rather than
today). Four queries, whatever the number of activities or updates:
the workplan, its activities, their leads and partners, its updates."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Network, Organization
from workplans import rollup
from workplans.models import Activity, ActivityStatus, ProgressUpdate, Workplan, WorkplanStatus
from workplans.selectors import natural_key, sort_activities
from workplans.services.progress import Period

from .annual import rolled, short_label
from .kinds import KindSpec, Missing, ReportProblem, iso, register
from .models import ReportKind


def workplan_of(network: Network, subject_id: int | None) -> Workplan:
    workplan = (
        Workplan.objects.filter(network=network, pk=subject_id).first() if subject_id else None
    )
    if workplan is None:
        raise ReportProblem(_("Choose one of the network's workplans."))
    return workplan


def period_dates(year: int, quarter: int | None = None) -> tuple[date, date]:
    """The first and last day of a year, or of one of its quarters."""
    if quarter:
        period = Period(year, quarter)
        return period.first_day, period.last_day
    return date(year, 1, 1), date(year, 12, 31)


def quarters(start: date, end: date) -> list[Period]:
    period, last, result = Period.of(start), Period.of(end), []
    while period <= last:
        result.append(period)
        period = period.next()
    return result


def period_label(start: date, end: date) -> str:
    first, last = Period.of(start), Period.of(end)
    whole = start == first.first_day and end == last.last_day
    if whole and first == last:
        return str(first)
    if whole and first.year == last.year and (first.quarter, last.quarter) == (1, 4):
        return str(first.year)
    if whole:
        return f"{first} – {last}"
    return f"{start.isoformat()} – {end.isoformat()}"


def check_period(workplan: Workplan, start: date, end: date) -> None:
    if end.year < workplan.start_year or start.year > workplan.end_year:
        raise ReportProblem(
            _("The workplan runs from %(first)s to %(last)s: choose a period within it.")
            % {"first": workplan.start_year, "last": workplan.end_year}
        )


def _orgs(orgs) -> list[dict]:
    return [{"acronym": o.acronym, "name": o.name} for o in orgs]


def collect(network: Network, start: date, end: date, subject_id: int | None):
    workplan = workplan_of(network, subject_id)
    check_period(workplan, start, end)
    today = timezone.localdate()
    day = min(end, today)
    periods = quarters(start, end)
    first, last = periods[0], periods[-1]
    orgs = Organization.objects.only("id", "acronym", "name").order_by("acronym")
    activities = sort_activities(
        list(
            Activity.objects.filter(objective__workplan=workplan)
            .select_related("objective", "task_team")
            .prefetch_related(
                Prefetch("lead_organizations", queryset=orgs),
                Prefetch("partner_organizations", queryset=orgs),
            )
        )
    )
    # Every update reported up to the period's last quarter: the figures
    # before and at the end of the period, and the period's narratives.
    updates = (
        ProgressUpdate.objects.filter(activity__objective__workplan=workplan)
        .filter(Q(year__lt=last.year) | Q(year=last.year, quarter__lte=last.quarter))
        .select_related("organization")
        .order_by("activity", "year", "quarter", "created_at", "pk")
    )
    history: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for u in updates:
        history[u.activity_id].append(u)

    def newest(activity_id: int, before: Period | None = None, upto: Period | None = None):
        found = None
        for u in history.get(activity_id, []):
            p = Period(u.year, u.quarter)
            if (before and p >= before) or (upto and p > upto):
                break
            found = u  # ordered oldest first: the last one seen is the newest
        return found

    plan_open = workplan.status != WorkplanStatus.DRAFT
    started = [p for p in periods if p.first_day <= today]
    missing_by_period: dict[Period, list[Activity]] = defaultdict(list)
    rows, at_start, at_end = [], [], []
    for a in activities:
        before = newest(a.pk, before=first)
        now = newest(a.pk, upto=last)
        was, is_ = _Row(a, before), _Row(a, now)
        at_start.append(was)
        at_end.append(is_)
        reported = {Period(u.year, u.quarter) for u in history.get(a.pk, [])}
        not_reported = []
        for p in started:
            prior = newest(a.pk, before=p)
            done_before = prior is not None and prior.status == ActivityStatus.COMPLETED
            due = plan_open and a.start <= p.last_day and a.end >= p.first_day and not done_before
            if due and p not in reported:
                not_reported.append(str(p))
                missing_by_period[p].append(a)
        leads = list(a.lead_organizations.all())
        lead_ids = {o.pk for o in leads}
        rows.append(
            {
                "id": a.pk,
                "objective_id": a.objective_id,
                "code": a.code,
                "title": a.title,
                "leads": _orgs(leads),
                "partners": _orgs(o for o in a.partner_organizations.all() if o.pk not in lead_ids),
                "task_team": a.task_team.name if a.task_team_id else "",
                "start": iso(a.start),
                "end": iso(a.end),
                "indicator": a.indicator,
                "target": a.target,
                "status": is_.status,
                "status_label": str(ActivityStatus(is_.status).label),
                "percent": rollup.effective_percent(is_),
                "percent_before": rollup.effective_percent(was) if before else None,
                "overdue": rollup.is_overdue(is_, day),
                "updates": [
                    {
                        "period": str(Period(u.year, u.quarter)),
                        "percent": u.percent_complete,
                        "status_label": str(ActivityStatus(u.status).label),
                        "narrative": u.narrative,
                        "by": u.organization.acronym,
                        "logged": iso(timezone.localtime(u.created_at).date()),
                        "decreased_from": u.decreased_from,
                        "decrease_reason": u.decrease_reason,
                        "evidence": u.evidence_url,
                    }
                    for u in history.get(a.pk, [])
                    if first <= Period(u.year, u.quarter) <= last
                ],
                "not_reported": not_reported,
                "quiet": _quiet(a, before, start, end),
            }
        )
    objectives = sorted(workplan.objectives.all(), key=lambda o: (o.position, natural_key(o.code)))
    end_by_objective = rollup.rollup_by(at_end, lambda r: [r.objective_id], day)
    objective_rows = []
    for o in objectives:
        objective_rows.append(
            {
                "id": o.pk,
                "code": o.code,
                "title": o.title,
                "label": short_label(o.code, o.title),
                **rolled(end_by_objective.get(o.pk, rollup.Rollup())),
                "activities": [row for row in rows if row["objective_id"] == o.pk],
            }
        )
    plan_end = rollup.rollup(at_end, day)
    plan_start = rollup.rollup(at_start, day)
    by_lead = rollup.by_lead(
        at_end, day, lambda r: [o.acronym for o in r.activity.lead_organizations.all()]
    )
    snapshot = {
        "network": {"name": network.name, "short_name": network.short_name},
        "workplan": {
            "id": workplan.pk,
            "title": workplan.title,
            "years": f"{workplan.start_year}–{workplan.end_year}"
            if workplan.start_year != workplan.end_year
            else str(workplan.start_year),
            "status_label": workplan.get_status_display(),
            "approved_on": iso(workplan.approved_on),
            "approval_reference": workplan.approval_reference,
            "description": workplan.description,
        },
        "period": {
            "label": period_label(start, end),
            "quarters": [str(p) for p in periods],
            "running": start <= today <= end,
        },
        "summary": {
            **rolled(plan_end),
            "percent_before": plan_start.percent_int,
            "updates": sum(len(r["updates"]) for r in rows),
        },
        "objectives": objective_rows,
        "leads": [{"acronym": acronym, **rolled(r)} for acronym, r in by_lead],
        "not_reported": [_not_reported(p, missing_by_period.get(p, []), today) for p in started],
    }
    return snapshot, _missing(workplan, snapshot, started)


class _Row:
    """An activity as rollup reads it, at one point of the period."""

    def __init__(self, activity: Activity, update: ProgressUpdate | None):
        self.activity = activity
        self.weight = activity.weight
        self.end = activity.end
        self.objective_id = activity.objective_id
        self.percent_complete = update.percent_complete if update else 0
        self.status = update.status if update else ActivityStatus.NOT_STARTED


def _quiet(activity: Activity, before: ProgressUpdate | None, start: date, end: date) -> str:
    """Why an activity has nothing to report for the period, if it has not."""
    if activity.start > end:
        return _("It starts after the period.")
    if before is not None and before.status == ActivityStatus.COMPLETED:
        return _("It was completed before the period.")
    if activity.end < start:
        return _("It ended before the period.")
    return ""


def _not_reported(period: Period, activities: list[Activity], today: date) -> dict:
    agencies: dict[int, dict] = {}
    for a in activities:
        leads = list(a.lead_organizations.all())
        lead_ids = {o.pk for o in leads}
        partners = [o for o in a.partner_organizations.all() if o.pk not in lead_ids]
        for org, role in [*((o, "lead") for o in leads), *((o, "partner") for o in partners)]:
            row = agencies.setdefault(
                org.pk, {"acronym": org.acronym, "name": org.name, "activities": []}
            )
            row["activities"].append({"code": a.code, "title": a.title, "role": role})
    return {
        "period": str(period),
        "slug": period.slug,
        "open": period.last_day >= today,  # reports may still come in
        "activities": len(activities),
        "agencies": sorted(agencies.values(), key=lambda r: r["acronym"].lower()),
    }


def _missing(workplan: Workplan, snapshot: dict, started: list[Period]) -> list[Missing]:
    missing = []
    if workplan.status == WorkplanStatus.DRAFT:
        missing.append(
            Missing(
                _("The workplan is a draft: it takes no progress until it is approved."),
                reverse("workplans:detail", args=[workplan.pk]),
            )
        )
    if not any(o["activities"] for o in snapshot["objectives"]):
        missing.append(
            Missing(
                _("The workplan has no activities yet."),
                reverse("workplans:activity_create", args=[workplan.pk]),
            )
        )
    if not started:
        missing.append(
            Missing(
                _("The period has not started: there is no progress to report yet."),
                reverse("workplans:detail", args=[workplan.pk]),
            )
        )
    for block in snapshot["not_reported"]:
        if block["agencies"]:
            missing.append(
                Missing(
                    _("%(n)s agencies have not reported on %(period)s.")
                    % {"n": len(block["agencies"]), "period": block["period"]},
                    reverse("workplans:not_reported", args=[workplan.pk])
                    + f"?period={block['slug']}",
                )
            )
    return missing


def title(network: Network, start: date, end: date, subject_id: int | None) -> str:
    workplan = workplan_of(network, subject_id)
    check_period(workplan, start, end)
    return _("Progress report on the %(workplan)s, %(period)s") % {
        "workplan": workplan,
        "period": period_label(start, end),
    }


SPEC = register(
    KindSpec(
        kind=ReportKind.WORKPLAN_PROGRESS,
        template="reports/pdf/workplan_progress.html",
        collect=collect,
        title=title,
        subject_label=_("workplan"),
    )
)
