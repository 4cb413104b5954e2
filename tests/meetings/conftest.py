"""Meeting fixtures on top of the personas of tests/conftest.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingLevel
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
