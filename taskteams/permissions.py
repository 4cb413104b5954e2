"""Permission questions about task teams, in one place.

The secretariat (and admins) of a network set its task teams up, edit them,
activate and close them. The co-chairs' focal points manage their team's
membership. The network's members (its agencies' people) and the people
named in a team read it, its terms of reference included; anyone else gets
a 404, never a hint that the team exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import AccessFields
from members.models import Network
from members.permissions import member_network_ids
from members.roles import Actor

from .models import TaskTeam

# --- the fields that decide access (core.access) --------------------------------
# The co-chairs' focal points manage the team's membership and log progress on
# its activities; the members named in it read it and report. Only the
# secretariat changes these (the team's form and its status buttons); the
# co-chairs' membership page adds and removes member agencies and people,
# never a co-chair (taskteams.services refuses it).
TASK_TEAM_ACCESS = AccessFields(
    fields=("network", "status", "co_chairs"),
    action="taskteam.manage",
)


def _network_ids(actor: Actor) -> frozenset[int]:
    return (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )


def sees_any_network(actor: Actor) -> bool:
    """May read the task teams of some network (the menu shows "Task teams")."""
    if not actor.is_authenticated:
        return False
    return actor.is_admin or actor.secretariat_everywhere or bool(_network_ids(actor))


def sees_network(actor: Actor, network_id: int) -> bool:
    """May read the task teams of this network (its list, its pages)."""
    if not actor.is_authenticated:
        return False
    if actor.is_admin or actor.secretariat_everywhere:
        return True
    return network_id in _network_ids(actor)


def visible_task_teams(actor: Actor) -> QuerySet[TaskTeam]:
    if not actor.is_authenticated:
        return TaskTeam.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return TaskTeam.objects.all()
    # A person named in a team reads it even when the agency is a partner
    # from outside the network (seed 002: "all relevant stakeholders").
    named_in = TaskTeam.members.through.objects.filter(person__user_id=actor.user_id).values(
        "taskteam_id"
    )
    return TaskTeam.objects.filter(Q(network_id__in=_network_ids(actor)) | Q(pk__in=named_in))


def is_co_chair(actor: Actor, team: TaskTeam) -> bool:
    """A focal point (or alternate) of a co-chairing agency, for this network.
    Uses the team's prefetched co-chairs when there are any."""
    co_chairs = {o.pk for o in team.co_chairs.all()}
    return any(
        a.level in ("focal_point", "alternate")
        and a.organization_id in co_chairs
        and a.network_id in (None, team.network_id)
        for a in actor.affiliations
    )


def can(actor: Actor, action: str, obj: TaskTeam | Network | None = None) -> bool:
    match action:
        case "taskteam.list":
            # obj: the network
            return obj is not None and sees_network(actor, obj.pk)
        case "taskteam.create":
            # obj: the network
            return obj is not None and actor.manages(obj.pk)
        case "taskteam.manage":
            assert isinstance(obj, TaskTeam)
            return actor.manages(obj.network_id)
        case "taskteam.manage_membership":
            assert isinstance(obj, TaskTeam)
            return actor.manages(obj.network_id) or is_co_chair(actor, obj)
    raise ValueError(f"Unknown action {action!r}")
