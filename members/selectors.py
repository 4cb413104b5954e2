"""Reads on the members side, each with the joins its page needs, so a page
costs the same number of queries with 10 members or 500."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.utils import timezone

from .models import (
    ApplicationStatus,
    ChairTerm,
    Membership,
    MembershipApplication,
    Network,
    Organization,
    Person,
    PersonLevel,
)


@dataclass
class Troika:
    previous: ChairTerm | None
    current: ChairTerm | None
    next: ChairTerm | None

    def role_of(self, term: ChairTerm) -> str | None:
        for role in ("previous", "current", "next"):
            if getattr(self, role) is not None and getattr(self, role).pk == term.pk:
                return role
        return None

    def __bool__(self) -> bool:
        return any((self.previous, self.current, self.next))


def troika_from_terms(terms: list[ChairTerm], on: date | None = None) -> Troika:
    """Previous, current and next chair among terms sorted by start. Between
    two terms there is no current chair: previous and next still stand."""
    on = on or timezone.localdate()
    past = [t for t in terms if t.end < on]
    current = next((t for t in terms if t.start <= on <= t.end), None)
    future = [t for t in terms if t.start > on]
    return Troika(
        previous=past[-1] if past else None,
        current=current,
        next=future[0] if future else None,
    )


def membership_directory(*, network: Network | None = None) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("organization", "network")
    if network is not None:
        qs = qs.filter(network=network)
    return qs.order_by("organization__acronym", "network__name")


def network_list() -> QuerySet[Network]:
    today = timezone.localdate()
    return (
        Network.objects.in_display_order()
        .select_related("parent", "coordinator")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__joined__lte=today)
                & (Q(memberships__left__isnull=True) | Q(memberships__left__gt=today)),
            )
        )
    )


def network_page(*, network: Network) -> dict:
    members = list(
        Membership.objects.current()
        .filter(network=network)
        .select_related("organization")
        .order_by("organization__acronym")
    )
    terms = list(network.chair_terms.select_related("organization").order_by("start"))
    # Each term's own troika: the chair before it and the chair after it.
    for i, term in enumerate(terms):
        term.troika_previous = terms[i - 1] if i > 0 else None
        term.troika_next = terms[i + 1] if i + 1 < len(terms) else None
    return {
        "members": members,
        "executive_committee": [m for m in members if m.executive_committee],
        "terms": terms,
        "troika": troika_from_terms(terms),
        "children": list(network.children.all()),
        "criteria": list(network.criteria.all()),
        "rotation": list(network.rotation.select_related("organization")),
    }


def organization_page(*, organization: Organization, with_people: bool) -> dict:
    memberships = list(organization.memberships.select_related("network").order_by("-joined"))
    terms = list(organization.chair_terms.select_related("network").order_by("-start"))
    people: list[Person] = []
    if with_people:
        # Principal first, then focal points, then alternates.
        level_rank = Case(
            When(level=PersonLevel.PRINCIPAL, then=0),
            When(level=PersonLevel.FOCAL_POINT, then=1),
            default=2,
        )
        people = list(
            organization.people.select_related("network", "user")
            .alias(level_rank=level_rank)
            .order_by("-is_active", "level_rank", "name")
        )
    return {"memberships": memberships, "terms": terms, "people": people}


def applications_waiting(
    queryset: QuerySet[MembershipApplication],
) -> QuerySet[MembershipApplication]:
    return (
        queryset.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW])
        .select_related("network")
        .order_by("submitted_at")
    )


def current_chair_terms() -> QuerySet[ChairTerm]:
    today = timezone.localdate()
    return ChairTerm.objects.filter(start__lte=today, end__gte=today).select_related(
        "organization", "network"
    )


def network_with_terms(network_id: int) -> Network | None:
    return (
        Network.objects.filter(pk=network_id)
        .prefetch_related(
            Prefetch("chair_terms", queryset=ChairTerm.objects.select_related("organization"))
        )
        .first()
    )


@dataclass(frozen=True)
class MemberMatch:
    """A member of the network that an applicant's agency may be.
    `same_name`: its name is the one typed (the same agency); otherwise only
    the acronym is the same, which another agency may share in speech."""

    organization: Organization
    same_name: bool


def _normal(text: str) -> str:
    return " ".join((text or "").split())


def current_membership_of(*, network: Network, name: str, acronym: str) -> MemberMatch | None:
    """The member of `network` an applicant's agency is, by name (spaces
    and case aside) or by acronym (case aside); a name match wins. Members
    are those not gone: a membership with no end (the open membership the
    database allows once), or one ending later. Public knowledge (the
    directory lists members), so an applicant may be told. One query.

    The one answer to "already a member?": the applicant's check, the first
    save of an application, the reviewer's page and admission all ask it."""
    name, acronym = _normal(name), (acronym or "").strip()
    match = Q()
    if acronym:
        match |= Q(organization__acronym__iexact=acronym)
    if name:
        match |= Q(organization__name__iexact=name)
    if not match:
        return None
    today = timezone.localdate()
    memberships = list(
        Membership.objects.filter(Q(left__isnull=True) | Q(left__gt=today))
        .filter(match, network=network)
        .select_related("organization")
        .order_by("organization__acronym")[:2]
    )
    for membership in memberships:
        if _normal(membership.organization.name).casefold() == name.casefold():
            return MemberMatch(membership.organization, same_name=True)
    return MemberMatch(memberships[0].organization, same_name=False) if memberships else None
