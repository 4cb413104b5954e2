"""Meetings: plan, move, copy, a year of quarterly meetings, status moves,
invitations, answers and attendance."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from meetings.models import Attendance, Meeting, MeetingLevel, MeetingStatus, Participant, Response
from meetings.services import schedule
from members.models import PersonLevel
from tests import factories as f
from tests.meetings.conftest import at, make_meeting

pytestmark = pytest.mark.django_db


def test_the_secretariat_plans_a_meeting_in_its_local_time(client, secretariat, network):
    """Start and end are typed as the wall-clock time of the meeting's place."""
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:create", args=[network.slug]),
        {
            "title": "Principals' meeting",
            "level": "principals",
            "start": "2030-11-09T10:00",
            "end": "2030-11-09T12:30",
            "time_zone": "America/New_York",
            "city": "New York",
            "venue": "UN Headquarters",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.local_start.hour == 10 and meeting.time_zone == "America/New_York"
    assert meeting.start == at(2030, 11, 9, 16)  # 10:00 in New York is 16:00 in Geneva
    assert meeting.created_by == secretariat


def test_a_meeting_falls_under_the_chair_term_of_its_date(network, current_term):
    meeting = schedule.meeting_save(
        meeting=Meeting(
            network=network,
            level="working",
            title="W",
            city="Geneva",
            start=timezone.now() + timedelta(days=1),
            end=timezone.now() + timedelta(days=1, hours=2),
        )
    )
    assert meeting.chair_term == current_term


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"end": "2030-11-09T09:00"}, "must end after it starts"),
        ({"city": "", "venue": "", "online_url": ""}, "Give a place"),
        ({"proposals_deadline": "2030-11-10T09:00"}, "must be before the meeting"),
        ({"start": "9 November"}, "Enter a valid date/time."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_and_kept(client, secretariat, network, data, message):
    client.force_login(secretariat)
    post = {
        "title": "Kept title",
        "level": "principals",
        "start": "2030-11-09T10:00",
        "end": "2030-11-09T12:00",
        "time_zone": "Europe/Zurich",
        "city": "Geneva",
    }
    post.update(data)
    response = client.post(reverse("meetings:create", args=[network.slug]), post)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Kept title"' in page
    assert not Meeting.objects.exists()


def test_plan_a_year_of_quarterly_meetings(secretariat, network):
    """Four meetings, the second Tuesday of the first month of each quarter."""
    meetings = schedule.meetings_plan_year(
        network=network,
        year=2031,
        level=MeetingLevel.WORKING,
        title="Working group",
        month_in_quarter=1,
        weekday=1,
        week=2,
        start_time=time(14, 0),
        duration=timedelta(hours=2),
        time_zone="Asia/Bangkok",
        city="Bangkok",
    )
    assert [m.local_start.date().isoformat() for m in meetings] == [
        "2031-01-14",
        "2031-04-08",
        "2031-07-08",
        "2031-10-14",
    ]
    assert all(m.local_start.hour == 14 and m.time_zone == "Asia/Bangkok" for m in meetings)
    assert meetings[0].title == "Working group — Q1 2031"


def test_copy_keeps_everything_but_the_date(meeting):
    start = at(2031, 3, 3, 15)
    copy = schedule.meeting_copy(meeting=meeting, start=start)
    assert copy.pk != meeting.pk and copy.start == start
    assert copy.end - copy.start == meeting.end - meeting.start
    assert (copy.city, copy.level, copy.status) == (
        meeting.city,
        meeting.level,
        MeetingStatus.PLANNED,
    )


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("planned", "agenda_circulated", True),
        ("planned", "held", True),
        ("planned", "minutes_approved", False),
        ("agenda_circulated", "held", True),
        ("agenda_circulated", "planned", False),
        ("held", "minutes_approved", True),
        ("held", "cancelled", False),
        ("cancelled", "planned", False),
        ("minutes_approved", "held", False),
    ],
)
def test_meeting_transitions(start, target, allowed):
    assert Meeting(status=start).can_move_to(target) is allowed


def test_cancelling_needs_a_reason_and_is_final(meeting):
    with pytest.raises(DomainError):
        schedule.meeting_cancel(meeting=meeting, reason=" ")
    schedule.meeting_cancel(meeting=meeting, reason="The chair is travelling.")
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(DomainError):
        schedule.meeting_cancel(meeting=meeting, reason="Again")
    with pytest.raises(DomainError):
        schedule.meeting_mark_held(meeting=meeting)


def test_a_future_meeting_cannot_be_marked_held(meeting):
    with pytest.raises(DomainError, match="before it starts"):
        schedule.meeting_mark_held(meeting=meeting)


