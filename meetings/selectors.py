"""Reads on meetings, each with the joins its page needs."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import AgendaItem, Attendance, Meeting, MeetingLevel, Participant, Response


def meeting_list(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The list's rows: a meeting with no chair term is chaired by its
    network's coordinator (joined, so no query per row)."""
    return queryset.select_related("network__coordinator", "chair_term__organization").annotate(
        participant_count=Count("participants", distinct=True),
        accepted_items=Count(
            "agenda_items", filter=Q(agenda_items__status="accepted"), distinct=True
        ),
    )


def meeting_page(meeting: Meeting) -> dict:
    participants = list(
        meeting.participants.select_related("organization", "person", "person__user").order_by(
            "is_guest", "organization__acronym", "person__name"
        )
    )
    items = list(
        meeting.agenda_items.select_related(
            "presenter", "proposed_by_org", "carried_from__meeting"
        ).order_by("position", "created_at")
    )
    # A principal present in person, or, at a principals' meeting, an agency
    # recorded as present without naming its principal (as seed 003 does).
    principals_level = meeting.level in (MeetingLevel.PRINCIPALS, MeetingLevel.EXECUTIVE_COMMITTEE)
    principals_present = [
        p
        for p in participants
        if p.attendance == Attendance.PRESENT
        and not p.is_guest
        and (
            (p.person and p.person.level == "principal") or (p.person is None and principals_level)
        )
    ]
    return {
        "participants": participants,
        "agenda_items": items,
        "accepted_items": [i for i in items if i.status == "accepted"],
        "proposed_items": [i for i in items if i.status == "proposed"],
        "other_items": [i for i in items if i.status in ("deferred", "declined")],
        "principals_present": principals_present,
        "answers": {r: sum(1 for p in participants if p.response == r) for r in Response.values},
        "preparatory": list(meeting.preparatory_meetings.all()),
    }


def meetings_with_items(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
        Prefetch("participants", queryset=Participant.objects.select_related("organization")),
    )


def meeting_participants(meeting: Meeting) -> list[Participant]:
    """Who was invited, members first then guests, by agency and name: the
    order of the minutes (page, draft and PDF). One query."""
    return list(
        meeting.participants.select_related("organization", "person").order_by(
            "is_guest", "organization__acronym", "person__name"
        )
    )


ATTENDANCE_ORDER = (Attendance.PRESENT, Attendance.APOLOGIES, Attendance.ABSENT, Attendance.UNKNOWN)


def attendance_by_state(participants: list[Participant]) -> list[tuple[str, list[Participant]]]:
    """Present, apologies, absent, not recorded (in that order, the empty
    ones left out), each as (the Attendance value, its participants, in the
    order given). Someone who sent apologies beforehand and whose attendance
    was not recorded counts as apologies."""
    groups: dict[str, list[Participant]] = {value: [] for value in ATTENDANCE_ORDER}
    for p in participants:
        value = p.attendance
        if value == Attendance.UNKNOWN and p.response == Response.APOLOGIES:
            value = Attendance.APOLOGIES
        groups[value].append(p)
    return [(value, groups[value]) for value in ATTENDANCE_ORDER if groups[value]]


def attendance_groups(participants: list[Participant]) -> list[tuple[str, list[Participant]]]:
    """As attendance_by_state, each group named by its label (the PDF)."""
    return [(Attendance(value).label, group) for value, group in attendance_by_state(participants)]
