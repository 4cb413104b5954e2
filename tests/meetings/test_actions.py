"""Follow-up actions (action points) as one kind of record: agreed at a
meeting or set for a decision, each with an owner agency, a due date, a
status (open, in progress, done, dropped with a reason) and progress notes;
its page and who may update it (a matrix), the reminders of overdue ones
once per due date, the owner's dashboard panel, and the agenda's standing
item that lists them all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from meetings.models import ActionNote, ActionPoint, ActionPointStatus
from meetings.services import actions
from meetings.services.agenda import open_action_points
from notifications.models import OutboundEmail
from tests import factories as f

from .conftest import make_meeting

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)


@pytest.fixture
def point(network, agency_b, secretariat):
    return actions.action_create(
        network=network,
        description="Circulate the study on recruitment costs",
        owner=agency_b,
        due=TODAY - timedelta(days=3),
        by=secretariat,
    )


# --- the service -----------------------------------------------------------------------------


def test_an_action_needs_a_description_and_an_owner(network, agency_b, secretariat):
    with pytest.raises(DomainError) as refused:
        actions.action_create(network=network, description="  ", owner=agency_b, due=None, by=None)
    assert refused.value.field == "description"
    with pytest.raises(DomainError) as refused:
        actions.action_create(network=network, description="Do it", owner=None, due=None, by=None)
    assert refused.value.field == "owner"
    assert not ActionPoint.objects.exists()


def test_an_action_agreed_at_a_meeting_takes_the_meetings_network(network, agency_b):
    meeting = make_meeting(network, days=-2)
    point = ActionPoint.objects.create(meeting=meeting, description="x", owner=agency_b)
    assert point.network == network


def test_status_moves_with_notes_and_dropping_needs_a_reason(point, focal_b, agency_b):
    actions.action_update(
        action=point,
        status=ActionPointStatus.IN_PROGRESS,
        note="Draft with the printer.",
        by=focal_b,
        organization_id=agency_b.pk,
    )
    with pytest.raises(DomainError) as refused:
        actions.action_update(action=point, status=ActionPointStatus.DROPPED, by=focal_b)
    assert refused.value.field == "drop_reason"
    with pytest.raises(DomainError, match="Nothing changed"):
        actions.action_update(action=point, status=ActionPointStatus.IN_PROGRESS, by=focal_b)
    actions.action_update(action=point, status=ActionPointStatus.DONE, by=focal_b)

    point.refresh_from_db()
    assert point.status == ActionPointStatus.DONE and point.done_at is not None
    notes = list(point.notes.order_by("pk").values_list("status", "body", "organization_id"))
    assert notes == [
        (ActionPointStatus.IN_PROGRESS, "Draft with the printer.", agency_b.pk),
        (ActionPointStatus.DONE, "", None),
    ]
    assert point.history.count() == 3  # created, in progress, done


def test_the_database_refuses_a_dropped_action_without_its_reason(point):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPoint.objects.filter(pk=point.pk).update(status=ActionPointStatus.DROPPED)


def test_overdue_actions_are_reminded_once_per_due_date(point, focal_b):
    assert actions.overdue_reminders_send(today=TODAY) == 1
    assert actions.overdue_reminders_send(today=TODAY + timedelta(days=1)) == 0
    mail = OutboundEmail.objects.get()
    assert mail.to == focal_b.email
    assert "was due on" in mail.subject and point.description in mail.body

    # A new due date that passes is a new occasion.
    ActionPoint.objects.filter(pk=point.pk).update(due=TODAY + timedelta(days=5))
    assert actions.overdue_reminders_send(today=TODAY + timedelta(days=3)) == 0
    assert actions.overdue_reminders_send(today=TODAY + timedelta(days=6)) == 1
    # Done: no more reminders.
    ActionPoint.objects.filter(pk=point.pk).update(
        status=ActionPointStatus.DONE, due=TODAY - timedelta(days=30)
    )
    assert actions.overdue_reminders_send(today=TODAY + timedelta(days=7)) == 0


def test_the_agenda_lists_the_networks_actions_decided_outside_meetings_too(
    network, agency_b, secretariat
):
    earlier = make_meeting(network, days=-20, title="Earlier")
    at_meeting = ActionPoint.objects.create(meeting=earlier, description="From it", owner=agency_b)
    for_decision = actions.action_create(
        network=network, description="For a decision", owner=agency_b, due=None, by=secretariat
    )
    in_progress = actions.action_create(
        network=network, description="Under way", owner=agency_b, due=None, by=secretariat
    )
    actions.action_update(action=in_progress, status=ActionPointStatus.IN_PROGRESS, by=None)
    dropped = actions.action_create(
        network=network, description="Dropped", owner=agency_b, due=None, by=secretariat
    )
    actions.action_update(
        action=dropped, status=ActionPointStatus.DROPPED, drop_reason="Overtaken.", by=None
    )
    upcoming = make_meeting(network, days=10)

    listed = set(open_action_points(upcoming))

    assert listed == {at_meeting, for_decision, in_progress}


# --- the page and who may update it ---------------------------------------------------------

L = "login"


@pytest.fixture
def focal_c(network):
    org = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    f.MembershipFactory(network=network, organization=org)
    user = f.UserFactory(email="focal@agency-c.example.org")
    f.PersonFactory(organization=org, level="focal_point", user=user, email=user.email)
    return user


@pytest.fixture
def other_secretariat(other_network):
    from accounts.models import Role

    user = f.UserFactory(email="sec@other.example.org")
    f.grant(user, Role.SECRETARIAT, other_network)
    return user


MATRIX = [
    # persona, GET, POST
    ("anon", L, L),
    ("outsider", 404, 404),
    ("other_secretariat", 404, 404),
    ("focal_c", 200, 403),  # a member who does not own it reads it
    ("focal_b", 200, 302),  # the owner's focal point
    ("chair", 200, 302),
    ("secretariat", 200, 302),
    ("admin_user", 200, 302),
]


@pytest.mark.parametrize(("persona", "get", "post"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_action_page_answers_each_persona(client, request, point, persona, get, post):
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    url = reverse("meetings:action", args=[point.pk])

    for response, expected in (
        (client.get(url), get),
        (client.post(url, {"status": "done", "note": "Sent."}), post),
    ):
        if expected == L:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected
    point.refresh_from_db()
    assert point.status == (ActionPointStatus.DONE if post == 302 else ActionPointStatus.OPEN)


def test_the_page_shows_the_form_errors_and_keeps_the_note(client, point, focal_b):
    client.force_login(focal_b)
    url = reverse("meetings:action", args=[point.pk])
    response = client.post(url, {"status": "dropped", "note": "We cannot print it."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say why the action is dropped." in html
    assert "We cannot print it." in html
    point.refresh_from_db()
    assert point.status == ActionPointStatus.OPEN and not ActionNote.objects.exists()


def test_the_page_says_it_is_overdue_and_lists_the_notes(client, point, focal_b, agency_b):
    actions.action_update(
        action=point,
        status=ActionPointStatus.IN_PROGRESS,
        note="With the printer.",
        by=focal_b,
        organization_id=agency_b.pk,
    )
    client.force_login(focal_b)
    html = client.get(reverse("meetings:action", args=[point.pk])).content.decode()
    assert "overdue since" in html
    assert "With the printer." in html
    assert "(BBB)" in html


def test_the_action_page_costs_the_same_with_few_or_many_notes(
    client, point, focal_b, django_assert_num_queries
):
    client.force_login(focal_b)
    url = reverse("meetings:action", args=[point.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ActionNote.objects.create(action=point, body="The first note", author=focal_b)
    few = count()
    ActionNote.objects.bulk_create(
        ActionNote(action=point, body=f"Note {i}", author=focal_b) for i in range(80)
    )
    assert count() == few
    # Fifty a page, the newest first, and the page says so.
    html = client.get(url).content.decode()
    assert html.count('<li class="list-group-item">') == 50
    assert "Notes 1 to 50 of 81, the newest first." in html
    older = client.get(url + "?page=2").content.decode()
    assert "The first note" in older and "Notes 51 to 81 of 81" in older


# --- the owner's dashboard ----------------------------------------------------------------


def test_the_owner_agency_sees_its_actions_on_the_dashboard_overdue_first(
    client, network, point, focal_b, focal_a, agency_b, secretariat
):
    later = actions.action_create(
        network=network,
        description="Write the brief",
        owner=agency_b,
        due=timezone.localdate() + timedelta(days=20),
        by=secretariat,
    )
    client.force_login(focal_b)
    html = client.get(reverse("home")).content.decode()
    assert "Your agency's actions" in html
    assert html.index(point.description) < html.index(later.description)
    assert "overdue since" in html

    client.force_login(focal_a)
    assert point.description not in client.get(reverse("home")).content.decode()
