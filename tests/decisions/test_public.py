"""What the public sees of a network's decisions: on the network's page
(members:network_detail, the place "members.network"), its adopted decisions
marked public, with reference, title and date, nothing else (no draft, no
open one, no decision not marked public or not adopted, no position); the
page of such a decision without positions, escalation, links to members'
pages or management buttons; both in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Body, Decision, DecisionStatus, EscalationOutcome, Procedure, Stance
from decisions.parts import PUBLIC_LIMIT
from decisions.services import escalation, follow_up, positions, register
from members.roles import build_actor

from .conftest import make_decision, opened

pytestmark = pytest.mark.django_db

OBJECTION = "Our mandate does not cover this."
ACTION = "Publish the statement on the website"


def _adopted(network, by, on, **kw):
    decision = make_decision(network, by, procedure=Procedure.MEETING, **kw)
    register.decision_record_adopted(decision=decision, on=on, by=by)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def world(network, other_network, secretariat, committee, agency_b, now):
    """Public and adopted: one taken at a meeting, one adopted after an
    objection and an escalation step (with a follow-up action). Not for the
    public: a draft, an open one, one without consensus, a withdrawn one
    (all marked public), an adopted one not marked public, and another
    network's public decision."""
    at_meeting = _adopted(
        network, secretariat, date(2025, 11, 9), title="Admission criteria established", public=True
    )
    escalated = opened(network, secretariat, now, title="Joint statement on returns", public=True)
    positions.position_state(
        decision=escalated,
        actor=build_actor(secretariat),
        organization_id=agency_b.pk,
        stance=Stance.OBJECT,
        statement=OBJECTION,
        by=secretariat,
        received_by="E-mail",
        now=now,
    )
    register.decision_close(decision=escalated, now=now + timedelta(hours=81))
    step = escalation.escalation_start(decision=escalated, by=secretariat)
    escalation.escalation_record(
        step=step,
        outcome=EscalationOutcome.ADOPTED,
        result="The principals agreed in a call.",
        by=secretariat,
    )
    escalated.refresh_from_db()
    assert escalated.status == DecisionStatus.ADOPTED
    follow_up.decision_action_create(
        decision=escalated, description=ACTION, owner=agency_b, due=None, by=secretariat
    )
    hidden = {
        "draft": make_decision(network, secretariat, title="Draft marked public", public=True),
        "open": opened(network, secretariat, now, title="Open marked public", public=True),
        "private": _adopted(network, secretariat, date(2026, 1, 5), title="Adopted, not public"),
        "elsewhere": _adopted(
            other_network, secretariat, date(2026, 1, 6), title="Elsewhere, public", public=True
        ),
    }
    stuck = opened(network, secretariat, now, title="Without consensus, public", public=True)
    positions.position_state(
        decision=stuck,
        actor=build_actor(secretariat),
        organization_id=agency_b.pk,
        stance=Stance.OBJECT,
        statement="No.",
        by=secretariat,
        received_by="E-mail",
        now=now,
    )
    register.decision_close(decision=stuck, now=now + timedelta(hours=81))
    hidden["no_consensus"] = stuck
    withdrawn = opened(network, secretariat, now, title="Withdrawn, public", public=True)
    register.decision_withdraw(decision=withdrawn, reason="Overtaken.", by=secretariat)
    hidden["withdrawn"] = withdrawn
    return {"shown": [escalated, at_meeting], "hidden": hidden}


def _network_page(client, network):
    response = client.get(reverse("members:network_detail", args=[network.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "focal_a", "secretariat"])
def test_the_network_page_lists_its_public_adopted_decisions_only(
    client, request, network, world, persona
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    html = _network_page(client, network)
    assert 'id="public-decisions"' in html
    for d in world["shown"]:
        assert d.title in html and d.reference in html
        assert f'href="{d.get_absolute_url()}"' in html
    assert "9 November 2025" in html
    # Newest first.
    assert html.index(world["shown"][0].title) < html.index(world["shown"][1].title)
    for d in world["hidden"].values():
        assert d.title not in html, d.title
    assert OBJECTION not in html


def test_a_network_without_public_decisions_shows_no_section(client, network, secretariat):
    _adopted(network, secretariat, date(2026, 1, 5), title="Adopted, not public")
    html = _network_page(client, network)
    assert 'id="public-decisions"' not in html
    assert "Adopted, not public" not in html


def test_the_public_reads_a_public_decision_without_positions(client, world, agency_b):
    decision = world["shown"][0]
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert decision.title in html and decision.reference in html
    assert ACTION in html  # what follows from it, without its notes
    for secret in (
        "Positions at a glance",
        "data-positions",
        OBJECTION,
        "data-escalation",
        "The principals agreed in a call.",
        "data-manage",
        "Add a follow-up action",
        reverse("decisions:implementation", args=[decision.network.slug]),
        reverse("meetings:action", args=[decision.actions.get().pk]),
    ):
        assert secret not in html, secret
    assert reverse("decisions:pdf", args=[decision.pk]) in html


def test_a_member_sees_what_the_public_does_not(client, world, focal_a):
    decision = world["shown"][0]
    client.force_login(focal_a)
    html = client.get(decision.get_absolute_url()).content.decode()
    assert "Positions at a glance" in html and OBJECTION in html
    assert "data-escalation" in html
    assert reverse("meetings:action", args=[decision.actions.get().pk]) in html


@pytest.mark.parametrize("name", ["draft", "open", "private", "no_consensus", "withdrawn"])
def test_the_public_cannot_open_what_is_not_published(client, world, name):
    decision = world["hidden"][name]
    assert client.get(decision.get_absolute_url()).status_code == 404
    assert client.get(reverse("decisions:pdf", args=[decision.pk])).status_code == 404


# --- the budget --------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow_public(network, count):
    start = Decision.objects.count()
    Decision.objects.bulk_create(
        Decision(
            network=network,
            body=Body.PRINCIPALS,
            procedure=Procedure.MEETING,
            status=DecisionStatus.ADOPTED,
            public=True,
            title=f"Public decision {i}",
            text="Text",
            reference=f"GTN/P/2020/{i}",
            reference_year=2020,
            reference_number=i,
            decided_on=date(2020, 1, 1) + timedelta(days=i % 300),
        )
        for i in range(start, start + count)
    )


def test_the_network_page_keeps_its_budget_with_its_public_decisions(client, network, secretariat):
    url = reverse("members:network_detail", args=[network.slug])
    base = _count(client, url)
    _grow_public(network, 10)
    small = _count(client, url)
    _grow_public(network, 490)
    html = _network_page(client, network)
    assert html.count("data-public-decision=") == PUBLIC_LIMIT
    assert "Every public decision" in html
    # The section asks one query, with or without decisions to show.
    assert _count(client, url) == small == base


def test_the_public_decision_page_keeps_its_budget(client, network, secretariat, agency_b, now):
    """The public's page of a decision with 10 actions, then 500: the same
    queries (no actor, no positions)."""
    from tests.meetings.conftest import make_meeting

    from .test_query_budgets import _grow_actions

    decision = _adopted(network, secretariat, now.date(), title="Public", public=True)
    meeting = make_meeting(network, days=-10)
    _grow_actions(network, decision, meeting, [agency_b], 20, secretariat)
    small = _count(client, decision.get_absolute_url())
    _grow_actions(network, decision, meeting, [agency_b], 980, secretariat)
    assert decision.actions.count() == 500
    assert _count(client, decision.get_absolute_url()) == small
