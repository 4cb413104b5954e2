"""Who is this user in the network? One object answers it per request.

Admin and secretariat are granted (accounts.RoleGrant, or a superuser for
admin). Chair, focal point and principal follow from the data: the active
person records linked to the account give the agencies the user speaks for and
at which level, and the current chair term (or the coordinator, for a network
without a rotating chair) says which agency chairs. Nothing here is a
hand-kept flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, RoleGrant

from .models import ChairTerm, Governance, Network, Person


@dataclass(frozen=True)
class Affiliation:
    organization_id: int
    network_id: int | None  # None: the agency in every network
    level: str


@dataclass
class Actor:
    user_id: int | None
    is_admin: bool = False
    secretariat_everywhere: bool = False
    secretariat_network_ids: frozenset[int] = frozenset()
    admin_network_ids: frozenset[int] = frozenset()
    affiliations: tuple[Affiliation, ...] = ()
    chair_network_ids: frozenset[int] = frozenset()
    _cache: dict = field(default_factory=dict, repr=False)

    # --- granted roles ---------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def is_secretariat(self, network_id: int | None = None) -> bool:
        if self.secretariat_everywhere:
            return True
        if network_id is None:
            return bool(self.secretariat_network_ids)
        return network_id in self.secretariat_network_ids

    def is_network_admin(self, network_id: int | None = None) -> bool:
        if self.is_admin:
            return True
        if network_id is None:
            return bool(self.admin_network_ids)
        return network_id in self.admin_network_ids

    def manages(self, network_id: int) -> bool:
        """Admin or secretariat of this network: may run its members side."""
        return self.is_network_admin(network_id) or self.is_secretariat(network_id)

    @property
    def manages_any(self) -> bool:
        return self.is_network_admin() or self.is_secretariat()

    # --- roles from the data ------------------------------------------------
    @property
    def organization_ids(self) -> frozenset[int]:
        return frozenset(a.organization_id for a in self.affiliations)

    def speaks_for(self, organization_id: int, network_id: int | None = None) -> bool:
        return any(
            a.organization_id == organization_id
            and (network_id is None or a.network_id in (None, network_id))
            for a in self.affiliations
        )

    def is_focal_point(self, organization_id: int | None = None) -> bool:
        return any(
            a.level in ("focal_point", "alternate")
            and (organization_id is None or a.organization_id == organization_id)
            for a in self.affiliations
        )

    def is_principal(self, organization_id: int | None = None) -> bool:
        return any(
            a.level == "principal"
            and (organization_id is None or a.organization_id == organization_id)
            for a in self.affiliations
        )

    def is_chair(self, network_id: int | None = None) -> bool:
        if network_id is None:
            return bool(self.chair_network_ids)
        return network_id in self.chair_network_ids

    @property
    def is_member_user(self) -> bool:
        """Anyone who works inside the network: may see contacts and records."""
        return bool(self.affiliations) or self.manages_any

    def role_labels(self) -> list[str]:
        labels = []
        if self.is_admin or self.admin_network_ids:
            labels.append("admin")
        if self.is_secretariat():
            labels.append("secretariat")
        if self.chair_network_ids:
            labels.append("chair")
        if self.is_focal_point():
            labels.append("focal point")
        if self.is_principal():
            labels.append("principal")
        return labels


ANONYMOUS = Actor(user_id=None)


def build_actor(user, on: date | None = None) -> Actor:
    """Three queries: grants, the person records, the chaired networks."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    on = on or timezone.localdate()
    grants = list(RoleGrant.objects.filter(user=user).values_list("role", "network_id"))
    secretariat_everywhere = any(r == Role.SECRETARIAT and n is None for r, n in grants)
    admin_everywhere = user.is_superuser or any(r == Role.ADMIN and n is None for r, n in grants)
    affiliations = tuple(
        Affiliation(org, net, level)
        for org, net, level in Person.objects.filter(user=user, is_active=True)
        .order_by()
        .values_list("organization_id", "network_id", "level")
    )
    chair_ids: frozenset[int] = frozenset()
    if affiliations:
        org_ids = {a.organization_id for a in affiliations}
        current_terms = (
            ChairTerm.objects.filter(organization_id__in=org_ids, start__lte=on, end__gte=on)
            .order_by()
            .values_list("network_id", "organization_id")
        )
        coordinated = (
            Network.objects.filter(governance=Governance.COORDINATOR, coordinator_id__in=org_ids)
            .order_by()
            .values_list("id", "coordinator_id")
        )
        pairs = list(current_terms) + list(coordinated)
        chair_ids = frozenset(
            net
            for net, org in pairs
            if any(a.organization_id == org and a.network_id in (None, net) for a in affiliations)
        )
    return Actor(
        user_id=user.pk,
        is_admin=admin_everywhere,
        secretariat_everywhere=secretariat_everywhere,
        secretariat_network_ids=frozenset(
            n for r, n in grants if r == Role.SECRETARIAT and n is not None
        ),
        admin_network_ids=frozenset(n for r, n in grants if r == Role.ADMIN and n is not None),
        affiliations=affiliations,
        chair_network_ids=chair_ids,
    )


def actor_for(request_or_user) -> Actor:
    """The actor of a request, built once and kept on the request."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None:
        cached = getattr(request, "_actor", None)
        if cached is None:
            cached = build_actor(request.user)
            request._actor = cached
        return cached
    return build_actor(request_or_user)


def managed_network_filter(actor: Actor, field: str = "network_id") -> Q:
    """A Q limiting a queryset to the networks this actor manages."""
    if actor.is_admin or actor.secretariat_everywhere:
        return Q()
    ids = actor.secretariat_network_ids | actor.admin_network_ids
    return Q(**{f"{field}__in": ids})
