"""Who reads and builds the reports of a network.

- The network's managers (its secretariat and admins, the admins of every
  network) build every kind, see every build, failed ones with their
  reason too, and retry them.
- Its chair (the agency holding the current term) builds the chair's
  summary report, and sees its builds.
- The people of its member agencies read the ready reports.
- The requester of a build sees it whatever its state.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from members.permissions import member_network_ids
from members.roles import Actor

from .models import BuildStatus, ReportBuild, ReportKind


def manages(actor: Actor, network_id: int) -> bool:
    if actor.is_admin or actor.secretariat_everywhere:
        return True
    return network_id in (actor.secretariat_network_ids | actor.admin_network_ids)


def chairs(actor: Actor, network_id: int) -> bool:
    return network_id in actor.chair_network_ids


def reads(actor: Actor, network_id: int) -> bool:
    if not actor.is_authenticated:
        return False
    return (
        manages(actor, network_id)
        or chairs(actor, network_id)
        or network_id in member_network_ids(actor)
    )


def buildable_kinds(actor: Actor, network_id: int) -> list[str]:
    if manages(actor, network_id):
        return list(ReportKind.values)
    if chairs(actor, network_id):
        return [ReportKind.CHAIR_SUMMARY]
    return []


def visible_builds(actor: Actor) -> QuerySet[ReportBuild]:
    if not actor.is_authenticated:
        return ReportBuild.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return ReportBuild.objects.all()
    managed = actor.secretariat_network_ids | actor.admin_network_ids
    allowed = Q(network_id__in=managed) | Q(requested_by_id=actor.user_id)
    allowed |= Q(network_id__in=actor.chair_network_ids, kind=ReportKind.CHAIR_SUMMARY)
    readers = member_network_ids(actor) | actor.chair_network_ids
    allowed |= Q(network_id__in=readers, status=BuildStatus.READY)
    return ReportBuild.objects.filter(allowed)


def can(actor: Actor, action: str, obj=None) -> bool:
    """`obj` is a network for "read" and "build", a build otherwise."""
    if action == "read":
        return reads(actor, obj.pk)
    if action == "build":
        return bool(buildable_kinds(actor, obj.pk))
    if action == "retry":
        return obj.status == BuildStatus.FAILED and (
            manages(actor, obj.network_id) or obj.kind in buildable_kinds(actor, obj.network_id)
        )
    return False
