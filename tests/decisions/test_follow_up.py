"""Carrying decisions out: follow-up actions of an adopted decision are the
meetings' action points (one list with those agreed at meetings), the
network's implementation page (overdue first, filters, CSV and XLSX, who
may open it, a fixed query count), and what a decision does to the records
it concerns (admit the applicant, approve the workplan, establish the task
team), each with the decision as its record."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from decisions.models import DecisionAction, Procedure
from decisions.services import follow_up, register
from decisions.views.follow_up import follow_up_context
from meetings.models import ActionPoint, ActionPointStatus
from members.models import ApplicationStatus, Membership
from members.roles import build_actor
from taskteams.models import TaskTeam, TaskTeamStatus
from tests import factories as f
from tests.meetings.conftest import make_meeting
from tests.workplans import make_activity, make_objective, make_workplan
from workplans.models import WorkplanStatus

from .conftest import make_decision

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def adopted(network, by, **kw):
    decision = make_decision(network, by, procedure=Procedure.MEETING, **kw)
    register.decision_record_adopted(decision=decision, on=TODAY - timedelta(days=1), by=by)
    decision.refresh_from_db()
    return decision


# --- actions of a decision ---------------------------------------------------------------


def test_an_adopted_decision_gets_actions_in_the_one_list(network, secretariat, agency_b):
    decision = adopted(network, secretariat)

    point = follow_up.decision_action_create(
        decision=decision, description="Translate the text", owner=agency_b, due=TODAY, by=None
    )

    assert (point.network, point.meeting, point.owner) == (network, None, agency_b)
    assert DecisionAction.objects.get().decision == decision
    assert list(decision.actions.all()) == [point]


def test_no_action_before_adoption_nor_for_an_agency_outside_the_network(
    network, secretariat, agency_b
):
    draft = make_decision(network, secretariat)
    with pytest.raises(DomainError, match="adopted"):
        follow_up.decision_action_create(
            decision=draft, description="x", owner=agency_b, due=None, by=None
        )
    decision = adopted(network, secretariat)
    stranger = f.OrganizationFactory(acronym="ZZZ", name="Agency Z", slug="zzz")
    with pytest.raises(DomainError) as refused:
        follow_up.decision_action_create(
            decision=decision, description="x", owner=stranger, due=None, by=None
        )
    assert refused.value.field == "owner"
    assert not ActionPoint.objects.exists()


# --- the implementation page ---------------------------------------------------------------


@pytest.fixture
def world(network, secretariat, agency_a, agency_b):
    decision = adopted(network, secretariat, title="Joint brochure")
    from_decision = follow_up.decision_action_create(
        decision=decision,
        description="Print the brochure",
        owner=agency_b,
        due=TODAY + timedelta(days=10),
        by=None,
    )
    meeting = make_meeting(network, days=-30, title="Working-level meeting of June")
    overdue = ActionPoint.objects.create(
        meeting=meeting,
        description="Circulate the survey",
        owner=agency_a,
        due=TODAY - timedelta(days=5),
    )
    done = ActionPoint.objects.create(
        meeting=meeting, description="Book the room", owner=agency_a, status=ActionPointStatus.DONE
    )
    return {"decision": decision, "from_decision": from_decision, "overdue": overdue, "done": done}


def url(network, **params):
    from urllib.parse import urlencode

    base = reverse("decisions:implementation", args=[network.slug])
    return base + ("?" + urlencode(params) if params else "")


def test_the_page_lists_pending_actions_overdue_first_from_meetings_and_decisions(
    client, network, world, secretariat
):
    client.force_login(secretariat)
    response = client.get(url(network))
    assert response.status_code == 200
    rows = [a.pk for a in response.context["rows"]]
    assert rows == [world["overdue"].pk, world["from_decision"].pk]  # done ones are not pending
    html = response.content.decode()
    assert world["decision"].reference in html
    assert "Working-level meeting of June" in html
    assert "table-danger" in html  # the overdue row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "all"}, {"overdue", "from_decision", "done"}),
        ({"status": "done"}, {"done"}),
        ({"source": "decision"}, {"from_decision"}),
        ({"source": "meeting", "status": "all"}, {"overdue", "done"}),
        ({"overdue": "on"}, {"overdue"}),
        ({"q": "brochure"}, {"from_decision"}),
    ],
)
def test_the_filters(client, network, world, secretariat, params, expected):
    client.force_login(secretariat)
    rows = {a.pk for a in client.get(url(network, **params)).context["rows"]}
    assert rows == {world[name].pk for name in expected}


def test_an_invalid_filter_value_is_said_not_a_500(client, network, world, secretariat):
    client.force_login(secretariat)
    response = client.get(url(network, status="nonsense", owner="abc"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_export_as_csv_and_xlsx_has_what_the_filters_let_through(
    client, network, world, secretariat
):
    client.force_login(secretariat)
    response = client.get(url(network, status="all", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Action", "Owner", "Due", "Status"]
    assert {r[0] for r in rows[1:]} == {
        "Circulate the survey",
        "Print the brochure",
        "Book the room",
    }
    overdue = next(r for r in rows if r[0] == "Circulate the survey")
    assert overdue[4] == "yes"

    response = client.get(url(network, source="decision", format="xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[2]][:2] == ["Print the brochure", "BBB"]
    assert sheet.max_row == 2
    assert book.worksheets[1]["B1"].value == network.name


@pytest.fixture
def focal_elsewhere(other_network):
    org = f.OrganizationFactory(acronym="OOO", name="Agency O", slug="ooo")
    f.MembershipFactory(network=other_network, organization=org)
    user = f.UserFactory(email="focal@agency-o.example.org")
    f.PersonFactory(organization=org, level="focal_point", user=user, email=user.email)
    return user


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anon", "login"),
        ("outsider", 404),
        ("focal_elsewhere", 404),
        ("focal_b", 200),
        ("principal_a", 200),
        ("chair", 200),
        ("secretariat", 200),
        ("admin_user", 200),
    ],
)
def test_who_opens_the_implementation_page(client, request, network, world, persona, expected):
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url(network))
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def test_the_page_costs_the_same_with_10_or_200_actions(
    client, network, world, secretariat, agency_b
):
    client.force_login(secretariat)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(network, status="all")).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        have = ActionPoint.objects.count()
        points = ActionPoint.objects.bulk_create(
            ActionPoint(network=network, description=f"A{i}", owner=agency_b, due=TODAY)
            for i in range(have, n)
        )
        DecisionAction.objects.bulk_create(
            DecisionAction(decision=world["decision"], action=p) for p in points[::2]
        )

    grow(10)
    few = count()
    grow(200)
    assert count() == few


# --- adding an action from the decision page ---------------------------------------------


def test_the_chair_and_the_secretariat_add_actions_others_may_not(
    client, network, world, secretariat, focal_b, agency_b
):
    decision = world["decision"]
    new = reverse("decisions:action_new", args=[decision.pk])
    data = {"description": "Send it to the printers", "owner": agency_b.pk, "due": "2027-01-15"}

    client.force_login(focal_b)
    assert client.post(new, data).status_code == 403
    assert decision.actions.count() == 1

    client.force_login(secretariat)
    response = client.post(new, data)
    assert response.status_code == 302 and response["Location"].endswith("#follow-up")
    assert decision.actions.filter(due=date(2027, 1, 15)).exists()

    refused = client.post(new, {"description": "", "owner": agency_b.pk})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert decision.actions.count() == 2


# --- what the decision does to other records ---------------------------------------------


def test_an_adopted_admission_admits_the_applicant_with_the_decision_as_its_record(
    network, secretariat
):
    application = f.ApplicationFactory(
        network=network, status=ApplicationStatus.UNDER_REVIEW, org_acronym="NEW"
    )
    decision = adopted(network, secretariat, application=application, title="Admit NEW")
    actor = build_actor(secretariat)
    assert follow_up_context(actor, decision)["carry_out"]["admit"]

    follow_up.decision_admit(decision=decision, by=secretariat)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    assert application.decision_record == decision.reference
    assert application.decision_date == decision.decided_on
    assert Membership.objects.filter(network=network, organization__acronym="NEW").exists()
    assert not follow_up.carry_out_choices(decision)["admit"]
    with pytest.raises(DomainError):
        follow_up.decision_admit(decision=decision, by=secretariat)
    results = follow_up_context(actor, decision)["results"]
    assert results and "NEW was admitted" in str(results[0][0])


def test_an_adopted_decision_approves_its_workplan(network, secretariat, agency_a):
    workplan = make_workplan(network)
    make_activity(make_objective(workplan), "1.1", leads=[agency_a])
    decision = adopted(network, secretariat, workplan=workplan, title="Approve the workplan")

    follow_up.decision_approve_workplan(decision=decision, by=secretariat)

    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.APPROVED
    assert workplan.approval_reference == decision.reference
    assert list(workplan.decisions.all()) == [decision]


def test_an_adopted_decision_establishes_its_task_team(network, secretariat):
    team = TaskTeam.objects.create(
        network=network, name="Returns", slug="returns", focus="x", status=TaskTeamStatus.PROPOSED
    )
    decision = adopted(network, secretariat, related_task_team=team, title="Establish it")

    follow_up.decision_establish_task_team(decision=decision, by=secretariat)

    team.refresh_from_db()
    assert team.status == TaskTeamStatus.ACTIVE
    assert team.established == decision.decided_on


def test_carrying_out_is_for_managers_only(client, network, secretariat, focal_b):
    team = TaskTeam.objects.create(
        network=network, name="Returns", slug="returns", focus="x", status=TaskTeamStatus.PROPOSED
    )
    decision = adopted(network, secretariat, related_task_team=team)
    go = reverse("decisions:carry_out", args=[decision.pk, "establish-task-team"])
    client.force_login(focal_b)
    assert client.post(go).status_code == 403
    team.refresh_from_db()
    assert team.status == TaskTeamStatus.PROPOSED
    client.force_login(secretariat)
    assert client.post(go).status_code == 302
    team.refresh_from_db()
    assert team.status == TaskTeamStatus.ACTIVE
    assert (
        client.post(reverse("decisions:carry_out", args=[decision.pk, "nonsense"])).status_code
        == 404
    )
