"""Every permission question about meetings, answered in one place.

The chair of the current term (or the coordinator) and the secretariat manage
their network's meetings; focal points of member agencies propose items,
answer invitations and comment on circulated minutes; principals and focal
points read their networks' meetings; a guest sees only the meetings it was
invited to; draft minutes are for the chair and the secretariat only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.roles import Actor
from members.permissions import member_network_ids

from .models import Meeting, MeetingStatus, Minutes, MinutesStatus, Participant


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
        Q(person__user_id=actor.user_id) | Q(organization_id__in=actor.organization_ids)
    ).values("meeting_id")
    return Meeting.objects.filter(Q(network_id__in=networks) | Q(pk__in=invited))


def manages(actor: Actor, network_id: int) -> bool:
    return actor.manages(network_id) or actor.is_chair(network_id)


def can(actor: Actor, action: str, obj=None) -> bool:
    match action:
        case "meeting.create":
            # obj: the network
            return obj is not None and manages(actor, obj.pk)
        case "meeting.manage" | "agenda.decide" | "attendance.record" | "minutes.edit":
            return manages(actor, obj.network_id)
        case "agenda.propose":
            meeting: Meeting = obj
            if not meeting.accepts_proposals():
                return False
            return manages(actor, meeting.network_id) or (
                actor.is_focal_point() and meeting.network_id in member_network_ids(actor)
            )
        case "participant.respond":
            participant: Participant = obj
            if participant.meeting.status in (MeetingStatus.CANCELLED,):
                return False
            return (
                participant.person_id is not None and participant.person.user_id == actor.user_id
            ) or actor.is_focal_point(participant.organization_id)
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