def test_invitations_follow_the_level_and_are_not_doubled(
    network, agency_a, agency_b, focal_a, principal_a
):
    """A principals' meeting invites principals, a working one focal points;
    inviting again adds nobody; guests are marked."""
    principals = make_meeting(network, level=MeetingLevel.PRINCIPALS)
    assert schedule.participants_invite(meeting=principals) == 1
    assert principals.participants.get().person.level == PersonLevel.PRINCIPAL
    working = make_meeting(network, level=MeetingLevel.WORKING)
    guest = f.OrganizationFactory(acronym="EC", name="European Commission", slug="ec")
    assert schedule.participants_invite(meeting=working, guests=[guest]) == 2
    assert schedule.participants_invite(meeting=working, guests=[guest]) == 0
    assert working.participants.get(is_guest=True).organization == guest


def test_an_invited_focal_point_answers(client, meeting, focal_a):
    schedule.participants_invite(meeting=meeting)
    invitation = Participant.objects.get(person__user=focal_a)
    client.force_login(focal_a)
    url = reverse("meetings:respond", args=[invitation.pk])
    response = client.post(url, {"response": "delegate", "delegate_name": ""})
    assert "Name the delegate" in response.content.decode()
    client.post(url, {"response": "delegate", "delegate_name": "Ana Deputy"})
    invitation.refresh_from_db()
    assert (invitation.response, invitation.delegate_name) == (Response.DELEGATE, "Ana Deputy")


