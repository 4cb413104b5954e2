"""The biennial report of a network to the Secretary-General, as seed 002
asks of the UN Network on Migration: on the implementation of the Global
Compact (the workplan activities, by the GCM objective each serves), the
activities of the UN system in this regard (by lead agency, with their
progress) and the functioning of the institutional arrangements (the
membership and its executive committee, meetings, decisions, task teams and
working groups). The regional networks under it (`parent`) give their input
through the same records: their activities are counted in the first two
sections, each marked with its network, and each region has a section of its
own. The period is two calendar years (the schedule asks for the two before
the report is due); any period given is reported on as it is.

The queries do not grow with the rows: one per kind of record, for the
network and its regions together."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from decisions.models import Decision, DecisionStatus
from meetings.models import Meeting, MeetingLevel, MeetingStatus
from members.models import ChairTerm, Governance, Membership, Network
from taskteams.models import TaskTeam, TaskTeamKind, TaskTeamStatus
from workplans.models import (
    Activity,
    ActivityStatus,
    Framework,
    FrameworkObjective,
    ProgressUpdate,
    Workplan,
    WorkplanStatus,
)

from .kinds import KindSpec, Missing, iso, register
from .models import ReportKind

# Workplans whose activities the report counts: agreed ones, not drafts.
AGREED = (WorkplanStatus.APPROVED, WorkplanStatus.CLOSED)
# Activities a report names as needing attention.
TROUBLED = (ActivityStatus.AT_RISK, ActivityStatus.DELAYED)


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _years(start: date, end: date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def _about(network: Network) -> str:
    # The first paragraph of its terms of reference: what it is.
    return (network.terms_of_reference or "").strip().split("\n\n")[0]


def _scope(network: Network) -> list[Network]:
    """The network, then the regional networks that report through it (with
    their coordinators, in one query)."""
    networks = (
        Network.objects.filter(Q(pk=network.pk) | Q(parent=network))
        .select_related("coordinator")
        .order_by("name")
    )
    return sorted(networks, key=lambda n: n.pk != network.pk)


def _progress(activity_ids: list[int], start: date, end: date) -> dict[int, dict]:
    """Each activity's standing at the end of the period (its newest update
    up to the period's last quarter) and how many updates were logged in it."""
    first, last = _quarter(start), _quarter(end)
    updates = (
        ProgressUpdate.objects.filter(activity_id__in=activity_ids, year__lte=end.year)
        .order_by("activity_id", "-year", "-quarter", "-created_at", "-pk")
        .values("activity_id", "year", "quarter", "percent_complete", "status", "narrative")
    )
    standing: dict[int, dict] = {}
    for u in updates:
        when = (u["year"], u["quarter"])
        if when > last:
            continue
        row = standing.setdefault(u["activity_id"], {"latest": u, "in_period": 0})
        if when >= first:
            row["in_period"] += 1
    return standing


def _activities(scope: list[Network], start: date, end: date) -> list[dict]:
    activities = list(
        Activity.objects.filter(
            objective__workplan__network__in=scope,
            objective__workplan__status__in=AGREED,
            start__lte=end,
            end__gte=start,
        )
        .select_related("objective__workplan__network", "task_team")
        .prefetch_related("lead_organizations", "partner_organizations", "framework_objectives")
        .order_by("objective__workplan__start_year", "objective__position", "code", "pk")
    )
    order = {n.pk: i for i, n in enumerate(scope)}
    activities.sort(key=lambda a: order[a.objective.workplan.network_id])
    standing = _progress([a.pk for a in activities], start, end)
    rows = []
    for a in activities:
        network = a.objective.workplan.network
        tags = sorted(a.framework_objectives.all(), key=lambda f: (f.framework, f.number))
        progress = standing.get(a.pk)
        latest = progress["latest"] if progress else None
        status = latest["status"] if latest else ActivityStatus.NOT_STARTED
        rows.append(
            {
                "id": a.pk,
                "code": a.code,
                "title": a.title,
                "network": network.short_name,
                "network_id": network.pk,
                "workplan_id": a.objective.workplan_id,
                "objective": a.objective.code,
                "leads": sorted(o.acronym for o in a.lead_organizations.all()),
                "partners": sorted(o.acronym for o in a.partner_organizations.all()),
                "task_team": a.task_team.name if a.task_team_id else "",
                "start": iso(a.start),
                "end": iso(a.end),
                "indicator": a.indicator,
                "target": a.target,
                "gcm": [f.code for f in tags if f.framework == Framework.GCM],
                "sdg": [f.code for f in tags if f.framework == Framework.SDG],
                "status": status,
                "status_label": str(ActivityStatus(status).label),
                "percent": latest["percent_complete"] if latest else None,
                "as_of": f"{latest['year']} Q{latest['quarter']}" if latest else "",
                "narrative": latest["narrative"] if latest else "",
                "updates": progress["in_period"] if progress else 0,
            }
        )
    return rows


