"""Meetings: schedule, move, copy, plan a year, change status, invite,
answer, record attendance."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.errors import DomainError
from core.history import acting_user, set_history_user
from core.limits import SHORT_TEXT_MAX_CHARS, check_length, check_model_lengths
from members.models import ChairTerm, Membership, Network, Person, PersonLevel

from ..models import (
    Attendance,
    Meeting,
    MeetingLevel,
    MeetingStatus,
    Participant,
    Response,
)
from .agenda import agenda_ensure_standing_items, carry_deferred_items

# Who is invited by default, by meeting level.
INVITED_LEVELS = {
    MeetingLevel.PRINCIPALS: {PersonLevel.PRINCIPAL},
    MeetingLevel.EXECUTIVE_COMMITTEE: {PersonLevel.PRINCIPAL},
    MeetingLevel.ANNUAL: {PersonLevel.PRINCIPAL, PersonLevel.FOCAL_POINT},
    MeetingLevel.WORKING: {PersonLevel.FOCAL_POINT, PersonLevel.ALTERNATE},
    MeetingLevel.TASK_TEAM: {PersonLevel.FOCAL_POINT},
    MeetingLevel.AD_HOC: {PersonLevel.FOCAL_POINT},
}


def chair_term_for(network: Network, when: datetime) -> ChairTerm | None:
    day = timezone.localtime(when).date()
    return network.chair_terms.filter(start__lte=day, end__gte=day).first()


def meeting_save(*, meeting: Meeting, by=None) -> Meeting:
    """Create or update a meeting; it falls under the chair term of its date."""
    check_model_lengths(Meeting, notes=meeting.notes)
    # The form offers only this network's teams and meetings; the service
    # refuses a forged one too (another network's record grants nothing here).
    if meeting.task_team_id and meeting.task_team.network_id != meeting.network_id:
        raise DomainError(_("This task team belongs to another network."), field="task_team")
    if meeting.prepares_id and meeting.prepares.network_id != meeting.network_id:
        raise DomainError(
            _("The meeting it prepares belongs to another network."), field="prepares"
        )
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.MINUTES_APPROVED) and meeting.pk:
        previous = Meeting.objects.get(pk=meeting.pk)
        if previous.start != meeting.start or previous.end != meeting.end:
            raise DomainError(_("A cancelled or closed meeting cannot be moved."))
    meeting.chair_term = chair_term_for(meeting.network, meeting.start)
    if meeting.pk is None and by is not None and by.is_authenticated:
        meeting.created_by = by
    created = meeting.pk is None
    set_history_user(meeting, by)
    try:
        with transaction.atomic():
            meeting.save()
            if created:
                # Items deferred at earlier meetings that had no next one yet,
                # and the standing items, so members see them from the start.
                carry_deferred_items(meeting=meeting, by=by)
                agenda_ensure_standing_items(meeting=meeting)
    except IntegrityError as exc:
        raise DomainError(_("A meeting must end after it starts."), field="end") from exc
    return meeting


def meeting_copy(*, meeting: Meeting, start: datetime, by=None) -> Meeting:
    """A new planned meeting like this one, at another date, same length."""
    copy = Meeting(
        network=meeting.network,
        level=meeting.level,
        title=meeting.title,
        start=start,
        end=start + (meeting.end - meeting.start),
        time_zone=meeting.time_zone,
        city=meeting.city,
        venue=meeting.venue,
        online_url=meeting.online_url,
    )
    return meeting_save(meeting=copy, by=by)


def quarter_dates(year: int, month_in_quarter: int, weekday: int, week: int) -> list[date]:
    """The `week`-th `weekday` (0=Monday) of the given month of each quarter."""
    days = []
    for quarter in range(4):
        month = quarter * 3 + month_in_quarter
        first = date(year, month, 1)
        offset = (weekday - first.weekday()) % 7
        days.append(first + timedelta(days=offset + 7 * (week - 1)))
    return days


def meetings_plan_year(
    *,
    network: Network,
    year: int,
    level: str,
    title: str,
    month_in_quarter: int,
    weekday: int,
    week: int,
    start_time: time,
    duration: timedelta,
    time_zone: str,
    city: str = "",
    venue: str = "",
    online_url: str = "",
    by=None,
) -> list[Meeting]:
    """One meeting a quarter (seed 000: "held on a quarterly basis"), each
    editable on its own afterwards."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo(time_zone)
    planned = []
    with transaction.atomic():
        for quarter, day in enumerate(quarter_dates(year, month_in_quarter, weekday, week), 1):
            start = datetime.combine(day, start_time, tzinfo=tz)
            planned.append(
                meeting_save(
                    meeting=Meeting(
                        network=network,
                        level=level,
                        title=f"{title} — Q{quarter} {year}",
                        start=start,
                        end=start + duration,
                        time_zone=time_zone,
                        city=city,
                        venue=venue,
                        online_url=online_url,
                    ),
                    by=by,
                )
            )
    return planned


