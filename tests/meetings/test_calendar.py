"""Calendars: a meeting as `.ics`, and each user's subscription feed of the
meetings they are invited to (a secret address, no sign-in, reset at will).

Every file is parsed back with icalendar, as Outlook and Google read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import ics
from meetings.models import CalendarFeed, Meeting, MeetingLevel, MeetingStatus, Participant
from meetings.services import schedule
from members.models import PersonLevel
from tests import factories as f
from tests.meetings.conftest import at, make_meeting

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------


def _invite(meeting, user=None, *, organization=None, guest=False):
    """An invitation of the person record linked to `user`, or of an
    organization with no person named."""
    if user is not None:
        person = user.people.get()
        return Participant.objects.create(
            meeting=meeting, organization=person.organization, person=person, is_guest=guest
        )
    return Participant.objects.create(meeting=meeting, organization=organization, is_guest=guest)


def _parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _only_event(response):
    events = _parse(response).events
    assert len(events) == 1
    return events[0]


@pytest.fixture
def new_york_meeting(network, agency_a, agency_b):
    return Meeting.objects.create(
        network=network,
        level=MeetingLevel.PRINCIPALS,
        title="Principals' meeting, ninth of November — with a title long enough to be folded",
        start=at(2030, 11, 9, 16),  # 10:00 in New York
        end=at(2030, 11, 9, 18),
        time_zone="America/New_York",
        city="New York",
        venue="UN Headquarters",
        online_url="https://meet.example.org/gtn-principals",
    )


@pytest.fixture
def guest_org(db):
    return f.OrganizationFactory(acronym="GST", name="Guest Agency", slug="gst")


@pytest.fixture
def guest(guest_org):
    """The focal point of an agency that is not a member: invited as a guest."""
    user = f.UserFactory(email="focal@guest.example.org")
    f.PersonFactory(
        organization=guest_org, level=PersonLevel.FOCAL_POINT, user=user, email=user.email
    )
    return user


# --- one meeting as .ics ----------------------------------------------------------------------


def test_a_meeting_downloads_as_an_ics_file_outlook_and_google_read(
    client, focal_b, new_york_meeting
):
    """VEVENT with a stable UID, the meeting's own time zone and wall time,
    its place, online link and page, PUBLISH and our PRODID."""
    client.force_login(focal_b)
    response = client.get(reverse("meetings:ics", args=[new_york_meeting.pk]))

    calendar = _parse(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="meeting-{new_york_meeting.pk}.ics"'
    )
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"] == ics.PRODID
    assert calendar["VERSION"] == "2.0"
    assert [tz.tz_name for tz in calendar.timezones] == ["America/New_York"]
    event = calendar.events[0]
    assert event["UID"] == f"meeting-{new_york_meeting.pk}@localhost"
    assert event.start.tzinfo.key == "America/New_York"
    assert (event.start.hour, event.start.minute) == (10, 0)
    assert event.start == new_york_meeting.start
    assert event.end == new_york_meeting.end
    assert event["SUMMARY"] == new_york_meeting.title
    assert event["LOCATION"] == "UN Headquarters, New York"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    page = f"http://testserver/meetings/{new_york_meeting.pk}/"
    assert event["URL"] == page
    assert "https://meet.example.org/gtn-principals" in event["DESCRIPTION"]
    assert page in event["DESCRIPTION"]


def test_the_ics_file_has_crlf_line_endings_and_folded_lines(client, focal_b, new_york_meeting):
    """RFC 5545: every line ends with CRLF and none is longer than 75 octets."""
    client.force_login(focal_b)
    raw = client.get(reverse("meetings:ics", args=[new_york_meeting.pk])).content

    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded


def test_an_online_meeting_shows_its_link_as_the_place(client, focal_b, network, agency_b):
    meeting = make_meeting(network, city="", online_url="https://meet.example.org/w")
    client.force_login(focal_b)

    event = _only_event(client.get(reverse("meetings:ics", args=[meeting.pk])))

    assert event["LOCATION"] == "https://meet.example.org/w"


def test_a_cancelled_meeting_is_cancelled_in_the_calendar(client, focal_b, new_york_meeting):
    """STATUS:CANCELLED and a higher SEQUENCE, so the calendar's copy is replaced."""
    client.force_login(focal_b)
    url = reverse("meetings:ics", args=[new_york_meeting.pk])
    before = _only_event(client.get(url))

    schedule.meeting_cancel(meeting=new_york_meeting, reason="The chair is travelling.")
    after = _only_event(client.get(url))

    assert after["STATUS"] == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["UID"] == before["UID"]
    assert "The chair is travelling." in after["DESCRIPTION"]


