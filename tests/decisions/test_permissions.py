"""The permission matrix of the decisions pages: every URL of the app, read
(GET) and each move (POST), for every persona, on a decision in each state
(draft, open, no consensus, adopted public and not public) and on another
network's decision; the record's PDF, the register's CSV and XLSX, and the
network page's public decisions among them.

A decision the persona may not see answers 404, one they may see but not act
on 403, and a refused POST changes nothing (the rows are compared before and
after). An allowed POST is run inside a transaction rolled back, so that every
URL meets the decision in the same state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from decisions.models import (
    Decision,
    DecisionVersion,
    EscalationStep,
    Position,
    Stance,
)
from decisions.services import positions, register
from members.roles import build_actor
from tests import factories as f

from .conftest import make_decision, opened

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "secretariat",
    "other_secretariat",
    "admin_user",
    "chair",
    "focal_a",
    "focal_b",
    "principal_a",
    "focal_c",
]
STATES = ["draft", "open", "no_consensus", "adopted_public", "adopted_private", "other_network"]
MEMBERS = {"chair", "focal_a", "focal_b", "principal_a", "focal_c"}
# Who speaks for an agency of the executive committee (A and B; C is not on it).
COMMITTEE_VOICES = {"chair", "focal_a", "focal_b", "principal_a"}
FUTURE = "2031-01-10T10:00"

# name, the moves' form data (None: the URL takes no POST).
MANAGE_URLS = [
    ("edit", {"title": "Changed", "text": "Changed text", "expected_version": 1}),
    ("open", {"deadline": FUTURE}),
    (
        "revise",
        {
            "title": "Changed",
            "text": "Changed text",
            "note": "Changed.",
            "deadline": FUTURE,
            "expected_version": 1,
        },
    ),
    ("close", {"reason": "Everyone answered."}),
    ("withdraw", {"reason": "Overtaken."}),
    ("adopted", {"on": "2026-11-09"}),
    ("escalate", {}),
    ("escalation_result", {"outcome": "adopted", "result": "Agreed."}),
]
POST_ONLY = {"escalate"}


@pytest.fixture
def other_secretariat(other_network):
    user = f.UserFactory(email="secretariat@other.example.org")
    f.grant(user, Role.SECRETARIAT, other_network)
    return user


@pytest.fixture
def world(network, other_network, secretariat, committee, agency_c, now, other_secretariat):
    """One decision in each state, the deciding body the executive committee."""
    decisions = {"draft": make_decision(network, secretariat, title="A draft")}
    decisions["open"] = opened(network, secretariat, now, title="An open one")
    no_consensus = opened(network, secretariat, now, title="Without consensus")
    positions.position_state(
        decision=no_consensus,
        actor=build_actor(secretariat),
        organization_id=committee[1].pk,
        stance=Stance.OBJECT,
        statement="Not our mandate.",
        by=secretariat,
        received_by="E-mail",
        now=now,
    )
    register.decision_close(decision=no_consensus, now=now + timedelta(hours=81))
    decisions["no_consensus"] = no_consensus
    # Adopted by silence: the positions it gathered stay on its page.
    for name, public in (("adopted_public", True), ("adopted_private", False)):
        d = opened(network, secretariat, now, public=public, title=name)
        register.decision_close(decision=d, now=now + timedelta(hours=81))
        d.refresh_from_db()
        assert d.status == "adopted"
        decisions[name] = d
    decisions["other_network"] = opened(
        other_network, other_secretariat, now, title="Another network's"
    )
    return decisions


def _user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def _manages(persona, state):
    if state == "other_network":
        return persona in ("admin_user", "other_secretariat")
    return persona in ("secretariat", "admin_user", "chair")


def _reads(persona, state):
    if _manages(persona, state) or state == "adopted_public":
        return True
    if state in ("draft", "other_network"):
        return False
    return persona in MEMBERS


def _sees_positions(persona, state):
    return _manages(persona, state) or (persona in MEMBERS and state != "other_network")


def _snapshot():
    return (
        list(
            Decision.objects.order_by("pk").values_list(
                "pk", "status", "version", "title", "text", "deadline", "closing_note", "reference"
            )
        ),
        list(Position.objects.order_by("pk").values_list("pk", "stance", "version")),
        DecisionVersion.objects.count(),
        list(EscalationStep.objects.order_by("pk").values_list("pk", "outcome")),
    )


def _post_and_undo(client, url, data):
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response


def _check(client, method, url, data, expected, persona):
    """expected: "ok", 403 or 404. Anonymous users are sent to sign in first
    (every move needs a signed-in user, whatever the decision)."""
    before = _snapshot()
    if method == "get":
        response = client.get(url)
    elif expected == "ok" and persona != "anonymous":
        response = _post_and_undo(client, url, data)
    else:
        response = client.post(url, data)
    where = f"{persona} {method.upper()} {url}"
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
    elif expected == "ok":
        assert response.status_code in (200, 302), where
    else:
        assert response.status_code == expected, where
    if method == "post" and (expected != "ok" or persona == "anonymous"):
        assert _snapshot() == before, f"{where} changed something"
    return response


@pytest.fixture
def html_instead_of_pdf(monkeypatch):
    """The record's renderer replaced by the HTML it was given: the matrix
    checks who gets what, tests/decisions/test_record_pdf.py the real PDF."""
    from meetings import pdf

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: html.encode())


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_of_a_decision(
    client, request, world, agency_a, agency_b, persona, state, html_instead_of_pdf
):
    user = _user(request, persona)
    if user is not None:
        client.force_login(user)
    decision = world[state]
    reads, manages = _reads(persona, state), _manages(persona, state)
    is_open = state in ("open", "other_network")

    # The page and the comparison: read rights only (no sign-in needed).
    page = client.get(decision.get_absolute_url())
    assert page.status_code == (200 if reads else 404), persona
    if reads:
        shown = b"Positions at a glance" in page.content
        assert shown == _sees_positions(persona, state), persona
    compare = client.get(reverse("decisions:compare", args=[decision.pk]), {"old": 1, "new": 1})
    assert compare.status_code == (200 if reads else 404), persona
    # The record's PDF: whoever reads the page, positions where it shows them.
    record = client.get(reverse("decisions:pdf", args=[decision.pk]))
    assert record.status_code == (200 if reads else 404), persona
    if reads:
        assert record["Content-Type"] == "application/pdf"
        shown = b"Positions of the member agencies" in record.content
        assert shown == _sees_positions(persona, state), persona

    def expected(allowed: bool):
        return 404 if not reads else ("ok" if allowed else 403)

    for name, data in MANAGE_URLS:
        url = reverse(f"decisions:{name}", args=[decision.pk])
        if name not in POST_ONLY:
            _check(client, "get", url, None, expected(manages), persona)
        _check(client, "post", url, data, expected(manages), persona)

    states_it = is_open and persona in COMMITTEE_VOICES and state != "other_network"
    url = reverse("decisions:position", args=[decision.pk])
    agency = agency_b if persona == "focal_b" else agency_a
    data = {"organization": agency.pk, "stance": Stance.SUPPORT}
    _check(client, "get", url, None, expected(states_it), persona)
    _check(client, "post", url, data, expected(states_it), persona)

    url = reverse("decisions:record_position", args=[decision.pk])
    data = {"organization": agency_a.pk, "stance": Stance.SUPPORT, "received_by": "E-mail"}
    _check(client, "get", url, None, expected(is_open and manages), persona)
    _check(client, "post", url, data, expected(is_open and manages), persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_register_and_a_new_decision(client, request, world, network, persona):
    user = _user(request, persona)
    if user is not None:
        client.force_login(user)
    for url in (reverse("decisions:list"), reverse("decisions:network", args=[network.slug])):
        response = client.get(url, {"network": network.pk})
        assert response.status_code == 200, persona
        listed = {d.pk for d, _answered in response.context["rows"]}
        expected = {
            d.pk
            for state, d in world.items()
            if state != "other_network" and _reads(persona, state)
        }
        assert listed == expected, f"{persona} {url}"
        assert (b"New decision" in response.content) == _manages(persona, "draft"), persona

    # The register's exports: the network's readers, with what they read.
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("decisions:network", args=[network.slug]), {"format": fmt})
        where = f"{persona} export {fmt}"
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif persona in ("outsider", "other_secretariat"):
            assert response.status_code == 404, where
        else:
            assert response.status_code == 200, where
            if fmt == "csv":
                text = response.content.decode("utf-8-sig")
                titles = {d.title for d in world.values() if d.title in text}
                assert titles == {
                    d.title
                    for state, d in world.items()
                    if state != "other_network" and _reads(persona, state)
                }, where

    # The network's page: its public adopted decisions, for everyone alike.
    page = client.get(reverse("members:network_detail", args=[network.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert {d.title for d in world.values() if f">{d.title}</a>" in html} == {"adopted_public"}

    url = reverse("decisions:create", args=[network.slug])
    data = {"body": "executive_committee", "procedure": "silence", "title": "T", "text": "X"}
    allowed = "ok" if _manages(persona, "draft") else 403
    _check(client, "get", url, None, allowed, persona)
    _check(client, "post", url, data, allowed, persona)
    assert client.get(reverse("decisions:create", args=["nowhere"])).status_code in (302, 404)


def test_an_agency_outside_the_deciding_body_cannot_state_a_position(
    client, world, focal_c, agency_c
):
    """Agency C is a member of the network, not of its executive committee."""
    client.force_login(focal_c)
    decision = world["open"]
    before = _snapshot()
    response = client.post(
        reverse("decisions:position", args=[decision.pk]),
        {"organization": agency_c.pk, "stance": Stance.OBJECT, "statement": "No."},
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_a_focal_point_cannot_state_for_another_agency(client, world, focal_b, agency_a):
    client.force_login(focal_b)
    decision = world["open"]
    before = _snapshot()
    response = client.post(
        reverse("decisions:position", args=[decision.pk]),
        {"organization": agency_a.pk, "stance": Stance.OBJECT, "statement": "No."},
    )
    assert response.status_code == 200  # the choice is not theirs: the form says so
    assert _snapshot() == before
