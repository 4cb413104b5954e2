"""Every permission question about workplans and progress, in one place.

The secretariat (and admins) build and monitor their networks' workplans.
Members of a network (its agencies' people) read its workplans. A focal
point of a lead or partner agency logs progress on that activity, and so do
the members of the activity's task team and its co-chairs' focal points;
nobody else does (403 when they may see the activity, 404 when not).

Who leads an activity, who partners in it and its task team decide who
reports its progress: only the secretariat (and admins) change them
(ACTIVITY_ACCESS); a task team's co-chairs edit the rest of the activity.

Who has not reported on a workplan's quarter, and the reminder to them, is
for the secretariat of its network and admins ("progress.monitor").

Evidence of progress (the file and the link of an update) is for those the
activity's reporting concerns: see `may_view_evidence`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import AccessFields
from members.permissions import member_network_ids
from members.roles import Actor
from taskteams.permissions import is_co_chair

from .models import Activity, ProgressUpdate, Workplan

# --- the fields that decide access ------------------------------------------------

ACTIVITY_ACCESS = AccessFields(
    fields=("lead_organizations", "partner_organizations", "task_team"),
    action="activity.change_access",
)
# A workplan's status moves only through approve and close (workplan.manage).
WORKPLAN_ACCESS = AccessFields(fields=("status",), action="workplan.manage")


def _network_ids(actor: Actor) -> frozenset[int]:
    return (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )


def visible_workplans(actor: Actor) -> QuerySet[Workplan]:
    if not actor.is_authenticated:
        return Workplan.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return Workplan.objects.all()
    return Workplan.objects.filter(network_id__in=_network_ids(actor))


def visible_activities(actor: Actor) -> QuerySet[Activity]:
    if not actor.is_authenticated:
        return Activity.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return Activity.objects.all()
    return Activity.objects.filter(objective__workplan__network_id__in=_network_ids(actor))


def reporting_organization_ids(actor: Actor, activity: Activity) -> set[int]:
    """The agencies the actor may report for on this activity (empty: none).
    Uses the activity's prefetched leads, partners and task team if present."""
    lead_and_partners = {o.pk for o in activity.lead_organizations.all()} | {
        o.pk for o in activity.partner_organizations.all()
    }
    network_id = activity.objective.workplan.network_id
    mine = {
        a.organization_id
        for a in actor.affiliations
        if a.level in ("focal_point", "alternate") and a.network_id in (None, network_id)
    }
    allowed = lead_and_partners & mine
    team = activity.task_team
    if team is not None:
        co_chairs = {o.pk for o in team.co_chairs.all()}
        allowed |= co_chairs & mine
        member_people = [p for p in team.members.all() if p.user_id == actor.user_id]
        allowed |= {p.organization_id for p in member_people}
    return allowed


def can(actor: Actor, action: str, obj=None) -> bool:
    match action:
        case "workplan.create":
            # obj: the network
            return obj is not None and actor.manages(obj.pk)
        case "workplan.manage":
            return actor.manages(obj.network_id)
        case "activity.manage":
            activity: Activity = obj
            if actor.manages(activity.objective.workplan.network_id):
                return True
            # A co-chair of its task team, for the team's network.
            team = activity.task_team
            return team is not None and is_co_chair(actor, team)
        case "activity.change_access":
            # ACTIVITY_ACCESS: who leads, partners and reports.
            activity = obj
            return actor.manages(activity.objective.workplan.network_id)
        case "progress.log":
            return bool(reporting_organization_ids(actor, obj))
        case "progress.monitor":
            # Who has not reported yet, and the reminder to them (obj: the workplan).
            return actor.manages(obj.network_id)
        case "progress.view_evidence":
            return may_view_evidence(actor, obj)
    raise ValueError(f"Unknown action {action!r}")


def may_view_evidence(actor: Actor, update: ProgressUpdate) -> bool:
    """The evidence of a progress update (its file and its link) follows the
    rule of the update's reporting, not of the activity page: it is for

    - the agencies the activity concerns: its lead and partner agencies and
      the agency reported for (any of their people, principals too), and
      whoever may report on it (its task team's co-chairs and members);
    - the chair of the workplan's network (or its coordinator);
    - the secretariat and admins of that network.

    Other members of the network see the update's quarter, status, percent
    and narrative on the activity page, not its evidence. Uses the
    activity's prefetched leads, partners and task team if present.
    """
    activity = update.activity
    network_id = activity.objective.workplan.network_id
    if actor.manages(network_id) or actor.is_chair(network_id):
        return True
    concerned = {o.pk for o in activity.lead_organizations.all()} | {
        o.pk for o in activity.partner_organizations.all()
    }
    concerned.add(update.organization_id)
    if any(actor.speaks_for(org_id, network_id) for org_id in concerned):
        return True
    return bool(reporting_organization_ids(actor, activity))


def activities_of(actor: Actor) -> QuerySet[Activity]:
    """The activities the actor's agencies lead or partner in, or whose task
    team the actor is on: a focal point's own list."""
    org_ids = [
        a.organization_id for a in actor.affiliations if a.level in ("focal_point", "alternate")
    ]
    return (
        visible_activities(actor)
        .filter(
            Q(lead_organizations__in=org_ids)
            | Q(partner_organizations__in=org_ids)
            | Q(task_team__members__user_id=actor.user_id)
            | Q(task_team__co_chairs__in=org_ids)
        )
        .distinct()
    )
