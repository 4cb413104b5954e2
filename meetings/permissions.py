"""Every permission question about meetings, answered in one place.

The chair of the current term (or the coordinator) and the secretariat manage
their network's meetings; focal points of member agencies propose items,
answer invitations and comment on circulated minutes; principals and focal
points read their networks' meetings; a guest sees only the meetings it was
invited to; draft minutes are for the chair and the secretariat only. A
contact for one network speaks for its agency in that network's meetings
only: it neither sees nor answers the agency's invitations elsewhere.
An agenda proposal is read in full (its purpose, its papers and the chair's
note on it) by its agency, the chair and the secretariat until the chair
accepts it; the members see its title (`may_read_agenda_item`,
`may_read_chair_note`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.access import AccessFields
from members.permissions import member_network_ids, speaks_for_member
from members.roles import Actor

from .models import (
    ActionPoint,
    AgendaItem,
    AgendaItemStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Participant,
)

# --- the fields that decide access (core.access) --------------------------------
# No form a member opens carries them: the meeting's status moves through its
# own buttons (meeting.manage), an agenda item's status and order through the
# chair's decisions (agenda.decide), a participant's attendance through the
# attendance page (attendance.record). tests/security posts each of them.

MEETING_ACCESS = AccessFields(fields=("network", "status", "chair_term"), action="meeting.manage")
AGENDA_ITEM_ACCESS = AccessFields(
    fields=("status", "position", "proposed_by", "proposed_by_org"), action="agenda.decide"
)
PARTICIPANT_ACCESS = AccessFields(
    fields=("meeting", "organization", "person", "is_guest", "attendance"),
    action="attendance.record",
)


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    if not actor.is_authenticated:
        return Meeting.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return Meeting.objects.all()
    networks = (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )
    invited = Participant.objects.filter(
        Q(person__user_id=actor.user_id) | _speaks_for_invited(actor)
    ).values("meeting_id")
    return Meeting.objects.filter(Q(network_id__in=networks) | Q(pk__in=invited))


def _speaks_for_invited(actor: Actor) -> Q:
    """Invitations of the actor's agencies, where the actor speaks for the
    agency: a contact for one network speaks for it in that network's
    meetings only."""
    everywhere = {a.organization_id for a in actor.affiliations if a.network_id is None}
    by_network: dict[int, set[int]] = {}
    for a in actor.affiliations:
        if a.network_id is not None and a.organization_id not in everywhere:
            by_network.setdefault(a.network_id, set()).add(a.organization_id)
    # One term per network, not per contact: an account may have hundreds.
    q = Q(organization_id__in=everywhere)
    for network_id, organization_ids in by_network.items():
        q |= Q(organization_id__in=organization_ids, meeting__network_id=network_id)
    return q


def _answers_for(actor: Actor, organization_id: int, network_id: int) -> bool:
    """A focal point (or alternate) of the agency for this network (or for
    every network) answers the agency's invitations there."""
    return any(
        a.organization_id == organization_id
        and a.level in ("focal_point", "alternate")
        and a.network_id in (None, network_id)
        for a in actor.affiliations
    )


def manages(actor: Actor, network_id: int) -> bool:
    return actor.manages(network_id) or actor.is_chair(network_id)


def may_read_agenda_item(actor: Actor, item: AgendaItem) -> bool:
    """Whether the actor reads an agenda item in full: its purpose, its
    papers (the file and the link), not only its title. For someone who may
    see the meeting:

    - an accepted item is on the agenda: everyone who sees the meeting reads
      it (guests included), as the circulated agenda says it;
    - an item the chair has not accepted (proposed, deferred or declined) is
      read in full only by the proposing agency (any of its people in this
      network, and whoever proposed it), the chair and the secretariat (and
      admins). The other members of the network see its title, presenter and
      proposing agency in the list of proposals (`sees_proposal_titles`),
      nothing more, until the chair accepts it.

    Papers are downloaded under the same rule (404 for anyone else).
    `item.meeting` is read: join it.
    """
    if item.status == AgendaItemStatus.ACCEPTED:
        return True
    network_id = item.meeting.network_id
    if manages(actor, network_id):
        return True
    if item.proposed_by_id is not None and item.proposed_by_id == actor.user_id:
        return True
    return item.proposed_by_org_id is not None and actor.speaks_for(
        item.proposed_by_org_id, network_id
    )