def test_another_agency_cannot_answer_for_someone(client, meeting, focal_a, focal_b):
    schedule.participants_invite(meeting=meeting)
    invitation = Participant.objects.get(person__user=focal_a)
    client.force_login(focal_b)
    response = client.post(
        reverse("meetings:respond", args=[invitation.pk]), {"response": "apologies"}
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.response == Response.PENDING


def test_attendance_in_one_form_and_the_principals_sentence(
    client, secretariat, network, principal_a, principal_b
):
    """After the meeting: one form; the page then says which principals attended."""
    meeting = make_meeting(network, days=-1, level=MeetingLevel.PRINCIPALS)
    schedule.participants_invite(meeting=meeting)
    a, b = meeting.participants.order_by("organization__acronym")
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"p{a.pk}": "present", f"p{b.pk}": "apologies"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert Participant.objects.get(pk=a.pk).attendance == Attendance.PRESENT
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "The meeting was attended by one principal" in page and "(AAA)" in page


def test_attendance_waits_for_the_meeting(client, secretariat, meeting):
    with pytest.raises(DomainError):
        schedule.attendance_record(meeting=meeting, attendance={})


def test_meeting_pages_render(client, secretariat, meeting, past_meeting):
    client.force_login(secretariat)
    for url in [
        reverse("meetings:list"),
        reverse("meetings:year"),
        reverse("meetings:year", args=[meeting.local_start.year]),
        meeting.get_absolute_url(),
        reverse("meetings:edit", args=[meeting.pk]),
        reverse("meetings:copy", args=[meeting.pk]),
        reverse("meetings:invite", args=[meeting.pk]),
        reverse("meetings:attendance", args=[past_meeting.pk]),
        reverse("meetings:plan_year", args=[meeting.network.slug]),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_year_view_labels_the_quarters_q1_to_q4(client, secretariat, meeting):
    """Issue 9: the quarters start at Q1 (January) and end at Q4 (October)."""
    client.force_login(secretariat)
    page = client.get(reverse("meetings:year", args=[2030])).content.decode()
    labels = re.findall(r'<span class="text-muted">(Q\d)</span>', page)
    assert labels == ["Q1", "Q2", "Q3", "Q4"]
    assert "Q0" not in page


def test_the_list_names_the_chair_term_the_coordinator_or_nobody(
    client, secretariat, network, other_network, agency_a, agency_b
):
    """Issue 9: the Chair column shows the meeting's chair term; without one,
    the network's coordinator; with neither, a dash."""
    term = f.ChairTermFactory(
        network=network,
        organization=agency_b,
        start=timezone.localdate(),
        end=timezone.localdate() + timedelta(days=90),
    )
    chaired = schedule.meeting_save(meeting=make_meeting(network, title="Chaired by a term"))
    assert chaired.chair_term == term
    make_meeting(network, days=200, title="No term yet")
    other_network.governance = "coordinator"
    other_network.coordinator = agency_a
    other_network.save(update_fields=["governance", "coordinator"])
    f.grant(secretariat, network=other_network)
    make_meeting(other_network, title="Coordinated")
    client.force_login(secretariat)

    rows = {
        title: row
        for row in client.get(reverse("meetings:list"), {"network": ""})
        .content.decode()
        .split("<tr>")
        for title in ("Chaired by a term", "No term yet", "Coordinated")
        if f">{title}</a>" in row
    }

    assert '<td class="small">BBB</td>' in rows["Chaired by a term"]
    assert '<td class="small">—</td>' in rows["No term yet"]
    assert 'AAA <span class="text-muted">(coordinator)</span>' in rows["Coordinated"]


def test_the_list_filters(client, secretariat, network, meeting):
    make_meeting(network, level=MeetingLevel.PRINCIPALS, title="Principals 2031", days=400)
    client.force_login(secretariat)
    page = client.get(
        reverse("meetings:list"), {"network": network.pk, "level": "principals"}
    ).content.decode()
    assert "Principals 2031" in page and "Working-level meeting" not in page


def test_the_dashboard_lists_next_meetings_and_invitations_to_answer(client, meeting, focal_a):
    schedule.participants_invite(meeting=meeting)
    client.force_login(focal_a)
    page = client.get(reverse("home")).content.decode()
    assert "Please answer the invitation to Working-level meeting" in page
    invitation = Participant.objects.get(person__user=focal_a)
    assert reverse("meetings:respond", args=[invitation.pk]) in page


def test_pages_show_the_wall_clock_time_of_the_meeting_place(client, secretariat, network):
    """A 09:30 meeting in Bangkok reads 09:30, not its UTC time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2031, 5, 6, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
    meeting = make_meeting(
        network, start=start, end=start + timedelta(hours=2), time_zone="Asia/Bangkok"
    )
    client.force_login(secretariat)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "09:30–11:30" in page
    listing = client.get(reverse("meetings:list"), {"network": network.pk}).content.decode()
    assert "09:30 Asia/Bangkok" in listing


def test_attendance_is_final_once_the_minutes_are_approved(network, secretariat):
    """The approved minutes record the attendance: it no longer changes."""
    meeting = make_meeting(network, days=-5, status=MeetingStatus.MINUTES_APPROVED)
    with pytest.raises(DomainError, match="final"):
        schedule.attendance_record(meeting=meeting, attendance={})


def test_new_meetings_start_with_their_standing_items(network):
    """Approval of the previous minutes (when there was a previous meeting) and
    open action points are on the agenda from the start, for everyone to see."""
    make_meeting(network, days=-30)
    meeting = schedule.meeting_save(
        meeting=Meeting(
            network=network,
            level="working",
            title="Next",
            city="Geneva",
            start=timezone.now() + timedelta(days=9),
            end=timezone.now() + timedelta(days=9, hours=2),
        )
    )
    assert meeting.agenda_items.exclude(kind="regular").exists()


def test_the_list_filters_by_an_organization_taking_part(
    client, secretariat, network, agency_a, focal_a
):
    """Typed acronym or part of the name; meetings it does not attend are out."""
    with_a = make_meeting(network, title="With agency A")
    make_meeting(network, title="Without anyone", days=40)
    schedule.participants_invite(meeting=with_a)
    client.force_login(secretariat)
    for value in ("aaa", "Agency A"):
        page = client.get(
            reverse("meetings:list"), {"network": network.pk, "organization": value}
        ).content.decode()
        assert "With agency A" in page and "Without anyone" not in page


# --- the time zone of a new meeting (issue 9) -------------------------------------


def _selected_zone(page: str) -> list[str]:
    select = page.split('name="time_zone"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"[^>]* selected>', select)


@pytest.mark.parametrize("url_name", ["meetings:create", "meetings:plan_year"])
def test_a_new_meeting_starts_in_the_network_time_zone(client, secretariat, network, url_name):
    """Not the first of 600 zones (Africa/Abidjan): the network's own, once."""
    network.time_zone = "Asia/Bangkok"
    network.save(update_fields=["time_zone"])
    client.force_login(secretariat)

    page = client.get(reverse(url_name, args=[network.slug])).content.decode()

    assert _selected_zone(page) == ["Asia/Bangkok"]


def test_the_zone_select_offers_the_common_zones_first(client, secretariat, network):
    """A group of common zones (the network's own among them) comes first,
    then every zone."""
    network.time_zone = "Pacific/Fiji"
    network.save(update_fields=["time_zone"])
    client.force_login(secretariat)

    page = client.get(reverse("meetings:create", args=[network.slug])).content.decode()
    select = page.split('name="time_zone"', 1)[1].split("</select>", 1)[0]

    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Common", "All time zones"]
    common = select.split('<optgroup label="All time zones">')[0]
    values = re.findall(r'<option value="([^"]+)"', common)
    assert values[:3] == ["UTC", "Pacific/Fiji", "Europe/Zurich"]
    for zone in ("America/New_York", "Asia/Bangkok", "Africa/Nairobi", "Europe/Vienna"):
        assert zone in values
    assert "Africa/Abidjan" not in values
    assert _selected_zone(page) == ["Pacific/Fiji"]


def test_editing_keeps_the_meeting_zone(client, secretariat, network, meeting):
    network.time_zone = "Asia/Bangkok"
    network.save(update_fields=["time_zone"])
    client.force_login(secretariat)

    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()

    assert _selected_zone(page) == ["Europe/Zurich"]


def test_an_unknown_zone_is_refused_with_a_message(client, secretariat, network):
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:create", args=[network.slug]),
        {
            "title": "Kept title",
            "level": "working",
            "start": "2030-11-09T10:00",
            "end": "2030-11-09T12:00",
            "time_zone": "Mars/Olympus_Mons",
            "city": "Geneva",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. Mars/Olympus_Mons is not one of the available choices." in page
    assert "Kept title" in page
    assert not Meeting.objects.exists()
