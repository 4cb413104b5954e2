"""A decision's record as a PDF (decisions:pdf): a real PDF read back as text
carries the reference, the title, the adopted text, each agency's position
with its reservation or reason, the outcome and the follow-up; who may not
open the decision gets a 404, the public gets a public adopted decision
without positions; a render that overruns its time limit answers 503; the
queries do not grow with the positions, versions and actions."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from decisions.models import DecisionStatus, Procedure, Stance
from decisions.services import follow_up, positions, register
from meetings import pdf as meetings_pdf
from members.roles import build_actor

from .conftest import make_decision, opened

pytestmark = pytest.mark.django_db

RESERVATION = "Subject to a review by the budget committee."
OBJECTION = "The text has no budget line."
ACTION = "Circulate the terms of reference to the regional networks"


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _state(decision, user, agency, stance, statement="", received_by="", now=None):
    positions.position_state(
        decision=decision,
        actor=build_actor(user),
        organization_id=agency.pk,
        stance=stance,
        statement=statement,
        by=user,
        received_by=received_by,
        now=now,
    )


@pytest.fixture
def adopted(network, secretariat, committee, principal_a, agency_a, agency_b, now):
    """A silence procedure of the executive committee (A and B): A supports,
    B's reservation is recorded by the secretariat from an e-mail; adopted at
    the deadline, with a follow-up action for B."""
    decision = opened(
        network,
        secretariat,
        now,
        text="The Executive Committee **adopts** the terms.<script>alert(1)</script>",
    )
    _state(decision, principal_a, agency_a, Stance.SUPPORT, now=now)
    _state(decision, secretariat, agency_b, Stance.RESERVATION, RESERVATION, "E-mail", now=now)
    register.decision_close(decision=decision, now=decision.deadline + timedelta(seconds=1))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    follow_up.decision_action_create(
        decision=decision, description=ACTION, owner=agency_b, due=None, by=secretariat
    )
    return decision


@pytest.fixture
def html_instead_of_pdf(monkeypatch):
    """The renderer replaced by the HTML it was given (fast, and readable)."""
    monkeypatch.setattr(meetings_pdf, "html_to_pdf", lambda html, **kw: html.encode())


def test_the_record_is_a_real_pdf_with_everything_a_secretariat_files(
    client, secretariat, adopted, agency_a, agency_b, network
):
    client.force_login(secretariat)
    response = client.get(reverse("decisions:pdf", args=[adopted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    slug = adopted.reference.replace("/", "-").lower()
    assert response["Content-Disposition"] == f'inline; filename="decision-{slug}.pdf"'
    text = _pdf_text(response.content)
    for expected in (
        network.name,
        "Executive committee",
        adopted.reference,
        adopted.title,
        "Silence procedure",
        "The Executive Committee adopts the terms.",
        agency_a.acronym,
        agency_b.acronym,
        "Support with a reservation",
        RESERVATION,
        "recorded by the secretariat",
        "received by E-mail",
        f"Adopted as {adopted.reference}",
        ACTION,
    ):
        assert expected in text, expected
    assert "alert(1)" not in text


def test_the_record_renders_the_text_cleaned_as_the_page_does(
    client, secretariat, adopted, html_instead_of_pdf
):
    client.force_login(secretariat)
    html = client.get(reverse("decisions:pdf", args=[adopted.pk])).content.decode()
    assert "<strong>adopts</strong>" in html
    assert "<script>" not in html and "alert(1)" not in html


def test_an_objection_and_no_consensus_are_on_the_record(
    client,
    network,
    secretariat,
    committee,
    principal_a,
    focal_b,
    agency_b,
    now,
    html_instead_of_pdf,
):
    decision = opened(network, secretariat, now, title="Contested")
    _state(decision, focal_b, agency_b, Stance.OBJECT, OBJECTION, now=now)
    register.decision_close(decision=decision, now=decision.deadline + timedelta(seconds=1))
    client.force_login(secretariat)
    response = client.get(reverse("decisions:pdf", args=[decision.pk]))
    html = response.content.decode()
    assert OBJECTION in html and "Object" in html
    assert "No consensus" in html
    assert "not an adopted decision" in html
    assert response["Content-Disposition"].endswith(
        f'filename="decision-{network.slug}-{decision.pk}-no_consensus-v1.pdf"'
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 404),
        ("outsider", 404),
        ("focal_a", 404),
        ("principal_a", 404),
        ("chair", 200),
        ("secretariat", 200),
        ("admin_user", 200),
    ],
)
def test_a_draft_record_is_for_the_chair_and_the_secretariat(
    client, request, network, secretariat, committee, persona, expected, html_instead_of_pdf
):
    draft = make_decision(network, secretariat, title="A draft only managers read")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("decisions:pdf", args=[draft.pk]))
    assert response.status_code == expected, persona
    assert (b"A draft only managers read" in response.content) == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "positions_shown"),
    [("anonymous", False), ("outsider", False), ("focal_a", True), ("secretariat", True)],
)
def test_the_public_reads_a_public_record_without_positions(
    client, request, adopted, persona, positions_shown, html_instead_of_pdf
):
    type(adopted).objects.filter(pk=adopted.pk).update(public=True)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("decisions:pdf", args=[adopted.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert adopted.reference in html and ACTION in html
    assert ("Positions of the member agencies" in html) == positions_shown, persona
    assert (RESERVATION in html) == positions_shown, persona


def test_a_private_adopted_record_is_not_the_publics(client, adopted, outsider):
    assert client.get(reverse("decisions:pdf", args=[adopted.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("decisions:pdf", args=[adopted.pk])).status_code == 404


def test_a_render_past_the_time_limit_says_so(client, settings, secretariat, adopted):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 1
    client.force_login(secretariat)
    with mock.patch.object(meetings_pdf, "html_to_pdf_now", lambda html: time.sleep(30)):
        response = client.get(reverse("decisions:pdf", args=[adopted.pk]))
    assert response.status_code == 503
    assert b"The PDF took too long" in response.content
    # The way back leads to the decision, and says so.
    assert f'href="{adopted.get_absolute_url()}"'.encode() in response.content
    assert b"Back to the decision" in response.content


def test_an_unknown_decision_is_a_404(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("decisions:pdf", args=[999999])).status_code == 404


def test_an_overdue_open_decision_is_closed_before_its_record_is_printed(
    client, network, secretariat, committee, now, html_instead_of_pdf
):
    decision = opened(network, secretariat, now - timedelta(hours=100))
    client.force_login(secretariat)
    html = client.get(reverse("decisions:pdf", args=[decision.pk])).content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.reference in html


# --- the budget --------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["secretariat", "focal_a", "anonymous"])
def test_the_record_keeps_its_budget(
    client, request, network, secretariat, agency_a, now, persona, html_instead_of_pdf
):
    """10 agencies with positions, versions and actions, then 200: the same
    queries."""
    from decisions.models import Decision
    from tests.meetings.conftest import make_meeting

    from .test_query_budgets import _grow_actions, _grow_decision

    decision = make_decision(
        network, secretariat, procedure=Procedure.MEETING, public=True, body="annual_meeting"
    )
    register.decision_record_adopted(decision=decision, on=now.date(), by=secretariat)
    meeting = make_meeting(network, days=-10)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse("decisions:pdf", args=[decision.pk])

    def grow(n):
        _grow_decision(decision, network, n, now)
        Decision.objects.filter(pk=decision.pk).update(status=DecisionStatus.ADOPTED)
        _grow_actions(network, decision, meeting, [agency_a], n, secretariat)

    grow(10)
    small = _count(client, url)
    grow(190)
    assert decision.positions.count() == 200 and decision.actions.count() >= 100
    assert _count(client, url) == small
    # The actor (session, user, role grants, person records; a focal point's
    # chair terms, coordinations and memberships too); the decision with its
    # related records; the versions, the steps, the topics; the body's
    # agencies (ids, then rows) and the positions; the actions. The public
    # sees no positions: no actor, no body, no positions.
    assert small == {"secretariat": 12, "focal_a": 15, "anonymous": 5}[persona], small
