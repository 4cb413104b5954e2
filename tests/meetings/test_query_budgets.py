"""The meeting list and the year view cost the same number of queries with
10 meetings or 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting, Participant
from tests import factories as f
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def _grow(network, count, agency):
    base = make_meeting(network, days=5)
    Meeting.objects.bulk_create(
        Meeting(
            network=network,
            level=base.level,
            title=f"Meeting {i}",
            time_zone=base.time_zone,
            city="Geneva",
            start=base.start + timedelta(days=i),
            end=base.end + timedelta(days=i),
        )
        for i in range(count - 1)
    )
    Participant.objects.bulk_create(
        Participant(meeting=m, organization=agency) for m in Meeting.objects.filter(network=network)
    )


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["meetings:list", "meetings:year"])
def test_the_page_keeps_its_budget(
    client, secretariat, network, agency_a, url_name, django_assert_max_num_queries
):
    """10 then 500 meetings of the network, each with a participant."""
    client.force_login(secretariat)
    _grow(network, 10, agency_a)
    url = reverse(url_name)
    year = Meeting.objects.first().local_start.year
    params = {"network": network.pk} if url_name == "meetings:list" else {}
    small = _count(
        client, url if url_name == "meetings:list" else reverse(url_name, args=[year]), **params
    )
    _grow(network, 490, f.OrganizationFactory())
    # list: session, user, grants, person records, the current network, the
    # switcher's networks, the count and the page (with their joins and
    # counts), the filter's networks; year: the meetings.
    with django_assert_max_num_queries(small):
        large = _count(
            client, url if url_name == "meetings:list" else reverse(url_name, args=[year]), **params
        )
    assert large == small
    assert small == {"meetings:list": 10, "meetings:year": 7}[url_name]


def test_the_list_shows_the_coordinator_as_chair_within_its_budget(
    client, secretariat, network, agency_a, django_assert_max_num_queries
):
    """Issue 9: in a network led by a coordinator, meetings have no chair
    term: the Chair column names the coordinator, joined with the page (the
    same queries for 10 meetings and 500)."""
    network.governance = "coordinator"
    network.coordinator = agency_a
    network.save(update_fields=["governance", "coordinator"])
    client.force_login(secretariat)
    url = reverse("meetings:list")
    _grow(network, 10, agency_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"network": network.pk}).content.decode()
    small = len(queries)
    assert page.count('AAA <span class="text-muted">(coordinator)</span>') == 10
    assert "—</td>" not in page
    _grow(network, 490, f.OrganizationFactory())
    with django_assert_max_num_queries(small):
        page = client.get(url, {"network": network.pk}).content.decode()
    assert small == 10


# --- a follow-up action's page and the owner's dashboard panel ----------------------------------


def _decided_action(network, agency, secretariat):
    """An action of an adopted decision, agreed at a meeting too."""
    from datetime import date

    from decisions.models import DecisionAction, Procedure
    from decisions.services import register
    from meetings.models import ActionPoint

    decision = register.decision_create(
        network=network,
        body="principals",
        procedure=Procedure.MEETING,
        by=secretariat,
        title="Study on recruitment costs",
        text="Commission the study.",
    )
    register.decision_record_adopted(decision=decision, on=date(2026, 5, 1), by=secretariat)
    point = ActionPoint.objects.create(
        network=network,
        meeting=make_meeting(network, days=-3),
        description="Circulate the study",
        owner=agency,
    )
    DecisionAction.objects.create(decision=decision, action=point)
    return point


def _add_notes(point, count, author):
    from meetings.models import ActionNote

    ActionNote.objects.bulk_create(
        ActionNote(action=point, body=f"Note {i}", author=author, organization=point.owner)
        for i in range(count)
    )


@pytest.mark.parametrize("persona", ["secretariat", "focal_b", "focal_a"])
def test_the_action_page_keeps_its_budget(
    client, request, network, agency_b, secretariat, focal_b, persona
):
    """The same with 10 notes or 500 (the page lists the latest 50): the
    actor; the action with its network, owner, meeting and decision; its
    notes with their authors and agencies; the switcher. A focal point's
    actor costs three more (chair terms, coordinations, memberships)."""
    point = _decided_action(network, agency_b, secretariat)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("meetings:action", args=[point.pk])
    _add_notes(point, 10, focal_b)
    small = _count(client, url)
    _add_notes(point, 490, focal_b)
    assert point.notes.count() == 500
    assert _count(client, url) == small == BUDGETS[persona]


# session, user, role grants, person records; the action with its joins;
# its notes and their count (the page of notes); the header's network switcher (two).
BUDGETS = {"secretariat": 9, "focal_b": 12, "focal_a": 12}


def test_the_dashboard_with_the_agencys_actions_keeps_its_budget(
    client, network, agency_b, secretariat, focal_b
):
    """The owner's panel shows six actions and counts the rest: the same
    with 10 actions of the agency or 500."""
    from meetings.models import ActionPoint

    point = _decided_action(network, agency_b, secretariat)

    def grow(count):
        ActionPoint.objects.bulk_create(
            ActionPoint(network=network, meeting=point.meeting, description=f"A{i}", owner=agency_b)
            for i in range(count)
        )

    client.force_login(focal_b)
    grow(9)
    small = _count(client, reverse("home"))
    assert b"panel-my-actions" in client.get(reverse("home")).content
    grow(490)
    # The whole dashboard (tests/home pins each panel's share); the panel
    # itself: its six actions with owner and network, and the count.
    # The documents' drafts panel (documents/parts.py) adds two.
    assert _count(client, reverse("home")) == small == 27
