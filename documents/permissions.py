"""Who sees and changes the network's records: one answer, in the query.

- The network's secretariat, admins and chair (the managers) see all its
  documents and engagements and change them.
- A draft is shared with its drafting agencies too (lead and contributing):
  their people read it and upload versions of it.
- Released documents (final, published, superseded) are read, once their
  publication date has come (no embargo), by whom their access level names:
  `public` by everyone (only once published or superseded: a final document
  is not public before it is published), `members` by the people of the
  network's current member agencies, `executive_committee` by those of its
  committee members, `agencies` by those of the named agencies.
- A withdrawn document stays with the managers.

Engagements marked public are read by everyone; the others by the network's
members. `visible_documents(actor)` is the filter every list, count, feed and
search result starts from.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from members.models import Membership
from members.permissions import member_network_ids
from members.roles import Actor

from .models import Access, Document, DocumentStatus, Engagement

PUBLIC_STATUSES = (DocumentStatus.PUBLISHED, DocumentStatus.SUPERSEDED)
RELEASED_STATUSES = (DocumentStatus.FINAL, DocumentStatus.PUBLISHED, DocumentStatus.SUPERSEDED)


def managed_network_ids(actor: Actor) -> frozenset[int]:
    return actor.secretariat_network_ids | actor.admin_network_ids | actor.chair_network_ids


def manages(actor: Actor, network_id: int) -> bool:
    if actor.is_admin or actor.secretariat_everywhere:
        return True
    return network_id in managed_network_ids(actor)


def _committee_network_ids(actor: Actor) -> frozenset[int]:
    """Networks where an agency the actor speaks for sits on the executive
    committee (one query, kept on the actor)."""
    key = "documents.committee_network_ids"
    if key not in actor._cache:
        pairs = (
            Membership.objects.current()
            .filter(organization_id__in=actor.organization_ids, executive_committee=True)
            .order_by()
            .values_list("organization_id", "network_id")
        )
        actor._cache[key] = frozenset(
            network_id
            for organization_id, network_id in pairs
            if any(
                a.organization_id == organization_id and a.network_id in (None, network_id)
                for a in actor.affiliations
            )
        )
    return actor._cache[key]


def _released_now() -> Q:
    now = timezone.now()
    return Q(status__in=RELEASED_STATUSES) & (Q(publish_on__isnull=True) | Q(publish_on__lte=now))


def public_filter() -> Q:
    """What anyone may read: public, published (or superseded), not under embargo."""
    now = timezone.now()
    return Q(access=Access.PUBLIC, status__in=PUBLIC_STATUSES) & (
        Q(publish_on__isnull=True) | Q(publish_on__lte=now)
    )


def visible_documents(actor: Actor) -> QuerySet[Document]:
    if actor.is_admin or actor.secretariat_everywhere:
        return Document.objects.all()
    if not actor.is_authenticated:
        return Document.objects.filter(public_filter())
    allowed = public_filter()
    managed = managed_network_ids(actor)
    if managed:
        allowed |= Q(network_id__in=managed)
    agencies = actor.organization_ids
    if agencies:
        drafting = Q(lead_agency_id__in=agencies) | Q(contributors__in=agencies)
        allowed |= Q(status=DocumentStatus.DRAFT) & drafting
        allowed |= _released_now() & Q(access=Access.AGENCIES, access_agencies__in=agencies)
    members = member_network_ids(actor)
    if members:
        allowed |= _released_now() & Q(access=Access.MEMBERS, network_id__in=members)
    committee = _committee_network_ids(actor)
    if committee:
        allowed |= _released_now() & Q(access=Access.EXECUTIVE_COMMITTEE, network_id__in=committee)
    # The joins on agencies may repeat a row: the ids keep each once.
    return Document.objects.filter(pk__in=Document.objects.filter(allowed).values("pk"))


def visible_engagements(actor: Actor) -> QuerySet[Engagement]:
    if actor.is_admin or actor.secretariat_everywhere:
        return Engagement.objects.all()
    if not actor.is_authenticated:
        return Engagement.objects.filter(public=True)
    readers = member_network_ids(actor) | managed_network_ids(actor)
    return Engagement.objects.filter(Q(public=True) | Q(network_id__in=readers))


def drafts_with(actor: Actor, document: Document) -> bool:
    """The actor speaks for one of the document's drafting agencies."""
    agencies = actor.organization_ids
    if not agencies:
        return False
    if document.lead_agency_id in agencies:
        return True
    return document.contributors.filter(pk__in=agencies).exists()


def can(actor: Actor, action: str, obj=None, *, network_id: int | None = None) -> bool:
    """document.create, document.edit, document.upload, document.status,
    engagement.create, engagement.edit."""
    if network_id is None and obj is not None:
        network_id = obj.network_id
    if network_id is None or not actor.is_authenticated:
        return False
    if action in ("document.create", "engagement.create", "engagement.edit", "document.status"):
        return manages(actor, network_id)
    if action in ("document.edit", "document.upload"):
        if manages(actor, network_id):
            return obj is None or obj.status not in (
                DocumentStatus.SUPERSEDED,
                DocumentStatus.WITHDRAWN,
            )
        return obj is not None and obj.status == DocumentStatus.DRAFT and drafts_with(actor, obj)
    raise ValueError(f"unknown action {action!r}")
