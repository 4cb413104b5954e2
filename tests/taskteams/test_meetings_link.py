"""A task team meeting names its team; the team's page lists its meetings."""

import pytest
from django.urls import reverse

from meetings.models import MeetingLevel
from taskteams.models import TaskTeam
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(network):
    return TaskTeam.objects.create(
        network=network, name="Data", slug="data", focus="Data.", status="active"
    )


def test_the_team_page_lists_its_meetings_and_the_meeting_links_back(
    client, secretariat, network, team
):
    meeting = make_meeting(
        network, level=MeetingLevel.TASK_TEAM, title="Data team call", task_team=team
    )
    client.force_login(secretariat)
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Data team call" in page
    assert team.get_absolute_url() in client.get(meeting.get_absolute_url()).content.decode()


def test_a_meeting_cannot_name_a_team_of_another_network(
    client, secretariat, network, other_network
):
    foreign = TaskTeam.objects.create(network=other_network, name="Other", slug="other", focus="x")
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:create", args=[network.slug]),
        {
            "title": "Call",
            "level": "task_team",
            "start": "2030-11-09T10:00",
            "end": "2030-11-09T11:00",
            "time_zone": "Europe/Zurich",
            "online_url": "https://v.example.org",
            "task_team": foreign.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_only_a_task_team_meeting_names_a_team(client, secretariat, network, team):
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:create", args=[network.slug]),
        {
            "title": "Call",
            "level": "working",
            "start": "2030-11-09T10:00",
            "end": "2030-11-09T11:00",
            "time_zone": "Europe/Zurich",
            "city": "Geneva",
            "task_team": team.pk,
        },
    )
    assert "Only a task team meeting names a task team." in response.content.decode()


def test_the_service_refuses_another_networks_team_or_meeting(network, other_network):
    """Defence behind the form: meeting_save refuses a task team, or a meeting
    to prepare, of another network, and saves nothing."""
    from core.errors import DomainError
    from meetings.models import Meeting
    from meetings.services.schedule import meeting_save

    foreign = TaskTeam.objects.create(network=other_network, name="Other", slug="other", focus="x")
    meeting = make_meeting(network, level=MeetingLevel.TASK_TEAM, title="Call")
    meeting.task_team = foreign
    with pytest.raises(DomainError):
        meeting_save(meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).task_team_id is None

    principals = make_meeting(other_network, level=MeetingLevel.PRINCIPALS, title="Principals")
    working = make_meeting(network, title="Working", prepares=None)
    working.prepares = principals
    with pytest.raises(DomainError):
        meeting_save(meeting=working)
    assert Meeting.objects.get(pk=working.pk).prepares_id is None
