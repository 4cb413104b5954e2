"""Meeting fixtures on top of the personas of tests/conftest.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting, MeetingLevel, MeetingStatus, Participant, Response
from members.models import PersonLevel
from tests import factories as f

GENEVA = ZoneInfo("Europe/Zurich")


def make_meeting(network, *, days=30, level=MeetingLevel.WORKING, **extra):
    start = (
        (timezone.now() + timedelta(days=days))
        .astimezone(GENEVA)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    values = {
        "network": network,
        "level": level,
        "title": "Working-level meeting",
        "start": start,
        "end": start + timedelta(hours=2),
        "time_zone": "Europe/Zurich",
        "city": "Geneva",
    }
    values.update(extra)
    return Meeting.objects.create(**values)


@pytest.fixture
def meeting(network, agency_a, agency_b):
    return make_meeting(network)


@pytest.fixture
def past_meeting(network, agency_a, agency_b):
    return make_meeting(network, days=-3, title="Last meeting")


@pytest.fixture
def principal_b(agency_b):
    user = f.UserFactory(email="head@agency-b.example.org")
    f.PersonFactory(organization=agency_b, level=PersonLevel.PRINCIPAL, user=user, email=user.email)
    return user


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=GENEVA)


@pytest.fixture
def held_with_attendance(network, agency_a, agency_b, chair, focal_b, principal_a):
    """A working-level meeting held three days ago, with four participants:
    the chair (present), the head of agency A (present, a principal),
    agency B's focal point (apologies) and a guest organization (GST, absent)."""
    meeting = make_meeting(
        network, days=-3, title="Working-level meeting of March", status=MeetingStatus.HELD
    )
    guest = f.OrganizationFactory(acronym="GST", name="Guest Institute", slug="gst")
    for user, attendance in (
        (chair, Attendance.PRESENT),
        (principal_a, Attendance.PRESENT),
        (focal_b, Attendance.APOLOGIES),
    ):
        person = user.people.get()
        Participant.objects.create(
            meeting=meeting,
            organization=person.organization,
            person=person,
            attendance=attendance,
            response=Response.ATTENDING if attendance == Attendance.PRESENT else Response.APOLOGIES,
        )
    Participant.objects.create(
        meeting=meeting, organization=guest, is_guest=True, attendance=Attendance.ABSENT
    )
    return meeting
