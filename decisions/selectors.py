"""Reads of the decisions pages and services: who the deciding body is, the
positions at a glance, the register's rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Membership, Organization

from .models import Body, Decision, DecisionStatus, Position, Stance


def body_agency_ids(decision: Decision) -> frozenset[int]:
    """The member agencies of the deciding body, each of which states one
    position: the network's current members (its executive committee only
    when that body decides); for a task team, its co-chairs and member
    agencies. One query (two for a task team), kept on the instance."""
    cached = getattr(decision, "_body_agency_ids", None)
    if cached is not None:
        return cached
    if decision.body == Body.TASK_TEAM:
        team = decision.task_team
        ids = frozenset(
            {o.pk for o in team.co_chairs.all()} | {o.pk for o in team.member_organizations.all()}
        )
    else:
        memberships = Membership.objects.current().filter(network_id=decision.network_id)
        if decision.body == Body.EXECUTIVE_COMMITTEE:
            memberships = memberships.filter(executive_committee=True)
        ids = frozenset(memberships.order_by().values_list("organization_id", flat=True))
    decision._body_agency_ids = ids
    return ids


def body_agencies(decision: Decision) -> list[Organization]:
    return list(Organization.objects.filter(pk__in=body_agency_ids(decision)).order_by("acronym"))


@dataclass
class Tally:
    """The positions at a glance: who answered how, who has not, on which version."""

    agencies: list[Organization]
    positions: dict[int, Position] = field(default_factory=dict)

    def of(self, organization_id: int) -> Position | None:
        return self.positions.get(organization_id)

    @property
    def rows(self) -> list[tuple[Organization, Position | None]]:
        return [(o, self.positions.get(o.pk)) for o in self.agencies]

    def count(self, stance: str) -> int:
        return sum(1 for p in self._counted() if p.stance == stance)

    def _counted(self) -> list[Position]:
        ids = {o.pk for o in self.agencies}
        return [p for p in self.positions.values() if p.organization_id in ids]

    @property
    def objections(self) -> list[Position]:
        return [p for p in self._counted() if p.stance == Stance.OBJECT]

    @property
    def reservations(self) -> list[Position]:
        return [p for p in self._counted() if p.stance == Stance.RESERVATION]

    @property
    def answered(self) -> int:
        return len(self._counted())

    @property
    def waiting(self) -> list[Organization]:
        return [o for o in self.agencies if o.pk not in self.positions]


def tally(decision: Decision) -> Tally:
    """Two queries: the body's agencies and the positions."""
    positions = {
        p.organization_id: p
        for p in decision.positions.select_related("organization", "stated_by").order_by()
    }
    return Tally(agencies=body_agencies(decision), positions=positions)


def open_decisions_due(now=None) -> QuerySet[Decision]:
    """Open decisions whose deadline has passed: the closing job's work."""
    return Decision.objects.filter(
        status=DecisionStatus.OPEN, deadline__lte=now or timezone.now()
    ).order_by("deadline", "pk")
