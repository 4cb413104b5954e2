"""The decisions of the demo data (decisions/demo.py), loaded by seed_demo:
the GMG's 2007 decisions, those of 9 November from the approved minutes,
and the UN Network's register today: an open silence procedure with
positions, one without consensus in escalation, adopted decisions with
their follow-up, some of it overdue; and their pages open."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from decisions.models import (
    Decision,
    DecisionStatus,
    EscalationOutcome,
    EscalationStep,
    Procedure,
    Stance,
)
from meetings.models import ACTION_POINT_PENDING, ActionPoint, ActionPointStatus, MinutesStatus

pytestmark = pytest.mark.django_db

SECRETARIAT = "secretariat@demo.example.org"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def gmg_decisions():
    return Decision.objects.filter(network__slug="gmg").select_related("application", "meeting")


def test_the_four_admissions_come_from_the_approved_minutes_with_their_applications(demo):
    """Seed 003: UNESCO, UNICEF, the Regional Commissions' Coordinator and
    UNITAR admitted on 9 November 2007, each an entry of the register with
    its reference, its place in the minutes and its application."""
    admissions = list(gmg_decisions().filter(application__isnull=False).order_by("minutes_item"))
    assert [d.application.org_acronym for d in admissions] == [
        "UNESCO",
        "UNICEF",
        "UNRC",
        "UNITAR",
    ]
    for decision in admissions:
        assert decision.status == DecisionStatus.ADOPTED
        assert decision.procedure == Procedure.MEETING
        assert decision.decided_on == date(2007, 11, 9)
        assert decision.reference.startswith("GMG/P/2007/")
        assert decision.meeting.minutes.status == MinutesStatus.APPROVED
        assert decision.application.status == "admitted"
        assert decision.application.reference in decision.text
    assert [d.minutes_item for d in admissions] == [1, 2, 3, 4]


def test_the_gmg_register_of_2007(demo):
    """The criteria and template established under IOM's chairmanship; the
    partnership endorsed, then deferred by the GFMD Steering Group (its
    follow-up says so); Migration Governance endorsed."""
    criteria = gmg_decisions().get(title__startswith="Criteria for the admission")
    assert criteria.reference == "GMG/P/2007/01"
    assert criteria.decided_on == date(2007, 2, 27)
    assert "application template" in criteria.text

    partnership = gmg_decisions().get(title__contains="International Partnership")
    assert partnership.decided_on == date(2007, 11, 9)
    action = partnership.actions.get()
    assert action.status == ActionPointStatus.DONE
    assert "deferred" in action.notes.order_by("-created_at").first().body

    governance = gmg_decisions().get(title__contains="Migration Governance")
    assert governance.status == DecisionStatus.ADOPTED
    assert len({d.reference for d in gmg_decisions()}) == 7


def test_the_un_network_has_an_open_silence_procedure_with_positions(demo):
    silence = Decision.objects.get(
        network__slug="unnm", status=DecisionStatus.OPEN, procedure=Procedure.SILENCE
    )
    assert silence.deadline > timezone.now()
    stances = set(silence.positions.values_list("stance", flat=True))
    assert {Stance.SUPPORT, Stance.RESERVATION} <= stances
    # UNICEF (the principal's agency) has still to answer.
    assert not silence.positions.filter(organization__acronym="UNICEF").exists()


def test_the_un_network_has_a_decision_without_consensus_in_escalation(demo):
    broken = Decision.objects.get(network__slug="unnm", status=DecisionStatus.NO_CONSENSUS)
    assert broken.positions.filter(stance=Stance.OBJECT).exclude(statement="").exists()
    step = EscalationStep.objects.get(decision=broken)
    assert step.outcome == EscalationOutcome.PENDING
    assert "Coordinator" in step.title


def test_the_un_networks_adopted_decisions_have_actions_done_in_progress_and_overdue(demo):
    adopted = Decision.objects.filter(network__slug="unnm", status=DecisionStatus.ADOPTED)
    assert adopted.count() == 2
    assert all(d.reference.startswith("UNNM/EC/") for d in adopted)
    points = ActionPoint.objects.filter(decision_link__decision__in=adopted)
    today = timezone.localdate()
    assert points.filter(status=ActionPointStatus.DONE).exists()
    assert points.filter(status=ActionPointStatus.IN_PROGRESS, due__gte=today).exists()
    overdue = points.filter(status__in=ACTION_POINT_PENDING, due__lt=today)
    assert overdue.exists()
    assert all(point.notes.exists() for point in overdue)
    # Owned by agencies with a demo account: UNHCR (focal), UNICEF (principal), IOM (chair).
    assert set(points.values_list("owner__acronym", flat=True)) == {"IOM", "UNHCR", "UNICEF"}


def test_the_demos_decision_pages_open_for_the_secretariat(client, demo):
    client.force_login(User.objects.get(email=SECRETARIAT))
    for decision in Decision.objects.all():
        response = client.get(decision.get_absolute_url())
        assert response.status_code == 200, decision.title
        if decision.reference:
            assert decision.reference in response.content.decode()
    for slug in ("unnm", "gmg"):
        assert client.get(reverse("decisions:network", args=[slug])).status_code == 200
        assert client.get(reverse("decisions:implementation", args=[slug])).status_code == 200


def test_the_meeting_page_shows_the_minutes_decisions_with_their_references(client, demo):
    november = gmg_decisions().filter(minutes_item__isnull=False).first().meeting
    client.force_login(User.objects.get(email=SECRETARIAT))
    page = client.get(november.get_absolute_url()).content.decode()
    for reference in gmg_decisions().filter(meeting=november).values_list("reference", flat=True):
        assert reference in page
