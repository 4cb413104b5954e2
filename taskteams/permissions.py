"""Permission questions about task teams, in one place.

The secretariat sets task teams up and edits everything about them; the
co-chairs' focal points manage their team's membership and activities;
members of the network read them."""

from __future__ import annotations

from django.db.models import QuerySet

from core.roles import Actor
from members.permissions import member_network_ids

from .models import TaskTeam


def visible_task_teams(actor: Actor) -> QuerySet[TaskTeam]:
    if not actor.is_authenticated:
        return TaskTeam.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return TaskTeam.objects.all()
    ids = (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )
    return TaskTeam.objects.filter(network_id__in=ids)


def is_co_chair(actor: Actor, team: TaskTeam) -> bool:
    return any(actor.is_focal_point(o.pk) for o in team.co_chairs.all())


def can(actor: Actor, action: str, obj=None) -> bool:
    match action:
        case "taskteam.create":
            return obj is not None and actor.manages(obj.pk)
        case "taskteam.manage":
            return actor.manages(obj.network_id)
        case "taskteam.manage_membership":
            return actor.manages(obj.network_id) or is_co_chair(actor, obj)
    raise ValueError(f"Unknown action {action!r}")