def test_the_sequence_increases_each_time_the_meeting_moves(client, focal_b, new_york_meeting):
    """Same UID, new time, a higher SEQUENCE each move: calendars update the
    event instead of adding a second one."""
    client.force_login(focal_b)
    url = reverse("meetings:ics", args=[new_york_meeting.pk])
    sequences = [_only_event(client.get(url))["SEQUENCE"]]

    for hours in (1, 25):
        new_york_meeting.start += timedelta(hours=hours)
        new_york_meeting.end += timedelta(hours=hours)
        schedule.meeting_save(meeting=new_york_meeting)
        event = _only_event(client.get(url))
        sequences.append(event["SEQUENCE"])
        assert event["UID"] == f"meeting-{new_york_meeting.pk}@localhost"

    assert sequences == sorted(set(sequences))  # strictly increasing
    assert event.start.tzinfo.key == "America/New_York"
    assert (event.start.day, event.start.hour) == (10, 12)  # a day and two hours later


# --- who may download it ------------------------------------------------------------------------


def test_an_outsider_gets_404_for_a_meeting_ics(client, outsider, meeting):
    client.force_login(outsider)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 404


def test_the_ics_requires_sign_in(client, meeting):
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_ics_of_an_unknown_meeting_is_404(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("meetings:ics", args=[987654])).status_code == 404


def test_member_chair_and_secretariat_may_download_the_ics(
    client, meeting, focal_b, chair, secretariat
):
    for user in (focal_b, chair, secretariat):
        client.force_login(user)
        assert client.get(reverse("meetings:ics", args=[meeting.pk])).status_code == 200


def test_a_guest_downloads_only_the_meeting_it_was_invited_to(client, guest, network, guest_org):
    invited = make_meeting(network, title="With guests")
    other = make_meeting(network, days=40, title="Members only")
    _invite(invited, guest, guest=True)
    client.force_login(guest)

    assert client.get(reverse("meetings:ics", args=[invited.pk])).status_code == 200
    assert client.get(reverse("meetings:ics", args=[other.pk])).status_code == 404


# --- the subscription feed -----------------------------------------------------------------------


def _feed_url(user) -> str:
    return reverse("meetings:feed", args=[ics.feed_for(user=user).token])


def test_the_feed_holds_only_the_meetings_the_user_is_invited_to(
    network, focal_a, focal_b, agency_a, guest, guest_org
):
    """By name, or as the agency when the invitation names no person; not
    the other meetings of the network, and not others' invitations."""
    by_name = make_meeting(network, title="Invited by name")
    as_agency = make_meeting(network, days=35, title="Invited as the agency")
    not_invited = make_meeting(network, days=40, title="Not invited")
    _invite(by_name, focal_a)
    _invite(as_agency, organization=agency_a)
    _invite(not_invited, focal_b)
    _invite(not_invited, guest, guest=True)

    response = Client().get(_feed_url(focal_a))  # no sign-in: calendar apps cannot

    calendar = _parse(response)
    assert sorted(e["SUMMARY"] for e in calendar.events) == [
        "Invited as the agency",
        "Invited by name",
    ]
    assert calendar["X-WR-CALNAME"] == "Meetings — focal@agency-a.example.org"
    assert response["Content-Disposition"] == 'inline; filename="meetings.ics"'
    assert "private" in response["Cache-Control"]


def test_the_feed_says_how_often_to_refresh_as_iso_8601_durations(network, focal_a):
    """Issue 9: X-PUBLISHED-TTL (Outlook) and REFRESH-INTERVAL (RFC 7986)
    are PT1H, not Python's 1:00:00."""
    _invite(make_meeting(network), focal_a)

    response = Client().get(_feed_url(focal_a))

    lines = response.content.decode().splitlines()
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "1:00:00" not in response.content.decode()


def test_a_guest_feed_has_only_its_invitation(network, guest, focal_a):
    invited = make_meeting(network, title="With guests")
    other = make_meeting(network, days=35, title="Members only")
    _invite(invited, guest, guest=True)
    _invite(other, focal_a)

    events = _parse(Client().get(_feed_url(guest))).events

    assert [e["SUMMARY"] for e in events] == ["With guests"]


def test_the_feed_shows_a_cancelled_meeting_as_cancelled_and_leaves_out_old_ones(network, focal_a):
    cancelled = make_meeting(network, title="Cancelled")
    schedule.meeting_cancel(meeting=cancelled, reason="No quorum.")
    old = make_meeting(network, days=-400, title="Two years ago")
    _invite(cancelled, focal_a)
    _invite(old, focal_a)

    events = _parse(Client().get(_feed_url(focal_a))).events

    assert [(e["SUMMARY"], e["STATUS"]) for e in events] == [("Cancelled", "CANCELLED")]


