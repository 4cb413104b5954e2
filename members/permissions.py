"""Every permission question about the members side, answered in one place.

`can(actor, action, obj)` says whether the actor may do `action` to `obj`;
the `visible_*` functions give what the actor may see as querysets. Views
fetch through `get_visible_or_404` so a record the user may not see is a 404,
and ask `can` for the action, so one they may see but not change is a 403
(core.views_helpers: the rule every app follows).

The `*_ACCESS` declarations name the fields that decide who may do what
(core.access): a form drops them for an actor who may not change them, and
the service refuses a change to them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import AccessFields
from core.roles import Actor, managed_network_filter

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
# which. The secretariat and admins of the agency's networks change them; an
# agency's focal points keep the rest of its contacts current (name, title,
# e-mail, phone), and every field of a contact not linked to an account,
# which gives no one any right.
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


def member_network_ids(actor: Actor) -> frozenset[int]:
    """Networks where one of the actor's agencies is a current member."""
    key = "member_network_ids"
    if key not in actor._cache:
        ids = set(
            Membership.objects.current()
            .filter(organization_id__in=actor.organization_ids)
            .order_by()
            .values_list("network_id", flat=True)
        )
        # A contact scoped to one network speaks for the agency only there.
        scoped = {a.network_id for a in actor.affiliations if a.network_id is not None}
        unscoped = any(a.network_id is None for a in actor.affiliations)
        actor._cache[key] = frozenset(ids if unscoped else ids & scoped)
    return actor._cache[key]


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
            # The secretariat keeps the contacts of its networks' members;
            # an agency's own focal points keep their agency's contacts current.
            if obj is None:
                return False
            return actor.is_focal_point(_org_id(obj)) or _manages_organization(actor, _org_id(obj))
        case "person.change_access":
            # PERSON_ACCESS: only those who manage the agency's networks, but
            # a contact without an account (a new one too) grants nothing, so
            # whoever keeps the agency's contacts sets its level and network.
            if obj is None:
                return False
            if _manages_organization(actor, _org_id(obj)):
                return True
            linked = isinstance(obj, Person) and obj.user_id is not None
            return not linked and actor.is_focal_point(_org_id(obj))
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
