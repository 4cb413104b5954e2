"""Every permission question about decisions, answered in one place.

- The chair or coordinator of the network and its secretariat (and admins)
  draft, open, revise, close early, withdraw and escalate (`decision.manage`),
  record a position received by e-mail or at a meeting for an agency
  (`position.record`), and see drafts.
- The principals and focal points (and alternates) of each member agency of
  the deciding body state their agency's position (`position.state`) while
  the decision is open, for that agency only; a contact for another network
  does not speak for the agency here.
- The network's members read its decisions once opened (drafts are not
  theirs to read); the public reads the adopted decisions marked public,
  without positions.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from members.permissions import member_network_ids
from members.roles import Actor

from .models import Decision, DecisionStatus
from .selectors import body_agency_ids

POSITION_LEVELS = ("principal", "focal_point", "alternate")


def manages(actor: Actor, network_id: int) -> bool:
    return actor.manages(network_id) or actor.is_chair(network_id)


def _reader_network_ids(actor: Actor) -> frozenset[int]:
    return (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )


def reads_network(actor: Actor, network_id: int) -> bool:
    """The network's members, chair, secretariat and admins read its
    decisions and their follow-up."""
    if actor.is_admin or actor.secretariat_everywhere:
        return True
    return manages(actor, network_id) or network_id in _reader_network_ids(actor)


def public_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(public=True, status=DecisionStatus.ADOPTED)


def visible_decisions(actor: Actor) -> QuerySet[Decision]:
    """What the actor may open: drafts for managers, the rest for the
    network's members, public adopted decisions for everyone."""
    if actor.is_admin or actor.secretariat_everywhere:
        return Decision.objects.all()
    if not actor.is_authenticated:
        return public_decisions()
    managed = actor.secretariat_network_ids | actor.admin_network_ids | actor.chair_network_ids
    readers = _reader_network_ids(actor)
    return Decision.objects.filter(
        Q(network_id__in=managed)
        | (Q(network_id__in=readers) & ~Q(status=DecisionStatus.DRAFT))
        | Q(public=True, status=DecisionStatus.ADOPTED)
    )


def sees_positions(actor: Actor, decision: Decision) -> bool:
    """Positions are the members' business, not the public's."""
    return manages(actor, decision.network_id) or decision.network_id in _reader_network_ids(actor)


def position_agency_ids(actor: Actor, decision: Decision) -> set[int]:
    """The agencies of the deciding body for which the actor states a position."""
    if not actor.affiliations:
        return set()
    body = body_agency_ids(decision)
    return {
        a.organization_id
        for a in actor.affiliations
        if a.level in POSITION_LEVELS
        and a.network_id in (None, decision.network_id)
        and a.organization_id in body
    }


def can(actor: Actor, action: str, decision: Decision | None = None, *, network_id=None) -> bool:
    network_id = decision.network_id if decision is not None else network_id
    if action == "decision.create":
        return network_id is not None and manages(actor, network_id)
    if decision is None:
        raise ValueError(f"{action} needs a decision")
    if action == "decision.manage":
        return manages(actor, network_id)
    if action == "position.record":
        return manages(actor, network_id) and decision.takes_positions
    if action == "position.state":
        return decision.takes_positions and bool(position_agency_ids(actor, decision))
    if action == "positions.view":
        return sees_positions(actor, decision)
    raise ValueError(f"unknown action {action!r}")
