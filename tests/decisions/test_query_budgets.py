"""The register and a decision's page cost the same number of queries with
10 decisions or 500, and with 10 positions and versions or 200."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.models import (
    Body,
    Decision,
    DecisionStatus,
    DecisionVersion,
    Position,
    Procedure,
    Stance,
)
from members.models import Membership, Organization
from workplans.models import FrameworkObjective

from .conftest import opened

pytestmark = pytest.mark.django_db

STANCES = [Stance.SUPPORT, Stance.RESERVATION, Stance.ABSTAIN, Stance.OBJECT]


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _grow_register(network, agencies, count):
    """`count` more decisions: every other one open (with a position of one
    agency), the rest adopted with their reference."""
    start = Decision.objects.count()
    now = timezone.now()
    created = Decision.objects.bulk_create(
        Decision(
            network=network,
            body=Body.EXECUTIVE_COMMITTEE if i % 3 else Body.PRINCIPALS,
            procedure=Procedure.SILENCE if i % 2 else Procedure.WRITTEN,
            status=DecisionStatus.OPEN if i % 2 else DecisionStatus.ADOPTED,
            title=f"Decision {i}",
            text="Text",
            deadline=now + timedelta(days=3 + i % 20),
            proposed_by=agencies[i % len(agencies)],
            reference=None if i % 2 else f"GTN/X/2026/{i}",
            reference_year=None if i % 2 else 2026,
            reference_number=None if i % 2 else i,
            decided_on=None if i % 2 else now.date(),
        )
        for i in range(start, start + count)
    )
    topics = list(FrameworkObjective.objects.all()[:2])
    Decision.topics.through.objects.bulk_create(
        Decision.topics.through(decision=d, frameworkobjective=t) for d in created for t in topics
    )
    Position.objects.bulk_create(
        Position(
            decision=d,
            organization=agencies[0],
            stance=Stance.SUPPORT,
            version=1,
            stated_at=now,
        )
        for d in created
        if d.status == DecisionStatus.OPEN
    )


@pytest.mark.parametrize("params", [{}, {"q": "decision", "status": "open"}])
def test_the_register_keeps_its_budget(
    client, secretariat, network, committee, params, django_assert_max_num_queries
):
    client.force_login(secretariat)
    _grow_register(network, committee, 10)
    url = reverse("decisions:network", args=[network.slug])
    small = _count(client, url, params)
    _grow_register(network, committee, 490)
    assert Decision.objects.count() == 500
    # session, user, role grants, person records (the actor); the network;
    # the overdue decisions to close (none); the count and the page; the
    # memberships of the page's deciding bodies; their positions; the
    # filter's agencies, networks and topics; the switcher.
    with django_assert_max_num_queries(small):
        large = _count(client, url, params)
    assert large == small == 15


def test_the_header_register_keeps_its_budget(
    client, focal_a, network, committee, django_assert_max_num_queries
):
    client.force_login(focal_a)
    _grow_register(network, committee, 10)
    url = reverse("decisions:list")
    small = _count(client, url, {"network": network.pk})
    _grow_register(network, committee, 490)
    with django_assert_max_num_queries(small):
        large = _count(client, url, {"network": network.pk})
    assert large == small


def _grow_decision(decision, network, count, now):
    """`count` more member agencies of the network, each with a position,
    and `count` more versions of the decision."""
    start = Organization.objects.count()
    orgs = Organization.objects.bulk_create(
        Organization(acronym=f"O{i}", name=f"Organization {i}", slug=f"org-{i}")
        for i in range(start, start + count)
    )
    Membership.objects.bulk_create(
        Membership(network=network, organization=o, joined=now.date() - timedelta(days=30))
        for o in orgs
    )
    first = decision.versions.count() + 1
    DecisionVersion.objects.bulk_create(
        DecisionVersion(decision=decision, number=n, title=f"v{n}", text=f"Text {n}", note="n")
        for n in range(first, first + count)
    )
    version = first + count - 1
    Decision.objects.filter(pk=decision.pk).update(version=version)
    Position.objects.bulk_create(
        Position(
            decision=decision,
            organization=o,
            stance=STANCES[i % 4],
            statement="A statement."
            if STANCES[i % 4] in (Stance.RESERVATION, Stance.OBJECT)
            else "",
            version=version - (i % 2),
            stated_at=now,
            recorded_for_agency=bool(i % 3 == 0),
            received_by="E-mail" if i % 3 == 0 else "",
        )
        for i, o in enumerate(orgs)
    )


@pytest.mark.parametrize("persona", ["secretariat", "focal_a"])
def test_the_decision_page_keeps_its_budget(
    client, request, network, secretariat, agency_a, now, persona, django_assert_max_num_queries
):
    decision = opened(network, secretariat, now, body=Body.ANNUAL_MEETING)
    client.force_login(request.getfixturevalue(persona))
    _grow_decision(decision, network, 10, now)
    url = decision.get_absolute_url()
    small = _count(client, url)
    _grow_decision(decision, network, 190, now)
    assert decision.positions.count() == 200 and decision.versions.count() == 201
    # the actor; the decision with its related records; the versions, the
    # escalation steps, the topics; the body's agencies (ids, then rows) and
    # the positions; the switcher.
    with django_assert_max_num_queries(small):
        large = _count(client, url)
    # Three more for a focal point: its actor, and the agencies it speaks for here.
    assert large == small == (13 if persona == "secretariat" else 16)
    compare = reverse("decisions:compare", args=[decision.pk])
    small = _count(client, compare, {"old": 1, "new": 2})
    assert _count(client, compare, {"old": 1, "new": 200}) == small


# --- follow-up: the implementation page, adding an action, carrying out ------------------------


def _grow_actions(network, decision, meeting, agencies, count, author):
    """`count` more actions of the network: every other one for the
    decision, the rest agreed at the meeting; owners, due dates and statuses
    mixed (done ones with their date, dropped ones with their reason), each
    with two progress notes."""
    from decisions.models import DecisionAction
    from meetings.models import ActionNote, ActionPoint, ActionPointStatus

    start = ActionPoint.objects.count()
    statuses = list(ActionPointStatus.values)
    today = timezone.localdate()
    now = timezone.now()
    points = ActionPoint.objects.bulk_create(
        ActionPoint(
            network=network,
            meeting=None if i % 2 else meeting,
            description=f"Action {i}",
            owner=agencies[i % len(agencies)],
            due=today + timedelta(days=(i % 40) - 20) if i % 5 else None,
            status=(status := statuses[i % len(statuses)]),
            drop_reason="Overtaken." if status == ActionPointStatus.DROPPED else "",
            done_at=now if status == ActionPointStatus.DONE else None,
        )
        for i in range(start, start + count)
    )
    DecisionAction.objects.bulk_create(
        DecisionAction(decision=decision, action=p) for p in points if p.meeting_id is None
    )
    ActionNote.objects.bulk_create(
        ActionNote(action=p, body=f"Note {n}", author=author, organization=p.owner)
        for p in points
        for n in range(2)
    )


@pytest.fixture
def follow_up_world(network, secretariat, committee):
    from tests.meetings.conftest import make_meeting

    from .test_follow_up import adopted

    decision = adopted(network, secretariat, title="Adopted, with actions")
    meeting = make_meeting(network, days=-10)
    return {"decision": decision, "meeting": meeting, "agencies": committee}


def _grow_follow_up(world, network, secretariat, count):
    _grow_actions(
        network, world["decision"], world["meeting"], world["agencies"], count, secretariat
    )


# The implementation page, by persona and format: session, user, role
# grants, person records (the actor; a focal point's chair terms and
# coordinations too); the network; (a member's memberships, to read it); the
# count and the page of actions, with owner, meeting and decision joined; the
# filter's networks and agencies; the switcher. The exports: the actor, the
# network and every row in that one join. A filter on an owner costs one
# query more (the agency chosen is looked up).
IMPLEMENTATION_BUDGETS = {
    ("secretariat", ""): 10,
    ("secretariat", "csv"): 6,
    ("secretariat", "xlsx"): 6,
    ("focal_b", ""): 13,
    ("focal_b", "csv"): 9,
}


@pytest.mark.parametrize(("persona", "fmt"), list(IMPLEMENTATION_BUDGETS))
def test_the_implementation_page_keeps_its_budget(
    client, request, network, secretariat, follow_up_world, persona, fmt
):
    from meetings.models import ActionPoint

    client.force_login(request.getfixturevalue(persona))
    url = reverse("decisions:implementation", args=[network.slug])
    params = {"status": "all", **({"format": fmt} if fmt else {})}
    by_owner = {**params, "owner": follow_up_world["agencies"][1].pk}

    def costs():
        return _count(client, url, params), _count(client, url, by_owner)

    _grow_follow_up(follow_up_world, network, secretariat, 10)
    small = costs()
    _grow_follow_up(follow_up_world, network, secretariat, 490)
    assert ActionPoint.objects.count() == 500
    budget = IMPLEMENTATION_BUDGETS[(persona, fmt)]
    assert costs() == small == (budget, budget + 1)


@pytest.mark.parametrize("persona", ["secretariat", "focal_b"])
def test_the_decision_page_keeps_its_budget_with_its_actions(
    client, request, network, secretariat, follow_up_world, persona
):
    client.force_login(request.getfixturevalue(persona))
    url = follow_up_world["decision"].get_absolute_url()
    _grow_follow_up(follow_up_world, network, secretariat, 10)
    small = _count(client, url)
    _grow_follow_up(follow_up_world, network, secretariat, 490)
    # The decision page's budget (above) and its follow-up: the actions with
    # their owners in one query.
    assert _count(client, url) == small == (15 if persona == "secretariat" else 17)


def _count_post(client, url, data) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response.status_code, len(queries)


def test_adding_an_action_and_carrying_out_keep_their_budgets(
    client, network, secretariat, follow_up_world
):
    """The refused form (shown again), an added action and a carried-out
    decision cost the same with 10 actions or 500."""
    from taskteams.models import TaskTeam, TaskTeamStatus

    decision = follow_up_world["decision"]
    owner = follow_up_world["agencies"][1]
    client.force_login(secretariat)
    new = reverse("decisions:action_new", args=[decision.pk])
    carry = reverse("decisions:carry_out", args=[decision.pk, "establish-task-team"])

    def costs():
        team = TaskTeam.objects.create(
            network=network,
            name=f"Team {TaskTeam.objects.count()}",
            slug=f"team-{TaskTeam.objects.count()}",
            focus="x",
            status=TaskTeamStatus.PROPOSED,
        )
        Decision.objects.filter(pk=decision.pk).update(related_task_team=team)
        return (
            _count_post(client, new, {"description": "", "owner": owner.pk}),
            _count_post(client, new, {"description": "Print it", "owner": owner.pk}),
            _count_post(client, carry, {}),
        )

    _grow_follow_up(follow_up_world, network, secretariat, 10)
    small = costs()
    _grow_follow_up(follow_up_world, network, secretariat, 490)
    # The form shown again: the actor, the decision, may they manage it, the
    # owner's choices. Added or carried out: the same, the rows written (in
    # one transaction) and the message.
    assert costs() == small == ((200, 9), (302, 12), (302, 12))