def _brief(a: dict) -> dict:
    """An activity as an objective's or an agency's list names it."""
    return {
        key: a[key]
        for key in ("id", "code", "title", "network", "leads", "status", "status_label", "percent")
    }


def _decisions(scope: list[Network], start: date, end: date) -> list[dict]:
    decisions = (
        Decision.objects.filter(
            network__in=scope,
            status=DecisionStatus.ADOPTED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .prefetch_related("topics")
        .order_by("decided_on", "reference_number", "pk")
    )
    return [
        {
            "id": d.pk,
            "network_id": d.network_id,
            "reference": d.reference or "",
            "title": d.title,
            "day": iso(d.decided_on),
            "body": d.get_body_display(),
            "topics": [t.code for t in d.topics.all()],
        }
        for d in decisions
    ]


def _by_objective(activities: list[dict], decisions: list[dict], framework: str) -> list[dict]:
    objectives = list(FrameworkObjective.objects.filter(framework=framework).order_by("number"))
    rows = []
    for fo in objectives:
        items = [_brief(a) for a in activities if fo.code in a[framework]]
        taken = [
            {"reference": d["reference"], "title": d["title"], "day": d["day"]}
            for d in decisions
            if fo.code in d["topics"]
        ]
        if not items and not taken:
            continue
        rows.append(
            {
                "id": fo.pk,
                "code": fo.code,
                "number": fo.number,
                "title": fo.title,
                "count": len(items),
                "completed": sum(1 for a in items if a["status"] == ActivityStatus.COMPLETED),
                "networks": list(dict.fromkeys(a["network"] for a in items)),
                "leads": sorted({o for a in items for o in a["leads"]}),
                "activities": items,
                "decisions": taken,
            }
        )
    return rows


def _agencies(activities: list[dict], names: dict[str, str]) -> list[dict]:
    led: dict[str, list[dict]] = defaultdict(list)
    partner: dict[str, int] = defaultdict(int)
    for a in activities:
        for acronym in a["leads"]:
            led[acronym].append(a)
        for acronym in a["partners"]:
            partner[acronym] += 1
    rows = []
    for acronym in sorted(set(led) | set(partner)):
        mine = led.get(acronym, [])
        reported = [a["percent"] for a in mine if a["percent"] is not None]
        rows.append(
            {
                "acronym": acronym,
                "name": names.get(acronym, acronym),
                "led_count": len(mine),
                "partner_count": partner.get(acronym, 0),
                "completed": sum(1 for a in mine if a["status"] == ActivityStatus.COMPLETED),
                "average": round(sum(reported) / len(reported)) if reported else None,
                "gcm": sorted(
                    {c for a in mine for c in a["gcm"]}, key=lambda c: int(c.split()[-1])
                ),
                "led": [
                    {**_brief(a), "narrative": a["narrative"], "as_of": a["as_of"]} for a in mine
                ],
            }
        )
    return rows


def _meetings(scope: list[Network], start: date, end: date) -> list[dict]:
    meetings = (
        Meeting.objects.filter(network__in=scope, start__date__gte=start, start__date__lte=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("start", "pk")
    )
    return [
        {
            "id": m.pk,
            "network_id": m.network_id,
            "title": m.title,
            "level": m.level,
            "level_label": str(MeetingLevel(m.level).label),
            "day": iso(m.local_start.date()),
            "city": m.city,
            "status": m.status,
            "status_label": str(MeetingStatus(m.status).label),
        }
        for m in meetings
    ]


def _task_teams(scope: list[Network], start: date, end: date) -> list[dict]:
    """The task teams and working groups at work in the period: set up by
    its end, and not closed before it began."""
    teams = (
        TaskTeam.objects.filter(network__in=scope)
        .exclude(established__gt=end)
        .exclude(status=TaskTeamStatus.CLOSED, end_date__lt=start)
        .prefetch_related("co_chairs", "member_organizations")
        .order_by("kind", "name")
    )
    return [
        {
            "id": t.pk,
            "network_id": t.network_id,
            "name": t.name,
            "kind": t.kind,
            "kind_label": str(TaskTeamKind(t.kind).label),
            "status": t.status,
            "status_label": str(TaskTeamStatus(t.status).label),
            "established": iso(t.established),
            "end_date": iso(t.end_date),
            "co_chairs": sorted(o.acronym for o in t.co_chairs.all()),
            "members": len(t.member_organizations.all()),
            "focus": t.focus,
        }
        for t in teams
    ]


def _memberships(scope: list[Network], end: date) -> list[Membership]:
    return list(
        Membership.objects.filter(network__in=scope, joined__lte=end)
        .select_related("organization")
        .order_by("organization__acronym")
    )


def _membership(memberships: list[Membership], network_id: int, start: date, end: date) -> dict:
    mine = [m for m in memberships if m.network_id == network_id]
    current = [m for m in mine if m.left is None or m.left > end]

    def row(m: Membership, day: date | None) -> dict:
        return {"acronym": m.organization.acronym, "name": m.organization.name, "day": iso(day)}

    return {
        "members": len(current),
        "committee": [row(m, m.joined) for m in current if m.executive_committee],
        "joined": [row(m, m.joined) for m in mine if start <= m.joined <= end],
        "left": [row(m, m.left) for m in mine if m.left and start <= m.left <= end],
    }


def _workplans(scope: list[Network], start: date, end: date) -> list[Workplan]:
    return list(
        Workplan.objects.filter(
            network__in=scope,
            status__in=AGREED,
            start_year__lte=end.year,
            end_year__gte=start.year,
        )
        .prefetch_related("objectives")
        .order_by("start_year", "title")
    )


def _workplan_rows(plans: list[Workplan], activities: list[dict]) -> list[dict]:
    rows = []
    for plan in plans:
        objectives = []
        for objective in plan.objectives.all():
            items = [
                a
                for a in activities
                if a["workplan_id"] == plan.pk and a["objective"] == objective.code
            ]
            reported = [a["percent"] for a in items if a["percent"] is not None]
            objectives.append(
                {
                    "code": objective.code,
                    "title": objective.title,
                    "count": len(items),
                    "completed": sum(1 for a in items if a["status"] == ActivityStatus.COMPLETED),
                    "average": round(sum(reported) / len(reported)) if reported else None,
                }
            )
        rows.append(
            {
                "id": plan.pk,
                "title": plan.title,
                "years": f"{plan.start_year}–{plan.end_year}"
                if plan.end_year != plan.start_year
                else str(plan.start_year),
                "status_label": str(WorkplanStatus(plan.status).label),
                "approved_on": iso(plan.approved_on),
                "approval_reference": plan.approval_reference,
                "objectives": objectives,
            }
        )
    return rows


def _arrangements(
    network: Network,
    start: date,
    end: date,
    memberships: list[Membership],
    meetings: list[dict],
    decisions: list[dict],
    teams: list[dict],
    terms: list[ChairTerm],
) -> dict:
    """How one network worked in the period."""
    mine = [m for m in meetings if m["network_id"] == network.pk]
    levels: dict[str, int] = defaultdict(int)
    for m in mine:
        levels[m["level_label"]] += 1
    return {
        "coordinator": network.coordinator.name if network.coordinator_id else "",
        "coordinator_acronym": network.coordinator.acronym if network.coordinator_id else "",
        "governance": network.governance,
        "governance_label": str(Governance(network.governance).label) if network.governance else "",
        **_membership(memberships, network.pk, start, end),
        "chair_terms": [
            {"chair": t.organization.acronym, "start": iso(t.start), "end": iso(t.end)}
            for t in terms
            if t.network_id == network.pk
        ],
        "meetings": mine,
        "meetings_by_level": [{"level": k, "count": v} for k, v in levels.items()],
        "decisions": [d for d in decisions if d["network_id"] == network.pk],
        "task_teams": [t for t in teams if t["network_id"] == network.pk],
    }


def collect(network: Network, start: date, end: date, subject_id: int | None):
    scope = _scope(network)
    network = scope[0]  # with its coordinator
    activities = _activities(scope, start, end)
    decisions = _decisions(scope, start, end)
    meetings = _meetings(scope, start, end)
    teams = _task_teams(scope, start, end)
    memberships = _memberships(scope, end)
    plans = _workplans(scope, start, end)
    terms = list(
        ChairTerm.objects.filter(network__in=scope, start__lte=end, end__gte=start)
        .select_related("organization")
        .order_by("start")
    )
    names = {m.organization.acronym: m.organization.name for m in memberships}
    gcm = _by_objective(activities, decisions, Framework.GCM)
    total_gcm = FrameworkObjective.objects.filter(framework=Framework.GCM).count()
    regions = []
    for region in scope[1:]:
        mine = [a for a in activities if a["network_id"] == region.pk]
        regions.append(
            {
                "id": region.pk,
                "name": region.name,
                "short_name": region.short_name,
                "about": _about(region),
                "established": iso(region.established),
                "activities": len(mine),
                "completed": [_brief(a) for a in mine if a["status"] == ActivityStatus.COMPLETED],
                "troubled": [
                    {**_brief(a), "narrative": a["narrative"], "as_of": a["as_of"]}
                    for a in mine
                    if a["status"] in TROUBLED
                ],
                "gcm": sorted(
                    {c for a in mine for c in a["gcm"]}, key=lambda c: int(c.split()[-1])
                ),
                "leads": sorted({o for a in mine for o in a["leads"]}),
                "workplans": _workplan_rows([p for p in plans if p.network_id == region.pk], mine),
                **_arrangements(region, start, end, memberships, meetings, decisions, teams, terms),
            }
        )
    snapshot = {
        "network": {
            "name": network.name,
            "short_name": network.short_name,
            "level": network.level,
            "established": iso(network.established),
            "about": _about(network),
        },
        "activities": activities,
        "gcm": gcm,
        # Objectives some activity served (a decision alone does not count).
        "gcm_served": sum(1 for o in gcm if o["count"]),
        "gcm_total": total_gcm,
        "gcm_without": [a["code"] + " (" + a["network"] + ")" for a in activities if not a["gcm"]],
        "sdg": _by_objective(activities, decisions, Framework.SDG),
        "agencies": _agencies(activities, names),
        "institutional": _arrangements(
            network, start, end, memberships, meetings, decisions, teams, terms
        ),
        "workplans": _workplan_rows(
            [p for p in plans if p.network_id == network.pk],
            [a for a in activities if a["network_id"] == network.pk],
        ),
        "regions": regions,
    }
    return snapshot, _missing(scope, start, end, snapshot)


def _missing(scope: list[Network], start: date, end: date, snapshot: dict) -> list[Missing]:
    network = scope[0]
    missing = []
    years = _years(start, end)
    own = {network.pk: snapshot["workplans"]} | {
        r["id"]: r["workplans"] for r in snapshot["regions"]
    }
    for n in scope:
        if not own[n.pk]:
            missing.append(
                Missing(
                    _("%(network)s has no approved workplan for %(years)s.")
                    % {"network": n.short_name, "years": years},
                    reverse("workplans:list") + f"?network={n.pk}",
                )
            )
    for a in snapshot["activities"]:
        if not a["gcm"]:
            missing.append(
                Missing(
                    _("Activity %(code)s of %(network)s serves no GCM objective: tag it.")
                    % {"code": a["code"], "network": a["network"]},
                    reverse("workplans:activity_edit", args=[a["id"]]),
                )
            )
        if not a["updates"]:
            missing.append(
                Missing(
                    _("No progress on activity %(code)s of %(network)s was reported in %(years)s.")
                    % {"code": a["code"], "network": a["network"], "years": years},
                    reverse("workplans:activity", args=[a["id"]]),
                )
            )
    arrangements = [(network, snapshot["institutional"])] + [
        (n, r) for n, r in zip(scope[1:], snapshot["regions"], strict=True)
    ]
    for n, part in arrangements:
        if not part["meetings"]:
            missing.append(
                Missing(
                    _("No meeting of %(network)s is recorded in %(years)s.")
                    % {"network": n.short_name, "years": years},
                    reverse("meetings:list") + f"?network={n.pk}",
                )
            )
        if not part["decisions"]:
            missing.append(
                Missing(
                    _("No decision of %(network)s adopted in %(years)s is in the register.")
                    % {"network": n.short_name, "years": years},
                    reverse("decisions:network", args=[n.slug]),
                )
            )
        if n.governance == Governance.COORDINATOR and not part["committee"]:
            missing.append(
                Missing(
                    _("No member of %(network)s is marked as sitting on its executive committee.")
                    % {"network": n.short_name},
                    reverse("members:network_detail", args=[n.slug]),
                )
            )
    return missing


def title(network: Network, start: date, end: date, subject_id: int | None) -> str:
    return _("Report of the %(network)s to the Secretary-General, %(years)s") % {
        "network": network.name,
        "years": _years(start, end),
    }


SPEC = register(
    KindSpec(
        kind=ReportKind.BIENNIAL,
        template="reports/pdf/biennial.html",
        collect=collect,
        title=title,
    )
)
