"""The demo data holds the meetings the source documents report."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, MeetingLevel, MeetingStatus, Participant
from members.models import Network
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _gmg(level):
    return [
        (m.local_start.date(), m.city)
        for m in Meeting.objects.filter(network__slug="gmg", level=level).order_by("start")
    ]


def test_the_gmg_meetings_of_2007_are_there(demo):
    """Seed 001 (IOM) and seed 003 (UN/DESA): dates, places and levels."""
    assert _gmg(MeetingLevel.PRINCIPALS) == [
        (date(2007, 2, 27), "Geneva"),
        (date(2007, 5, 2), "New York"),
        (date(2007, 6, 8), "Geneva"),
        (date(2007, 11, 9), "New York"),
    ]
    assert [d for d, _ in _gmg(MeetingLevel.WORKING)] == [
        date(2007, 1, 22),
        date(2007, 4, 20),
        date(2007, 4, 30),
        date(2007, 10, 1),
        date(2007, 12, 4),
    ]
    iom = Meeting.objects.get(network__slug="gmg", start__date=date(2007, 2, 27))
    assert iom.chair_term.organization.acronym == "IOM"
    desa = Meeting.objects.get(network__slug="gmg", start__date=date(2007, 11, 9))
    assert desa.chair_term.organization.acronym == "UN DESA"
    # Its minutes are approved by the decisions demo, which records their decisions.
    assert desa.status == MeetingStatus.MINUTES_APPROVED


def test_four_principals_attended_on_9_november_2007(demo, client):
    meeting = Meeting.objects.get(network__slug="gmg", start__date=date(2007, 11, 9))
    present = sorted(
        Participant.objects.filter(meeting=meeting).values_list("organization__acronym", flat=True)
    )
    assert present == ["IOM", "UN DESA", "UNCTAD", "UNHCR"]
    client.force_login(f.UserFactory(is_superuser=True))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "The meeting was attended by 4 principals (IOM, UN DESA, UNCTAD, UNHCR)" in page


def test_an_upcoming_meeting_has_a_full_agenda(demo):
    meeting = Meeting.objects.get(network__slug="unnm", title="Executive Committee meeting")
    assert meeting.start > timezone.now() and meeting.accepts_proposals()
    statuses = set(AgendaItem.objects.filter(meeting=meeting).values_list("status", flat=True))
    assert {"accepted", "proposed", "deferred"} <= statuses
    assert meeting.participants.exists()
    assert meeting.mode == "Hybrid"


def test_seeding_twice_adds_no_meeting(demo):
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Participant.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Participant.objects.count(),
    ) == counts
    assert Network.objects.count() == 3