def test_an_unknown_token_is_404(db):
    response = Client().get(reverse("meetings:feed", args=["x" * 32]))
    assert response.status_code == 404


def test_the_feed_of_a_deactivated_account_is_404(network, focal_a):
    url = _feed_url(focal_a)
    focal_a.is_active = False
    focal_a.save(update_fields=["is_active"])

    assert Client().get(url).status_code == 404


def test_reset_makes_the_old_address_404_and_the_new_one_work(client, network, focal_a):
    _invite(make_meeting(network), focal_a)
    client.force_login(focal_a)
    old = _feed_url(focal_a)
    assert Client().get(old).status_code == 200

    response = client.post(reverse("meetings:calendar_feed_reset"))

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:calendar_feed")
    new = _feed_url(focal_a)
    assert new != old
    assert Client().get(old).status_code == 404
    assert len(_parse(Client().get(new)).events) == 1
    page = client.get(reverse("meetings:calendar_feed")).content.decode()
    assert "the old one no longer works" in page
    assert new in page


def test_reset_needs_a_post_and_a_signed_in_user(client, focal_a):
    old = ics.feed_for(user=focal_a).token

    assert Client().post(reverse("meetings:calendar_feed_reset")).status_code == 302  # sign in
    client.force_login(focal_a)
    assert client.get(reverse("meetings:calendar_feed_reset")).status_code == 405

    assert CalendarFeed.objects.get(user=focal_a).token == old


def test_the_feed_page_shows_the_address_to_copy(client, network, focal_a):
    _invite(make_meeting(network), focal_a)
    client.force_login(focal_a)

    response = client.get(reverse("meetings:calendar_feed"))

    page = response.content.decode()
    token = CalendarFeed.objects.get(user=focal_a).token
    assert f"http://testserver/meetings/calendar/{token}.ics" in page
    assert f"webcal://testserver/meetings/calendar/{token}.ics" in page
    assert "You are invited to one upcoming meeting." in page
    assert "Reset my calendar address" in page
    # A second visit keeps the same address.
    client.get(reverse("meetings:calendar_feed"))
    assert CalendarFeed.objects.get(user=focal_a).token == token


def test_the_feed_page_requires_sign_in(client, db):
    response = client.get(reverse("meetings:calendar_feed"))
    assert response.status_code == 302
    assert CalendarFeed.objects.count() == 0


def test_the_list_links_to_subscribe_and_the_meeting_page_to_its_ics(client, focal_b, meeting):
    client.force_login(focal_b)

    listing = client.get(reverse("meetings:list")).content.decode()
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert f'href="{reverse("meetings:calendar_feed")}"' in listing
    assert "Subscribe" in listing
    assert f'href="{reverse("meetings:ics", args=[meeting.pk])}"' in detail
    assert "Add to calendar (.ics)" in detail


# --- query budget -----------------------------------------------------------------------------------


def _bulk_invited_meetings(network, person, n: int, *, time_zones=("Europe/Zurich",)) -> None:
    start = timezone.now() + timedelta(days=1)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            level=MeetingLevel.WORKING,
            title=f"Bulk meeting {i}",
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=2),
            time_zone=time_zones[i % len(time_zones)],
            city="Geneva",
            status=MeetingStatus.CANCELLED if i % 7 == 0 else MeetingStatus.PLANNED,
        )
        for i in range(n)
    )
    Participant.objects.bulk_create(
        Participant(meeting=m, organization_id=person.organization_id, person=person)
        for m in meetings
    )


def _feed_queries(url: str) -> tuple[int, int]:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), len(_parse(response).events)


def test_the_feed_costs_the_same_queries_for_10_and_200_meetings(
    network, focal_a, django_assert_max_num_queries
):
    person = focal_a.people.get()
    zones = ("Europe/Zurich", "America/New_York", "Asia/Bangkok")
    url = _feed_url(focal_a)

    _bulk_invited_meetings(network, person, 10, time_zones=zones)
    small, events = _feed_queries(url)
    assert events == 10
    _bulk_invited_meetings(network, person, 190, time_zones=zones)
    large, events = _feed_queries(url)
    assert events == 200

    assert small == large
    with django_assert_max_num_queries(2):
        # 1. the feed by its token, with its user
        # 2. the invited meetings, with their network and history count
        Client().get(url)
