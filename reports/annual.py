"""The annual report of a network for a calendar year: the membership (who
joined, who left, the executive committee at the end of the year), the
meetings held with their attendance, the decisions adopted and how far
their follow-up actions have come, the progress of the workplans running
in the year by objective and by lead agency (as the agencies had reported
it by the year's end), the task teams with their reviews, the documents
released and the engagements outside the network.

Every section is a fixed number of queries, whatever the number of rows
(prefetches and subqueries, no query per row): the report must build as
fast on ten years of data as on one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from types import SimpleNamespace

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from decisions.models import Decision, DecisionAction, DecisionStatus
from meetings.models import (
    ACTION_POINT_PENDING,
    ActionPointStatus,
    MeetingLevel,
    MeetingStatus,
)
from members.models import Membership, Network, Organization
from taskteams.models import TaskTeam, TaskTeamKind, TaskTeamStatus
from workplans import rollup
from workplans.models import Activity, ProgressUpdate, Workplan, WorkplanStatus
from workplans.selectors import natural_key
from workplans.services.progress import Period

from .chair_summary import _documents, _engagements, _meetings, _org
from .kinds import KindSpec, Missing, iso, register
from .models import ReportKind

HELD = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)


def as_of(end: date) -> date:
    """The day the figures are read at: the period's end, or today while
    the period runs."""
    return min(end, timezone.localdate())


def short_label(code: str, title: str, limit: int = 30) -> str:
    """A chart's label: the code and the title cut to fit beside the bars."""
    text = f"{code}. {title}" if code else title
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


# --- membership ----------------------------------------------------------------------------


def _membership(network: Network, start: date, end: date) -> dict:
    memberships = list(
        Membership.objects.filter(network=network, joined__lte=end)
        .select_related("organization")
        .order_by("organization__acronym", "joined")
    )

    def member_on(m: Membership, day: date) -> bool:
        return m.joined <= day and (m.left is None or m.left > day)

    current = [m for m in memberships if member_on(m, end)]
    return {
        "members_at_start": sum(1 for m in memberships if m.joined < start and member_on(m, start)),
        "members_at_end": len(current),
        "joined": [
            {"org": _org(m.organization), "day": iso(m.joined)}
            for m in sorted(memberships, key=lambda m: (m.joined, m.organization.acronym))
            if start <= m.joined <= end
        ],
        "left": [
            {"org": _org(m.organization), "day": iso(m.left)}
            for m in sorted(memberships, key=lambda m: (m.left or end, m.organization.acronym))
            if m.left and start <= m.left <= end
        ],
        "committee": [
            {"org": _org(m.organization), "since": iso(m.joined)}
            for m in current
            if m.executive_committee
        ],
    }


# --- decisions and their follow-up ----------------------------------------------------------


def _action(action, end: date, today: date) -> dict:
    pending = action.status in ACTION_POINT_PENDING
    return {
        "id": action.pk,
        "description": action.description,
        "owner": action.owner.acronym,
        "due": iso(action.due),
        "status": action.status,
        "status_label": str(ActionPointStatus(action.status).label),
        "done": iso(timezone.localtime(action.done_at).date()) if action.done_at else None,
        "drop_reason": action.drop_reason,
        # Late: still to do although its day (within the year) has passed.
        "overdue": bool(pending and action.due and action.due <= end and action.due < today),
    }


