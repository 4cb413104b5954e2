"""Every permission question about the members side, answered in one place.

`can(actor, action, obj)` says whether the actor may do `action` to `obj`;
the `visible_*` functions give what the actor may see as querysets. Views
fetch through `get_visible_or_404` so a record the user may not see is a 404,
and ask `can` for the action, so one they may see but not change is a 403
(core.views_helpers: the rule every app follows).

The `*_ACCESS` declarations name the fields that decide who may do what
(core.access): a form drops them for an actor who may not change them, and
the service refuses a change to them.

A role granted for some networks acts in those networks only. A secretariat
or admin grant may be for one network (accounts.RoleGrant). Such a role
chooses and assigns values within the networks it manages, and nowhere
else: every page that posts a network, or a record that belongs to one (a
meeting, a workplan's objective, a task team, a member agency), fetches and
authorises through the record's own network (a record of another network is
a 404 or a 403), offers only choices in that network, and refuses any other
value posted; the services that take such a value check it again
(`person_save`, `activity_update`, `taskteam_add_person`).
tests/security/test_network_scope.py posts each of them.

Contacts need a rule of their own, because one contact can give rights in
several networks:

- a contact for one network (`Person.network`) gives rights in that
  network; a contact "for every network" gives rights in every network its
  agency is in, chairs, co-chairs a task team of or leads an activity of
  (`agency_network_ids`). That set is the contact's *reach*;
- who a contact is (PERSON_ACCESS: network, level, "current") is changed
  only by a manager of every network it reaches, before the change and
  after it (`may_change_contact_access`, `contact_scope`): X's secretariat
  keeps the contacts for X of an agency that is also in Y, and every contact
  of an agency in X alone, but not the contacts for every network of an
  agency also in Y; it can neither move a contact to Y nor make one "for
  every network" of such an agency;
- a contact for a network the actor does not manage is that network's
  record: the actor does not edit it at all (403), name and phone included;
  so for a focal point: it keeps its agency's contacts for every network
  and for the networks where it speaks for the agency;
- a contact linked to a staff account (one holding a role grant, or a
  superuser) is who that staff member is for their agency: only a role at
  least as high, held over every network of the account's grants, changes
  its access fields (`covers_account`). X's secretariat does not re-level
  the contact of a secretariat of every network, nor of X's admin; X's admin
  does not re-level a global secretariat's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Role, RoleGrant, User
from core.access import AccessFields
from members.roles import Actor, managed_network_filter

from .models import (
    ApplicationStatus,
    ChairTerm,
    Membership,
    MembershipApplication,
    Network,
    Organization,
    Person,
)

# --- the fields that decide access ------------------------------------------------

# A contact linked to an account makes that account a focal point, principal
# or chair: its agency, network, level, account and "current" flag decide
# which. The secretariat and admins of the networks the contact reaches change
# them (`contact_scope`, `may_change_contact_access`); an agency's focal points
# keep the rest of its contacts current (name, title, e-mail, phone), and
# every field of a contact not linked to an account (which gives no one any
# right) in the networks where they speak for the agency.
PERSON_ACCESS = AccessFields(
    fields=("organization", "network", "level", "user", "is_active"),
    action="person.change_access",
)
# A network's coordinator chairs it when it has no rotating chair.
NETWORK_ACCESS = AccessFields(
    fields=("governance", "coordinator", "secretariat", "parent"),
    action="network.change",
)
# Who is a member, since and until when, and who sits on the executive
# committee (which decides admissions where the network says so).
MEMBERSHIP_ACCESS = AccessFields(
    fields=("organization", "joined", "left", "executive_committee"),
    action="membership.manage",
)
# Which agency chairs, and when: the chair's rights follow the term.
CHAIR_TERM_ACCESS = AccessFields(
    fields=("organization", "start", "end"),
    action="chair.manage",
)
# An application's status (admission creates the membership) and its review.
APPLICATION_ACCESS = AccessFields(
    fields=("status", "organization", "membership", "decided_by", "reviewer"),
    action="application.decide",
)


def managed_network_ids(actor: Actor) -> frozenset[int] | None:
    """The networks the actor manages (admin or secretariat); None: every
    network."""
    if actor.is_admin or actor.secretariat_everywhere:
        return None
    return actor.secretariat_network_ids | actor.admin_network_ids


def agency_network_ids(actor: Actor, organization_id: int) -> frozenset[int]:
    """The networks where a contact of this agency "for every network" gives
    rights: those it is a member of (or admitted to, from a later date), those
    it chairs now or will, those it coordinates, and those where it co-chairs
    a task team or leads or partners in an activity (whose focal points
    manage the team or report on the activity). One query, kept on the actor
    for the request."""
    key = ("agency_network_ids", organization_id)
    if key not in actor._cache:
        today = timezone.localdate()
        org = organization_id

        def via(**lookup) -> QuerySet[Network]:
            return Network.objects.filter(**lookup).values("pk")

        # Each source its own subquery: one join over all of them would
        # multiply the rows of each by the others'.
        actor._cache[key] = frozenset(
            Network.objects.filter(
                Q(pk__in=via(memberships__organization_id=org, memberships__left__isnull=True))
                | Q(pk__in=via(memberships__organization_id=org, memberships__left__gt=today))
                | Q(coordinator_id=org)
                | Q(pk__in=via(chair_terms__organization_id=org, chair_terms__end__gte=today))
                | Q(pk__in=via(task_teams__co_chairs=org))
                | Q(pk__in=via(workplans__objectives__activities__lead_organizations=org))
                | Q(pk__in=via(workplans__objectives__activities__partner_organizations=org))
            ).values_list("pk", flat=True)
        )
    return actor._cache[key]


@dataclass(frozen=True)
class ContactScope:
    """Where an actor may place a contact of one agency: `network_ids`, the
    networks it may choose (None: any of the agency's), and `everywhere`,
    whether it may make it a contact "for every network"."""

    network_ids: frozenset[int] | None
    everywhere: bool

    def allows(self, network_id: int | None) -> bool:
        if network_id is None:
            return self.everywhere
        return self.network_ids is None or network_id in self.network_ids


def contact_scope(actor: Actor, organization_id: int, *, linked: bool) -> ContactScope:
    """Where the actor may place a contact of this agency (see the rule
    above). A manager places it in the networks it manages, and "for every
    network" only if it manages every network of the agency. A focal point
    of the agency places a contact without an account (which gives no one any
    right) where the focal point itself speaks for the agency."""
    managed = managed_network_ids(actor)
    if managed is None:
        return ContactScope(None, True)
    everywhere = bool(managed) and agency_network_ids(actor, organization_id) <= managed
    ids = set(managed)
    if not linked:
        own = [
            a
            for a in actor.affiliations
            if a.organization_id == organization_id and a.level in ("focal_point", "alternate")
        ]
        if any(a.network_id is None for a in own):
            return ContactScope(None, True)
        ids |= {a.network_id for a in own if a.network_id is not None}
    return ContactScope(frozenset(ids), everywhere)


def _holds(actor: Actor, role: str, network_id: int | None) -> bool:
    """Whether the actor holds `role` (or a higher one) over this network
    (None: over every network)."""
    if role == Role.ADMIN:
        return actor.is_admin if network_id is None else actor.is_network_admin(network_id)
    if network_id is None:
        return actor.is_admin or actor.secretariat_everywhere
    return actor.manages(network_id)


def covers_account(actor: Actor, user_id: int) -> bool:
    """Whether the actor holds, over every network of this account's role
    grants, a role at least as high (admin above secretariat; a grant for
    every network is covered only by one for every network; a superuser is
    an admin of every network). True for an account with no grant."""
    key = ("covers_account", user_id)
    if key not in actor._cache:
        grants = list(RoleGrant.objects.filter(user_id=user_id).values_list("role", "network_id"))
        if User.objects.filter(pk=user_id, is_superuser=True).exists():
            grants.append((Role.ADMIN, None))
        actor._cache[key] = all(_holds(actor, role, net) for role, net in grants)
    return actor._cache[key]


def _manages_contact_record(actor: Actor, person: Person) -> bool:
    """A manager of the agency's networks keeps its contacts, except a
    contact for a network it does not manage: that network's record."""
    if not _manages_organization(actor, person.organization_id):
        return False
    return person.network_id is None or actor.manages(person.network_id)


def _keeps_agency_contact(actor: Actor, person: Person) -> bool:
    """A focal point (or alternate) of the agency keeps its contacts for
    every network, and those for a network where the focal point speaks
    for the agency: a contact for another network is that network's."""
    return any(
        a.organization_id == person.organization_id
        and a.level in ("focal_point", "alternate")
        and (a.network_id is None or person.network_id in (None, a.network_id))
        for a in actor.affiliations
    )


def may_change_contact_access(actor: Actor, person: Person) -> bool:
    """`person.change_access` (PERSON_ACCESS) on the contact as stored: a
    manager of every network it reaches; for a contact without an account,
    also a focal point of the agency where it speaks for it; for a staff
    account's contact, only a role that `covers_account`. A new contact is
    checked where it is placed (`contact_scope`, in the form and the
    service)."""
    linked = person.user_id is not None
    if linked and not covers_account(actor, person.user_id):
        return False
    focal = not linked and _keeps_agency_contact(actor, person)
    if not (focal or _manages_contact_record(actor, person)):
        return False
    if person.pk is None:
        return True
    return contact_scope(actor, person.organization_id, linked=linked).allows(person.network_id)


def parent_network_choices(actor: Actor, network: Network) -> QuerySet[Network]:
    """The networks the actor may make this network's parent: any (but
    itself) for a manager of every network; else those it manages, and the
    current parent, which may stay."""
    choices = Network.objects.exclude(pk=network.pk) if network.pk else Network.objects.all()
    managed = managed_network_ids(actor)
    if managed is None:
        return choices
    return choices.filter(Q(pk__in=managed) | Q(pk=network.parent_id))


def _current_memberships(actor: Actor) -> frozenset[tuple[int, int]]:
    """(agency, network) of the current memberships of the actor's agencies:
    one query, kept on the actor for the request."""
    key = "current_memberships"
    if key not in actor._cache:
        actor._cache[key] = frozenset(
            Membership.objects.current()
            .filter(organization_id__in=actor.organization_ids)
            .order_by()
            .values_list("organization_id", "network_id")
        )
    return actor._cache[key]


def member_network_ids(actor: Actor) -> frozenset[int]:
    """Networks where the actor speaks for a current member agency: the
    agency is a member there, and the actor's contact for it is for that
    network or for every network (a contact scoped to one network speaks
    for the agency only there)."""
    key = "member_network_ids"
    if key not in actor._cache:
        actor._cache[key] = frozenset(
            network_id
            for organization_id, network_id in _current_memberships(actor)
            if any(
                a.organization_id == organization_id and a.network_id in (None, network_id)
                for a in actor.affiliations
            )
        )
    return actor._cache[key]


def work_network_ids(actor: Actor) -> frozenset[int] | None:
    """The networks a user works in: where they speak for a member agency,
    hold a secretariat or admin grant, or chair or coordinate. None: every
    network (the admin, the secretariat everywhere). Anonymous: none."""
    if not actor.is_authenticated:
        return frozenset()
    if actor.is_admin or actor.secretariat_everywhere:
        return None
    return (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )


def speaks_for_member(actor: Actor, network_id: int, levels: tuple[str, ...]) -> bool:
    """Whether the actor is, at one of these levels, the contact of a current
    member agency of this network, for this network or for every network."""
    members = _current_memberships(actor)
    return any(
        a.level in levels
        and a.network_id in (None, network_id)
        and (a.organization_id, network_id) in members
        for a in actor.affiliations
    )


def visible_people(actor: Actor) -> QuerySet[Person]:
    """Contacts are shared inside the network, never with the public."""
    if not actor.is_member_user:
        return Person.objects.none()
    return Person.objects.all()


def visible_applications(actor: Actor) -> QuerySet[MembershipApplication]:
    """A draft belongs to its applicant; reviewers see it once submitted."""
    if not actor.manages_any:
        return MembershipApplication.objects.none()
    return MembershipApplication.objects.filter(managed_network_filter(actor)).exclude(
        status=ApplicationStatus.DRAFT
    )


def _org_id(obj) -> int:
    return obj.pk if isinstance(obj, Organization) else obj.organization_id


def _manages_organization(actor: Actor, organization_id: int) -> bool:
    """Admin or secretariat of a network the agency belongs to (one query for
    a secretariat scoped to some networks)."""
    if actor.is_admin or actor.secretariat_everywhere:
        return True
    if not actor.manages_any:
        return False
    key = ("manages_organization", organization_id)
    if key not in actor._cache:
        actor._cache[key] = Membership.objects.filter(
            managed_network_filter(actor), organization_id=organization_id
        ).exists()
    return actor._cache[key]


def can(actor: Actor, action: str, obj=None) -> bool:  # noqa: C901 - a flat table of rules
    match action:
        # Anyone may read the public side: networks, members, chairs.
        case "network.view" | "organization.view":
            return True
        case "network.change" | "membership.manage" | "chair.plan" | "chair.manage":
            return obj is not None and actor.manages(
                obj.pk if isinstance(obj, Network) else obj.network_id
            )
        case "organization.create":
            return actor.manages_any
        case "organization.change":
            return obj is not None and _manages_organization(actor, obj.pk)
        case "people.view":
            return actor.is_member_user
        case "person.create" | "person.change":
            # The secretariat keeps the contacts of its networks' members
            # (not a contact for another network); an agency's own focal
            # points keep their agency's contacts current, where they speak
            # for it.
            if obj is None:
                return False
            if isinstance(obj, Person):
                return _keeps_agency_contact(actor, obj) or _manages_contact_record(actor, obj)
            return actor.is_focal_point(_org_id(obj)) or _manages_organization(actor, _org_id(obj))
        case "person.change_access":
            # PERSON_ACCESS: see the module's docstring.
            return isinstance(obj, Person) and may_change_contact_access(actor, obj)
        case "chair.narrate":
            # The chairing agency writes its narrative, the secretariat too.
            assert isinstance(obj, ChairTerm)
            return actor.manages(obj.network_id) or actor.speaks_for(
                obj.organization_id, obj.network_id
            )
        case "application.list":
            return actor.manages_any
        case "application.review" | "application.decide":
            assert isinstance(obj, MembershipApplication)
            return actor.manages(obj.network_id)
        case "history.view":
            return actor.is_member_user
    raise ValueError(f"Unknown action {action!r}")
