"""Issue 9: no message is glued from a label. Each message that names a
meeting level, a deciding body, a network level or a kind of team is
rendered for every choice, and counts for one and for many: no "A e…" (an
article glued to a label), no "the Principals", no "1 items"."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from meetings.models import Meeting, MeetingLevel
from meetings.services import agenda
from members.models import ApplicationStatus, DecidingBody, NetworkLevel
from taskteams import tasks
from taskteams.models import TaskTeam, TaskTeamKind, TaskTeamStatus
from taskteams.services import review_lead
from tests import factories as f
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

# "A executive", "a annual", "An task" (but "a UN entity", "a one-day" are right).
GLUED_ARTICLE = re.compile(r"\b(?:[Aa] (?!UN\b|one\b|uni|use)[aeiouAEIOU]|[Aa]n [^aeiouAEIOU\s])")
GLUED_LABEL = re.compile(r"\b[Tt]he (?:Principals|Executive committee|Task team|Working group)\b")
ONE_AND_PLURAL = re.compile(
    r"\b1 (?:items|meetings|minutes|days|activities|criteria|members|proposals|updates)\b"
)


def assert_whole(text: str) -> None:
    for pattern in (GLUED_ARTICLE, GLUED_LABEL, ONE_AND_PLURAL):
        found = pattern.search(text)
        assert found is None, f"{found.group(0)!r} in {text!r}"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_checker_catches_what_it_must():
    for bad in (
        "A executive committee meeting invites",
        "An task team",
        "decided by the Principals",
        "1 items",
        "in 1 days",
    ):
        with pytest.raises(AssertionError):
            assert_whole(bad)
    assert_whole("A working-level meeting invites; a UN entity; 1 item; 2 items")


@pytest.mark.parametrize("level", MeetingLevel.values)
def test_the_invitation_page_says_a_whole_sentence_for_every_level(
    client, secretariat, network, level
):
    meeting = make_meeting(network, level=level)
    client.force_login(secretariat)
    page = client.get(reverse("meetings:invite", args=[meeting.pk])).content.decode()
    assert escape(meeting.invitation_lead) in page
    assert_whole(_text(page))


@pytest.mark.parametrize("level", NetworkLevel.values)
@pytest.mark.parametrize("body", DecidingBody.values)
def test_network_pages_say_whole_sentences_for_every_level_and_body(
    client, secretariat, level, body
):
    parent = f.NetworkFactory()
    network = f.NetworkFactory(
        level=level, admission_body=body, parent=parent, accepts_applications=True
    )
    f.CriterionFactory(network=network)
    client.force_login(secretariat)
    for url in (
        network.get_absolute_url(),
        reverse("members:apply_start"),
        reverse("members:apply_form", args=[network.slug]),
    ):
        page = client.get(url).content.decode()
        assert_whole(_text(page))
    assert network.admissions_sentence in page or network.review_sentence in page
    home = client.get(reverse("home"), {"network": network.pk}).content.decode()
    assert_whole(_text(home))


@pytest.mark.parametrize("body", [*DecidingBody.values, ""])
@pytest.mark.parametrize("status", [ApplicationStatus.ADMITTED, ApplicationStatus.DECLINED])
def test_the_decision_is_said_whole_for_every_body(client, admin_user, network, body, status):
    """On the applicant's page, in the e-mail and on the review page."""
    application = f.ApplicationFactory(
        network=network,
        status=status,
        decided_by=body,
        decision_date=date(2007, 11, 9),
        outcome_reason="Reason.",
    )
    status_page = client.get(application.get_status_url()).content.decode()
    email = render_to_string(
        "members/email/application_body.txt",
        {"application": application, "occasion": status, "status_url": "https://x.example.org/"},
    )
    client.force_login(admin_user)
    review = client.get(application.get_absolute_url()).content.decode()

    for text in (_text(status_page), email, _text(review)):
        assert_whole(text)
    assert "9 November 2007" in status_page and "9 November 2007" in email


@pytest.mark.parametrize("kind", TaskTeamKind.values)
@pytest.mark.parametrize("days", [-3, 0, 1, 10])
def test_the_review_reminder_is_said_whole_for_every_kind_and_count(network, kind, days):
    today = timezone.localdate()
    team = TaskTeam(
        network=network,
        kind=kind,
        name="Data",
        slug="data",
        status=TaskTeamStatus.ACTIVE,
        next_review=today + timedelta(days=days),
    )
    lead = review_lead(team, days)
    assert_whole(lead)
    assert lead.startswith(
        "The task team" if kind == TaskTeamKind.TASK_TEAM else "The working group"
    )
    if days == 1:
        assert lead.endswith("in 1 day.")
    body = render_to_string(
        "taskteams/email/review_reminder.txt",
        {
            "team": team,
            "lead": lead,
            "recipient": None,
            "co_chairs": "",
            "team_url": "",
            "edit_url": "",
        },
    )
    assert lead in body


def test_the_review_reminder_sent_for_a_working_group(
    network, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.TASKTEAM_REVIEW_REMINDER_DAYS = 30
    today = timezone.localdate()
    TaskTeam.objects.create(
        network=network,
        kind=TaskTeamKind.WORKING_GROUP,
        name="Returns",
        slug="returns",
        focus="x",
        status=TaskTeamStatus.ACTIVE,
        established=date(2021, 1, 1),
        next_review=today + timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_review_reminders.apply(args=[today.isoformat()]).get()
    assert any(
        "The working group “Returns” of Global Test Network is due for review on" in m.body
        and "in 1 day." in m.body
        for m in mail.outbox
    )


@pytest.mark.parametrize(("length", "said"), [(1, "1 minute."), (90, "90 minutes.")])
def test_a_too_long_item_says_the_meeting_length_in_the_plural_it_needs(length, said):
    text = agenda.meeting_too_short(length)
    assert text.endswith(said)
    assert_whole(text)


def test_planning_one_meeting_says_one_meeting(client, secretariat, network):
    """The year planner's message counts in the plural it needs."""
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:plan_year", args=[network.slug]),
        {
            "year": timezone.localdate().year + 1,
            "level": "working",
            "title": "Working meeting",
            "month_in_quarter": "1",
            "week": "1",
            "weekday": "0",
            "start_time": "10:00",
            "hours": "2",
            "time_zone": "Europe/Zurich",
            "city": "Geneva",
        },
        follow=True,
    )
    page = _text(response.content.decode())
    count = Meeting.objects.filter(network=network).count()
    assert count == 4 and "Planned 4 meetings:" in page
    assert_whole(page)