def _decisions(network: Network, start: date, end: date) -> list[dict]:
    today = timezone.localdate()
    links = DecisionAction.objects.select_related("action__owner").order_by(
        "action__due", "action__pk"
    )
    decisions = (
        Decision.objects.filter(
            network=network,
            status=DecisionStatus.ADOPTED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .select_related("meeting")
        .prefetch_related(Prefetch("action_links", queryset=links))
        .order_by("decided_on", "reference_number", "pk")
    )
    rows = []
    for d in decisions:
        actions = [_action(link.action, end, today) for link in d.action_links.all()]
        rows.append(
            {
                "id": d.pk,
                "reference": d.reference or "",
                "title": d.title,
                "day": iso(d.decided_on),
                "body": d.get_body_display(),
                "procedure": d.get_procedure_display(),
                "actions": actions,
                "done": sum(1 for a in actions if a["status"] == ActionPointStatus.DONE),
                "pending": sum(1 for a in actions if a["status"] in ACTION_POINT_PENDING),
                "dropped": sum(1 for a in actions if a["status"] == ActionPointStatus.DROPPED),
                "overdue": sum(1 for a in actions if a["overdue"]),
            }
        )
    return rows


def _follow_up(decisions: list[dict]) -> dict:
    actions = [a for d in decisions for a in d["actions"]]
    return {
        "actions": len(actions),
        "done": sum(d["done"] for d in decisions),
        "in_progress": sum(1 for a in actions if a["status"] == ActionPointStatus.IN_PROGRESS),
        "open": sum(1 for a in actions if a["status"] == ActionPointStatus.OPEN),
        "dropped": sum(d["dropped"] for d in decisions),
        "overdue": sum(d["overdue"] for d in decisions),
        "without_action": sum(1 for d in decisions if not d["actions"]),
    }


# --- workplans ---------------------------------------------------------------------------------


def activities_as_of(workplan_ids: list[int], period: Period):
    """The activities of these workplans with the figures of the newest
    update reported for `period` or before (`as_of_percent`, `as_of_status`,
    None when none was): what the agencies had reported by then, not what
    they report today. Two subqueries in one query, plus the leads."""
    reported = (
        ProgressUpdate.objects.filter(activity=OuterRef("pk"))
        .filter(Q(year__lt=period.year) | Q(year=period.year, quarter__lte=period.quarter))
        .order_by("-year", "-quarter", "-created_at", "-pk")
    )
    orgs = Organization.objects.only("id", "acronym", "name").order_by("acronym")
    return (
        Activity.objects.filter(objective__workplan__in=workplan_ids)
        .select_related("objective")
        .prefetch_related(Prefetch("lead_organizations", queryset=orgs))
        .annotate(
            as_of_percent=Subquery(reported.values("percent_complete")[:1]),
            as_of_status=Subquery(reported.values("status")[:1]),
        )
    )


def figures(activity) -> SimpleNamespace:
    """What rollup reads of an activity, as reported by the day of the report."""
    return SimpleNamespace(
        weight=activity.weight,
        percent_complete=activity.as_of_percent or 0,
        status=activity.as_of_status or "not_started",
        end=activity.end,
        leads=[o.acronym for o in activity.lead_organizations.all()],
        objective_id=activity.objective_id,
    )


def rolled(r: rollup.Rollup) -> dict:
    return {
        "count": r.count,
        "percent": r.percent_int,
        "status": r.status,
        "status_label": str(r.status_label),
        "overdue": r.overdue,
        "by_status": [
            {"status": s, "label": str(label), "n": n} for s, label, n in r.status_counts()
        ],
    }


def _workplans(network: Network, start: date, end: date) -> list[dict]:
    workplans = list(
        Workplan.objects.filter(network=network, start_year__lte=end.year, end_year__gte=start.year)
        .exclude(status=WorkplanStatus.DRAFT)
        .prefetch_related("objectives")
        .order_by("start_year", "title")
    )
    if not workplans:
        return []
    ids = [w.pk for w in workplans]
    day = as_of(end)
    by_plan: dict[int, list] = defaultdict(list)
    for activity in activities_as_of(ids, Period.of(end)):
        by_plan[activity.objective.workplan_id].append(figures(activity))
    # Updates logged for the quarters of the year, per workplan: one query.
    updates = dict(
        ProgressUpdate.objects.filter(
            activity__objective__workplan__in=ids,
            year__gte=start.year,
            year__lte=end.year,
        )
        .order_by()
        .values_list("activity__objective__workplan")
        .annotate(n=Count("pk"))
    )
    rows = []
    for w in workplans:
        activities = by_plan.get(w.pk, [])
        objectives = sorted(w.objectives.all(), key=lambda o: (o.position, natural_key(o.code)))
        per_objective = rollup.rollup_by(activities, lambda a: [a.objective_id], day)
        objective_rows = [
            {
                "code": o.code,
                "title": o.title,
                "label": short_label(o.code, o.title),
                **rolled(per_objective.get(o.pk, rollup.Rollup())),
            }
            for o in objectives
        ]
        rows.append(
            {
                "id": w.pk,
                "title": w.title,
                "years": f"{w.start_year}–{w.end_year}"
                if w.start_year != w.end_year
                else str(w.start_year),
                "status_label": w.get_status_display(),
                "approved_on": iso(w.approved_on),
                "approval_reference": w.approval_reference,
                "updates": updates.get(w.pk, 0),
                **rolled(rollup.rollup(activities, day)),
                "objectives": objective_rows,
                "leads": [
                    {"acronym": acronym, **rolled(r)}
                    for acronym, r in rollup.by_lead(activities, day, lambda a: a.leads)
                ],
            }
        )
    return rows


# --- task teams ----------------------------------------------------------------------------


def _task_teams(network: Network, start: date, end: date) -> list[dict]:
    """The teams at work in the year: established by its end, not ended
    before its start (a closed team without an end date cannot be placed in
    time and is left out)."""
    today = timezone.localdate()
    teams = (
        TaskTeam.objects.filter(network=network, established__lte=end)
        .exclude(end_date__lt=start)
        .exclude(status=TaskTeamStatus.CLOSED, end_date__isnull=True)
        .exclude(status=TaskTeamStatus.PROPOSED)
        .prefetch_related(Prefetch("co_chairs", queryset=Organization.objects.order_by("acronym")))
        .annotate(
            agencies=Count("member_organizations", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("kind", "name")
    )
    rows = []
    for t in teams:
        review = t.next_review
        rows.append(
            {
                "id": t.pk,
                "slug": t.slug,
                "name": t.name,
                "kind_label": str(TaskTeamKind(t.kind).label),
                "status": t.status,
                "status_label": str(TaskTeamStatus(t.status).label),
                "established": iso(t.established),
                "established_by": t.establishing_decision,
                "ends": iso(t.end_date),
                "co_chairs": [o.acronym for o in t.co_chairs.all()],
                "agencies": t.agencies,
                "activities": t.activity_count,
                "next_review": iso(review),
                # A review falling in the year: still ahead, or passed unrecorded.
                "review_in_year": bool(review and start <= review <= end),
                "review_overdue": bool(
                    review
                    and t.status == TaskTeamStatus.ACTIVE
                    and review < as_of(end)
                    and review <= today
                ),
            }
        )
    return rows


# --- the report -------------------------------------------------------------------------------


def collect(network: Network, start: date, end: date, subject_id: int | None):
    meetings = _meetings(network, start, end)
    held = [m for m in meetings if m["status"] in HELD]
    for m in held:
        m["attending"] = len(m["present"]) + len(m["guests"])
    decisions = _decisions(network, start, end)
    snapshot = {
        "network": {
            "name": network.name,
            "short_name": network.short_name,
            "established": iso(network.established),
            "about": (network.terms_of_reference or "").strip().split("\n\n")[0],
        },
        "year": start.year if start.year == end.year else None,
        **_membership(network, start, end),
        "meetings": held,
        "scheduled": [
            {"id": m["id"], "title": m["title"], "day": m["day"], "level_label": m["level_label"]}
            for m in meetings
            if m["status"] not in HELD
        ],
        "attendance": [
            {
                "label": f"{date_format(date.fromisoformat(m['day']), 'j M')} · {m['level_label']}",
                "present": len(m["present"]) + len(m["guests"]),
            }
            for m in held
            if m["attendance_recorded"]
        ],
        "decisions": decisions,
        "follow_up": _follow_up(decisions),
        "workplans": _workplans(network, start, end),
        "task_teams": _task_teams(network, start, end),
        "documents": _documents(network, start, end),
        "engagements": _engagements(network, start, end),
    }
    return snapshot, _missing(network, start, end, snapshot)


def _missing(network: Network, start: date, end: date, snapshot: dict) -> list[Missing]:
    missing = []
    if not snapshot["committee"]:
        missing.append(
            Missing(
                _("No member is marked as sitting on the executive committee."),
                reverse("members:network_detail", args=[network.slug]),
            )
        )
    if not snapshot["meetings"]:
        missing.append(
            Missing(
                _("No meeting held in the year is recorded: add the meetings held."),
                reverse("meetings:list") + f"?network={network.pk}",
            )
        )
    for m in snapshot["meetings"]:
        if not m["attendance_recorded"] and m["level"] != MeetingLevel.AD_HOC:
            missing.append(
                Missing(
                    _("Who attended the meeting of %(day)s is not recorded.")
                    % {"day": date_format(date.fromisoformat(m["day"]), "j F Y")},
                    reverse("meetings:attendance", args=[m["id"]]),
                )
            )
    for d in snapshot["decisions"]:
        if not d["actions"]:
            missing.append(
                Missing(
                    _("Decision %(ref)s has no follow-up action recorded.")
                    % {"ref": d["reference"] or d["title"]},
                    reverse("decisions:action_new", args=[d["id"]]),
                )
            )
    if not snapshot["workplans"]:
        missing.append(
            Missing(
                _("No approved workplan covers the year."),
                reverse("workplans:create", args=[network.slug]),
            )
        )
    for w in snapshot["workplans"]:
        if w["count"] and not w["updates"]:
            missing.append(
                Missing(
                    _("No progress was reported on the workplan “%(title)s” for the year.")
                    % {"title": w["title"]},
                    reverse("workplans:not_reported", args=[w["id"]]),
                )
            )
    for t in snapshot["task_teams"]:
        if t["status"] == TaskTeamStatus.ACTIVE and not t["next_review"]:
            missing.append(
                Missing(
                    _("The %(team)s has no review date.") % {"team": t["name"]},
                    reverse("taskteams:edit", args=[network.slug, t["slug"]]),
                )
            )
    if not snapshot["documents"]:
        missing.append(
            Missing(
                _("No document released in the year is in the register."),
                reverse("documents:list", args=[network.slug]),
            )
        )
    if not snapshot["engagements"]:
        missing.append(
            Missing(
                _("No engagement outside the network is recorded for the year."),
                reverse("documents:engagements", args=[network.slug]),
            )
        )
    return missing


def title(network: Network, start: date, end: date, subject_id: int | None) -> str:
    return _("Annual report %(year)s of the %(network)s") % {
        "network": network.name,
        "year": end.year if start.year == end.year else f"{start.year}–{end.year}",
    }


SPEC = register(
    KindSpec(
        kind=ReportKind.ANNUAL,
        template="reports/pdf/annual.html",
        collect=collect,
        title=title,
    )
)
