"""Reads on task teams, each with the joins its page needs, so a page costs
the same number of queries with 10 activities or members as with 300."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import Change
from members.models import Organization, Person

from .models import TaskTeam


def _count_of(model_field: str, model, link: str = "taskteam_id") -> Subquery:
    """A correlated count of `model` rows pointing at the team by `link`, so
    several counts on one list do not multiply rows."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{link: OuterRef("pk")})
            .order_by()
            .values(link)
            .annotate(n=Count(model_field))
            .values("n")
        ),
        0,
    )


def task_team_list(queryset: QuerySet[TaskTeam]) -> QuerySet[TaskTeam]:
    """The list's rows: network, co-chairs, and how many agencies, people
    and activities each team has."""
    return (
        queryset.select_related("network")
        .prefetch_related(Prefetch("co_chairs", queryset=Organization.objects.order_by("acronym")))
        .annotate(
            organization_count=_count_of("organization_id", TaskTeam.member_organizations.through),
            people_count=_count_of("person_id", TaskTeam.members.through),
            # Through the relation the workplans declare (their floor is
            # above this one), reached from the field, not an import.
            activity_count=_count_of("pk", TaskTeam.activities.field.model, link="task_team_id"),
        )
        .order_by("status", "name")
    )


def task_team_for_page(queryset: QuerySet[TaskTeam]) -> QuerySet[TaskTeam]:
    """The team of a page, with its co-chairs (the permission checks read them)."""
    return queryset.select_related("network").prefetch_related(
        Prefetch("co_chairs", queryset=Organization.objects.order_by("acronym"))
    )


@dataclass
class Progress:
    """The weighted progress of a set of activities (Activity.weight)."""

    percent: int
    by_status: dict[str, int]


def progress_of(activities: list) -> Progress:
    total = sum((a.weight for a in activities), Decimal(0))
    done = sum((a.weight * a.percent_complete for a in activities), Decimal(0))
    by_status: dict[str, int] = {}
    for activity in activities:
        by_status[activity.status] = by_status.get(activity.status, 0) + 1
    return Progress(percent=int(round(done / total)) if total else 0, by_status=by_status)


def task_team_page(team: TaskTeam) -> dict:
    """Composition and activities of a team, in a fixed number of queries."""
    co_chair_ids = {o.pk for o in team.co_chairs.all()}
    organizations = sorted(
        team.member_organizations.all(),
        key=lambda o: (o.pk not in co_chair_ids, o.acronym.lower()),
    )
    people = list(
        team.members.select_related("organization").order_by("organization__acronym", "name")
    )
    # The activities point at the team (workplans sits on the floor above):
    # read through the reverse relation, not the workplans' models.
    activities = list(
        team.activities.select_related("objective__workplan")
        .prefetch_related(
            Prefetch("lead_organizations", queryset=Organization.objects.order_by("acronym")),
            Prefetch("partner_organizations", queryset=Organization.objects.order_by("acronym")),
        )
        .order_by("objective__workplan__start_year", "objective__position", "code")
    )
    return {
        "co_chairs": list(team.co_chairs.all()),
        "co_chair_ids": co_chair_ids,
        "organizations": organizations,
        "people": people,
        "activities": activities,
        "progress": progress_of(activities),
        "meetings": list(team.meetings.exclude(status="cancelled").order_by("-start")[:20]),
    }


def membership_page(team: TaskTeam) -> dict:
    """The membership page: the agencies and people on the team."""
    return {
        "co_chair_ids": {o.pk for o in team.co_chairs.all()},
        "organizations": list(team.member_organizations.order_by("acronym")),
        "people": list(
            Person.objects.filter(task_teams=team)
            .select_related("organization")
            .order_by("organization__acronym", "name")
        ),
    }


# --- history ------------------------------------------------------------------------------

# The readable verb of each action code the services record (services._record).
ACTIONS = {
    "taskteam.create": gettext_lazy("created"),
    "taskteam.edit": gettext_lazy("changed"),
    "taskteam.activate": gettext_lazy("activated"),
    "taskteam.close": gettext_lazy("closed"),
    "taskteam.organization.add": gettext_lazy("added an organization"),
    "taskteam.organization.remove": gettext_lazy("removed an organization"),
    "taskteam.people.remove": gettext_lazy("removed the organization's people"),
    "taskteam.person.add": gettext_lazy("added"),
    "taskteam.person.remove": gettext_lazy("removed"),
}


def team_history(team: TaskTeam, limit: int = 15) -> list[Change]:
    """Who changed what on the team, newest first, with the agencies added
    to or removed from its co-chairs and members: like core.history.changes_for,
    but the many-to-many snapshots are read in one query per field instead of
    two per change, so the page's queries do not grow with its history."""
    records = list(
        team.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    history_ids = [r.history_id for r in records]
    m2m_fields = [f.name for f in TaskTeam.history.model._history_m2m_fields]
    snapshots: dict[str, dict[int, set[int]]] = {}
    org_ids: set[int] = set()
    for name in m2m_fields:
        # simple_history's snapshot of the field, one row per record and agency.
        through = apps.get_model("taskteams", f"HistoricalTaskTeam_{name}")
        rows = through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", "organization_id"
        )
        by_record: dict[int, set[int]] = defaultdict(set)
        for history_id, organization_id in rows:
            by_record[history_id].add(organization_id)
            org_ids.add(organization_id)
        snapshots[name] = by_record
    person_ids = {
        int(r.history_change_reason.rsplit(" ", 1)[1])
        for r in records
        if (r.history_change_reason or "").startswith("taskteam.person.")
        and r.history_change_reason.rsplit(" ", 1)[-1].isdigit()
    }
    acronyms = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "acronym"))
    names = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name"))
    labels = {
        f.name: f.verbose_name for f in TaskTeam._meta.get_fields() if hasattr(f, "verbose_name")
    }

    def orgs(ids: set[int]) -> str:
        return ", ".join(sorted(acronyms.get(i, "?") for i in ids))

    changes = []
    for newer, older in zip(records[:limit], records[1 : limit + 1] + [None], strict=False):
        fields: list[tuple[str, object, object]] = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=[*m2m_fields, "updated_at"])
            fields = [(str(labels.get(c.field, c.field)), c.old, c.new) for c in delta.changes]
            for name in m2m_fields:
                before = snapshots[name].get(older.history_id, set())
                after = snapshots[name].get(newer.history_id, set())
                if before != after:
                    fields.append((str(labels[name]), orgs(before), orgs(after)))
        reason = newer.history_change_reason or ""
        code, _sep, subject = reason.partition(" ")
        kind = (
            str(ACTIONS[code])
            if code in ACTIONS
            else {"+": _("created"), "-": _("deleted")}.get(newer.history_type, _("changed"))
        )
        if subject.isdigit():
            kind = f"{kind} {names.get(int(subject), _('a person'))}"
        who = str(newer.history_user) if newer.history_user else "system"
        changes.append(Change(newer.history_date, who, kind, fields))
    return changes