def may_read_chair_note(actor: Actor, item: AgendaItem) -> bool:
    """The chair's note on an item follows the rule of its purpose
    (`may_read_agenda_item`). On an accepted item it is shown with the item
    to everyone who sees the meeting. On a deferred or declined one it says
    why, to the proposer: the members who see only the item's title see the
    decision, not the note. A deferral's note that comes with the item
    carried to the next meeting stays the deferred item's: pass that item
    (`item.carried_from`, its meeting joined), not the new proposal, so the
    note is not shared when the new proposal is accepted."""
    return may_read_agenda_item(actor, item)


def sees_proposal_titles(actor: Actor, meeting: Meeting) -> bool:
    """The titles of the proposals awaiting the chair, and of the items
    deferred or declined, are shared with the members of the network."""
    return manages(actor, meeting.network_id) or meeting.network_id in member_network_ids(actor)


ACTION_LEVELS = ("principal", "focal_point", "alternate")


def visible_action_points(actor: Actor) -> QuerySet[ActionPoint]:
    """Follow-up actions are the network's business: its members, chair and
    secretariat read them all."""
    if not actor.is_authenticated:
        return ActionPoint.objects.none()
    if actor.is_admin or actor.secretariat_everywhere:
        return ActionPoint.objects.all()
    networks = (
        member_network_ids(actor)
        | actor.secretariat_network_ids
        | actor.admin_network_ids
        | actor.chair_network_ids
    )
    return ActionPoint.objects.filter(network_id__in=networks)


def updates_action(actor: Actor, point: ActionPoint) -> bool:
    """The chair and the secretariat, and the owner agency's principal,
    focal points and alternates (for this network or every network)."""
    return manages(actor, point.network_id) or any(
        a.organization_id == point.owner_id
        and a.level in ACTION_LEVELS
        and a.network_id in (None, point.network_id)
        for a in actor.affiliations
    )


def can(actor: Actor, action: str, obj=None) -> bool:
    match action:
        case "action.update":
            return updates_action(actor, obj)
        case "action.manage":
            # Change its description, owner or due date; obj: the action point.
            return manages(actor, obj.network_id)
        case "meeting.create":
            # obj: the network
            return obj is not None and manages(actor, obj.pk)
        case "meeting.manage" | "agenda.decide" | "attendance.record" | "minutes.edit":
            return manages(actor, obj.network_id)
        case "agenda.propose":
            meeting: Meeting = obj
            if not meeting.accepts_proposals():
                return False
            # A focal point of a member agency, for this network: not a
            # focal point elsewhere who is, say, a principal here.
            return manages(actor, meeting.network_id) or speaks_for_member(
                actor, meeting.network_id, ("focal_point", "alternate")
            )
        case "participant.respond":
            participant: Participant = obj
            if participant.meeting.status in (MeetingStatus.CANCELLED,):
                return False
            return (
                participant.person_id is not None and participant.person.user_id == actor.user_id
            ) or _answers_for(actor, participant.organization_id, participant.meeting.network_id)
        case "agenda.read_item":
            return may_read_agenda_item(actor, obj)
        case "minutes.view":
            minutes: Minutes = obj
            if manages(actor, minutes.meeting.network_id):
                return True
            return minutes.status != MinutesStatus.DRAFT
        case "minutes.comment":
            minutes = obj
            return (
                minutes.status == MinutesStatus.CIRCULATED
                and actor.is_member_user
                and (minutes.comment_deadline is None or minutes.comment_deadline >= timezone.now())
            )
    raise ValueError(f"Unknown action {action!r}")