def _transition(meeting: Meeting, to: str) -> None:
    if not meeting.can_move_to(to):
        raise DomainError(
            _("A meeting that is %(state)s cannot become %(to)s.")
            % {
                "state": meeting.get_status_display().lower(),
                "to": MeetingStatus(to).label.lower(),
            }
        )
    meeting.status = to


def meeting_cancel(*, meeting: Meeting, reason: str, by=None) -> Meeting:
    if not reason.strip():
        raise DomainError(_("Say why the meeting is cancelled."), field="reason")
    check_length(reason, limit=SHORT_TEXT_MAX_CHARS, field="reason")
    with transaction.atomic():
        _transition(meeting, MeetingStatus.CANCELLED)
        meeting.cancel_reason = reason
        set_history_user(meeting, by)
        meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    return meeting


def meeting_mark_held(*, meeting: Meeting, by=None) -> Meeting:
    if meeting.start > timezone.now():
        raise DomainError(_("A meeting cannot be marked as held before it starts."))
    with transaction.atomic():
        _transition(meeting, MeetingStatus.HELD)
        set_history_user(meeting, by)
        meeting.save(update_fields=["status", "updated_at"])
    return meeting


def invitees(*, meeting: Meeting, levels: set[str] | None = None) -> list[Person]:
    """The member agencies' people the meeting's level calls for (principals
    for a principals' meeting, focal points for a working one...)."""
    levels = levels or INVITED_LEVELS[meeting.level]
    members = Membership.objects.current(meeting.local_start.date()).filter(network=meeting.network)
    if meeting.level == MeetingLevel.EXECUTIVE_COMMITTEE:
        members = members.filter(executive_committee=True)
    return list(
        Person.objects.filter(
            organization_id__in=members.values("organization_id"), level__in=levels, is_active=True
        )
        .filter(Q(network__isnull=True) | Q(network=meeting.network))
        .select_related("organization")
        .order_by("organization__acronym", "name")
    )


def participants_invite(
    *, meeting: Meeting, levels: set[str] | None = None, guests: list = (), by=None
) -> int:
    """Invite the people `invitees` names, and guest organizations. Returns
    how many invitations are new; inviting twice adds nobody twice. Each new
    invitation gets its "created" history record, naming `by`."""
    people = invitees(meeting=meeting, levels=levels)
    existing = set(meeting.participants.exclude(person=None).values_list("person_id", flat=True))
    new = [
        Participant(meeting=meeting, organization_id=p.organization_id, person=p)
        for p in people
        if p.pk not in existing
    ]
    guest_existing = set(
        meeting.participants.filter(person=None).values_list("organization_id", flat=True)
    )
    new += [
        Participant(meeting=meeting, organization=org, is_guest=True)
        for org in guests
        if org.pk not in guest_existing
    ]
    # bulk_create alone writes no history: this one writes both, in one go.
    with transaction.atomic():
        bulk_create_with_history(new, Participant, default_user=acting_user(by))
    return len(new)


def participant_respond(
    *, participant: Participant, response: str, delegate: str = "", by=None
) -> None:
    if response not in Response.values or response == Response.PENDING:
        raise DomainError(_("Choose an answer."), field="response")
    if response == Response.DELEGATE and not delegate.strip():
        raise DomainError(_("Name the delegate you are sending."), field="delegate_name")
    if participant.meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_CIRCULATED):
        raise DomainError(_("This meeting no longer takes answers."))
    participant.response = response
    participant.delegate_name = delegate if response == Response.DELEGATE else ""
    participant.responded_at = timezone.now()
    set_history_user(participant, by)
    participant.save(update_fields=["response", "delegate_name", "responded_at"])


def attendance_record(*, meeting: Meeting, attendance: dict[int, str], by=None) -> None:
    """Record who was there, in one go: {participant_id: attendance}. The
    meeting is held by then. Each changed participant gets its "changed"
    history record, naming `by`."""
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise DomainError(_("The minutes are approved: the attendance they record is final."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Attendance cannot be recorded for a cancelled meeting."))
    if meeting.start > timezone.now():
        raise DomainError(_("Attendance is recorded once the meeting has started."))
    unknown = set(attendance.values()) - set(Attendance.values)
    if unknown:
        raise DomainError(_("Unknown attendance value."))
    with transaction.atomic():
        participants = {p.pk: p for p in meeting.participants.all()}
        changed = []
        for pk, value in attendance.items():
            participant = participants.get(pk)
            if participant is None:
                raise DomainError(_("Someone in the list is not invited to this meeting."))
            if participant.attendance != value:
                participant.attendance = value
                changed.append(participant)
        if changed:
            # bulk_update alone writes no history: this one writes both.
            bulk_update_with_history(
                changed, Participant, ["attendance"], default_user=acting_user(by)
            )
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_CIRCULATED):
            _transition(meeting, MeetingStatus.HELD)
            set_history_user(meeting, by)
            meeting.save(update_fields=["status", "updated_at"])
