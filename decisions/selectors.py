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


# --- the register and the dashboard: many decisions in a fixed number of queries -------------


def prime_body_agency_ids(decisions: list[Decision]) -> None:
    """Fill `body_agency_ids` for each decision of a list: one query for the
    networks' current memberships, two more when a task team decides."""
    pending = [d for d in decisions if getattr(d, "_body_agency_ids", None) is None]
    if not pending:
        return
    network_ids = {d.network_id for d in pending if d.body != Body.TASK_TEAM}
    members: dict[int, set[int]] = {}
    committee: dict[int, set[int]] = {}
    if network_ids:
        rows = (
            Membership.objects.current()
            .filter(network_id__in=network_ids)
            .order_by()
            .values_list("network_id", "organization_id", "executive_committee")
        )
        for network_id, organization_id, on_committee in rows:
            members.setdefault(network_id, set()).add(organization_id)
            if on_committee:
                committee.setdefault(network_id, set()).add(organization_id)
    team_ids = {d.task_team_id for d in pending if d.body == Body.TASK_TEAM}
    teams: dict[int, set[int]] = {}
    if team_ids:
        from taskteams.models import TaskTeam

        for through in (TaskTeam.co_chairs.through, TaskTeam.member_organizations.through):
            for team_id, organization_id in through.objects.filter(
                taskteam_id__in=team_ids
            ).values_list("taskteam_id", "organization_id"):
                teams.setdefault(team_id, set()).add(organization_id)
    for d in pending:
        if d.body == Body.TASK_TEAM:
            ids = teams.get(d.task_team_id, set())
        elif d.body == Body.EXECUTIVE_COMMITTEE:
            ids = committee.get(d.network_id, set())
        else:
            ids = members.get(d.network_id, set())
        d._body_agency_ids = frozenset(ids)


@dataclass
class Answered:
    """Positions on the current version of an open decision: x of y."""

    answered: int
    of: int


def answered_counts(decisions: list[Decision]) -> dict[int, Answered]:
    """For the open decisions of a list, how many agencies of the body have
    answered the current version (two or three queries in all)."""
    open_ones = [d for d in decisions if d.takes_positions]
    if not open_ones:
        return {}
    prime_body_agency_ids(open_ones)
    stated: dict[int, set[int]] = {}
    versions = {d.pk: d.version for d in open_ones}
    for decision_id, organization_id, version in Position.objects.filter(
        decision_id__in=versions
    ).values_list("decision_id", "organization_id", "version"):
        if versions[decision_id] == version:
            stated.setdefault(decision_id, set()).add(organization_id)
    return {
        d.pk: Answered(len(stated.get(d.pk, set()) & body_agency_ids(d)), len(body_agency_ids(d)))
        for d in open_ones
    }


def register_rows(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """The register's order: the decisions open now first, soonest deadline
    first; then the rest, newest first."""
    from django.db.models import Case, F, IntegerField, Value, When

    return queryset.select_related("network", "proposed_by", "task_team").order_by(
        Case(
            When(status=DecisionStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        Case(When(status=DecisionStatus.OPEN, then=F("deadline"))).asc(nulls_last=True),
        F("decided_on").desc(nulls_last=True),
        "-created_at",
        "-pk",
    )


def awaiting_position(decisions: list[Decision], organization_ids: dict[int, set[int]]):
    """The decisions (of a list of open ones) on whose current version one of
    the given agencies has not stated a position. `organization_ids`: per
    decision, the agencies the user speaks for there."""
    wanted = {d.pk: d for d in decisions if organization_ids.get(d.pk)}
    if not wanted:
        return []
    stated: dict[int, set[int]] = {}
    for decision_id, organization_id, version in Position.objects.filter(
        decision_id__in=wanted
    ).values_list("decision_id", "organization_id", "version"):
        if wanted[decision_id].version == version:
            stated.setdefault(decision_id, set()).add(organization_id)
    return [d for d in decisions if organization_ids.get(d.pk, set()) - stated.get(d.pk, set())]


def decision_page(decision: Decision) -> dict:
    """The reads of a decision's page beside its positions: the versions, the
    escalation steps, the topics (three queries)."""
    return {
        "versions": list(
            decision.versions.select_related("created_by").order_by("-number").defer("text")
        ),
        "steps": list(
            decision.escalation.select_related("started_by", "ended_by").order_by("number")
        ),
        "topics": list(decision.topics.order_by("pk")),
    }


def tally_counts(tally: Tally, version: int) -> dict[str, int]:
    """The positions at a glance on the current version: each stance, those
    given on an earlier version (they no longer count), and who has not
    answered the current one."""
    current = [p for p in tally._counted() if p.version == version]
    counts = {stance: 0 for stance in Stance.values}
    for p in current:
        counts[p.stance] += 1
    counts["earlier"] = tally.answered - len(current)
    counts["waiting"] = len(tally.agencies) - len(current)
    counts["total"] = len(tally.agencies)
    return counts
