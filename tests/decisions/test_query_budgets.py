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
