"""The decisions of a meeting, recorded from its approved minutes.

The minutes keep the decisions taken as one text, written, versioned and
commented on with the rest of the minutes. Approving them (meetings'
`minutes_approved`, sent inside the approval's transaction) makes each of
their decisions an entry of the register: taken at the meeting, adopted on
the meeting's day with its reference number, linked to the meeting, its
agenda item and its place among the minutes' decisions (`minutes_item`).
The approved minutes are frozen, so the entry's text is the minutes' text,
and from then on the minutes show their decisions from the register.

Recording twice changes nothing: an item already in the register is left as
it is."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from core.errors import DomainError
from meetings.models import Meeting, MeetingLevel, Minutes
from meetings.services.decision_items import DecisionItem, decision_items

from ..models import Body, Decision, Procedure
from .register import decision_create, decision_record_adopted

log = logging.getLogger(__name__)

# Who decides at a meeting of each level.
BODY_OF_LEVEL = {
    MeetingLevel.PRINCIPALS: Body.PRINCIPALS,
    MeetingLevel.EXECUTIVE_COMMITTEE: Body.EXECUTIVE_COMMITTEE,
    MeetingLevel.ANNUAL: Body.ANNUAL_MEETING,
    MeetingLevel.TASK_TEAM: Body.TASK_TEAM,
    MeetingLevel.WORKING: Body.WORKING_LEVEL,
    MeetingLevel.AD_HOC: Body.WORKING_LEVEL,
}


def minutes_decision_items(minutes: Minutes, meeting: Meeting) -> list[DecisionItem]:
    """What approving these minutes records in the register (one query)."""
    return decision_items(minutes.decisions, list(meeting.agenda_items.all()))


def record_minutes_decisions(*, minutes: Minutes, meeting: Meeting, by) -> list[Decision]:
    """Each decision of the approved minutes, recorded as adopted on the
    meeting's day; the ones already recorded are returned as they are."""
    items = minutes_decision_items(minutes, meeting)
    if not items:
        return []
    existing = {
        d.minutes_item: d
        for d in Decision.objects.filter(meeting=meeting, minutes_item__isnull=False)
    }
    body = BODY_OF_LEVEL.get(meeting.level, Body.WORKING_LEVEL)
    task_team = meeting.task_team if body == Body.TASK_TEAM else None
    if body == Body.TASK_TEAM and task_team is None:
        body = Body.WORKING_LEVEL
    day = meeting.local_start.date()  # the day where it was held
    recorded = []
    for item in items:
        if item.number in existing:
            recorded.append(existing[item.number])
            continue
        try:
            decision = decision_create(
                network=meeting.network,
                body=body,
                procedure=Procedure.MEETING,
                title=item.title,
                text=item.text,
                by=by,
                task_team=task_team,
                meeting=meeting,
                agenda_item=item.agenda_item,
            )
        except DomainError as error:
            raise DomainError(_item_problem(item, error.message), field="decisions") from error
        Decision.objects.filter(pk=decision.pk).update(minutes_item=item.number)
        decision.minutes_item = item.number
        recorded.append(decision_record_adopted(decision=decision, on=day, by=by))
    log.info(
        "decisions.from_minutes meeting=%s items=%s new=%s",
        meeting.pk,
        len(items),
        len(items) - len(existing),
    )
    return recorded


def _item_problem(item: DecisionItem, message: str) -> str:
    return _("Decision %(n)s of the minutes: %(problem)s") % {"n": item.number, "problem": message}


def on_minutes_approved(sender, *, minutes: Minutes, meeting: Meeting, by, **kwargs) -> None:
    record_minutes_decisions(minutes=minutes, meeting=meeting, by=by)
