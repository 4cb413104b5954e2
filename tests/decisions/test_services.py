"""The decision's life in the services: every allowed and refused move,
consensus and silence arithmetic (to the second at the deadline), closing
twice, revisions and their versions, positions (one per agency, who may
state them), reference numbers, escalation, and the e-mails each sent once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.errors import DomainError
from decisions.models import (
    Body,
    Decision,
    DecisionSettings,
    DecisionStatus,
    EscalationOutcome,
    Position,
    Procedure,
    Stance,
)
from decisions.services import escalation, notices, positions, register
from members.models import Governance
from members.roles import build_actor
from notifications.models import OutboundEmail
from tests import factories as f

from .conftest import make_decision, opened

pytestmark = pytest.mark.django_db


def state(decision, user, org, stance=Stance.SUPPORT, statement="", now=None, **kw):
    return positions.position_state(
        decision=decision,
        actor=build_actor(user),
        organization_id=org.pk,
        stance=stance,
        statement=statement,
        by=user,
        now=now,
        **kw,
    )


# --- moves ---------------------------------------------------------------------------------


def test_a_draft_opens_with_a_deadline_and_keeps_version_1(network, secretariat, committee, now):
    decision = make_decision(network, secretariat)
    assert decision.status == DecisionStatus.DRAFT
    assert list(decision.versions.values_list("number", flat=True)) == [1]

    register.decision_open(
        decision=decision, deadline=now + timedelta(hours=73), by=secretariat, now=now
    )

    decision.refresh_from_db()
    assert (decision.status, decision.version, decision.opened_at) == (
        DecisionStatus.OPEN,
        1,
        now,
    )


@pytest.mark.parametrize(
    ("hours", "ok"), [(71, False), (72, True), (-1, False)], ids=["71h", "72h", "past"]
)
def test_a_silence_procedure_lasts_at_least_72_hours(network, secretariat, now, hours, ok):
    decision = make_decision(network, secretariat)
    deadline = now + timedelta(hours=hours)
    if ok:
        register.decision_open(decision=decision, deadline=deadline, by=secretariat, now=now)
        return
    with pytest.raises(DomainError) as refused:
        register.decision_open(decision=decision, deadline=deadline, by=secretariat, now=now)
    assert refused.value.field == "deadline"
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_the_shortest_silence_is_a_network_setting(network, secretariat, now):
    DecisionSettings.objects.create(network=network, silence_hours=96)
    decision = make_decision(network, secretariat)
    with pytest.raises(DomainError, match="at least 96 hours"):
        register.decision_open(
            decision=decision, deadline=now + timedelta(hours=80), by=secretariat, now=now
        )


def test_a_written_consultation_may_be_short(network, secretariat, now):
    decision = make_decision(network, secretariat, procedure=Procedure.WRITTEN)
    register.decision_open(
        decision=decision, deadline=now + timedelta(hours=2), by=secretariat, now=now
    )
    assert decision.status == DecisionStatus.OPEN


def test_a_meeting_decision_is_recorded_adopted_not_opened(network, secretariat, now):
    decision = make_decision(network, secretariat, procedure=Procedure.MEETING)
    with pytest.raises(DomainError):
        register.decision_open(
            decision=decision, deadline=now + timedelta(days=5), by=secretariat, now=now
        )
    register.decision_record_adopted(decision=decision, on=date(2026, 11, 9), by=secretariat)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.reference == "GTN/EC/2026/01"


def test_closed_decisions_move_no_more(network, secretariat, now):
    decision = make_decision(network, secretariat, procedure=Procedure.MEETING)
    register.decision_record_adopted(decision=decision, on=date(2026, 11, 9), by=secretariat)
    for move in (
        lambda: register.decision_withdraw(decision=decision, reason="x", by=secretariat),
        lambda: register.decision_revise(
            decision=decision,
            title="t",
            text="x",
            note="n",
            deadline=now + timedelta(days=5),
            by=secretariat,
        ),
        lambda: register.decision_record_adopted(decision=decision, on=date.today(), by=None),
    ):
        with pytest.raises(DomainError):
            move()
    decision.refresh_from_db()
    assert (decision.status, decision.reference) == (DecisionStatus.ADOPTED, "GTN/EC/2026/01")


def test_only_a_draft_is_edited_in_place_and_a_stale_edit_is_refused(network, secretariat, now):
    decision = make_decision(network, secretariat)
    register.decision_edit_draft(
        decision=decision, title="New title", text="New text", by=secretariat, expected_version=1
    )
    assert decision.versions.get().title == "New title"
    with pytest.raises(DomainError, match="version"):
        register.decision_edit_draft(
            decision=decision, title="x", text="y", by=secretariat, expected_version=0
        )
    register.decision_open(
        decision=decision, deadline=now + timedelta(hours=80), by=secretariat, now=now
    )
    with pytest.raises(DomainError):
        register.decision_edit_draft(decision=decision, title="x", text="y", by=secretariat)


def test_withdrawing_needs_a_reason(network, secretariat, now):
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError):
        register.decision_withdraw(decision=decision, reason=" ", by=secretariat)
    register.decision_withdraw(decision=decision, reason="Overtaken by events.", by=secretariat)
    decision.refresh_from_db()
    assert (decision.status, decision.closing_note) == (
        DecisionStatus.WITHDRAWN,
        "Overtaken by events.",
    )


# --- positions -----------------------------------------------------------------------------


def test_one_position_per_agency_changes_until_the_deadline_with_its_history(
    network, secretariat, committee, focal_a, now
):
    decision = opened(network, secretariat, now)
    state(decision, focal_a, committee[0], now=now)
    state(
        decision,
        focal_a,
        committee[0],
        Stance.RESERVATION,
        "On the budget line.",
        now=now + timedelta(hours=1),
    )
    position = Position.objects.get()
    assert (position.stance, position.statement, position.version) == (
        Stance.RESERVATION,
        "On the budget line.",
        1,
    )
    assert position.history.count() == 2


@pytest.mark.parametrize("stance", [Stance.RESERVATION, Stance.OBJECT])
def test_a_reservation_or_an_objection_needs_its_statement(
    network, secretariat, committee, focal_a, now, stance
):
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError) as refused:
        state(decision, focal_a, committee[0], stance, "  ", now=now)
    assert refused.value.field == "statement"
    assert not Position.objects.exists()


def test_an_agency_outside_the_deciding_body_cannot_state_a_position(
    network, secretariat, committee, agency_c, focal_c, now
):
    """C is a member of the network, not of its executive committee."""
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError):
        state(decision, focal_c, agency_c, now=now)
    assert not Position.objects.exists()


def test_a_focal_point_states_only_for_its_own_agency(
    network, secretariat, committee, focal_a, now
):
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError):
        state(decision, focal_a, committee[1], now=now)
    assert not Position.objects.exists()


def test_a_contact_for_another_network_does_not_speak_here(
    network, other_network, secretariat, committee, now
):
    user = f.UserFactory(email="elsewhere@agency-a.example.org")
    f.PersonFactory(
        organization=committee[0],
        level="focal_point",
        user=user,
        email=user.email,
        network=other_network,
    )
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError):
        state(decision, user, committee[0], now=now)


def test_the_secretariat_records_a_position_received_for_an_agency(
    network, secretariat, committee, focal_a, now
):
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError):  # not without saying how it was received
        state(decision, secretariat, committee[1], now=now)
    state(decision, secretariat, committee[1], now=now, received_by="E-mail of 3 December")
    position = Position.objects.get()
    assert position.recorded_for_agency
    assert position.received_by == "E-mail of 3 December"
    assert position.stated_by == secretariat
    # A focal point may not record for another agency this way.
    with pytest.raises(DomainError):
        state(decision, focal_a, committee[1], now=now, received_by="phone")


def test_a_task_team_decides_by_its_co_chairs_and_member_agencies(
    network, secretariat, agency_a, agency_b, agency_c, focal_a, focal_c, now
):
    from taskteams.models import TaskTeam

    team = TaskTeam.objects.create(network=network, name="Returns", slug="returns", focus="x")
    team.co_chairs.add(agency_a)
    team.member_organizations.add(agency_c)
    decision = opened(network, secretariat, now, body=Body.TASK_TEAM, task_team=team)
    state(decision, focal_a, agency_a, now=now)
    state(decision, focal_c, agency_c, now=now)
    with pytest.raises(DomainError):
        state(decision, build_focal(agency_b), agency_b, now=now)


def build_focal(org):
    user = f.UserFactory(email=f"focal2@{org.slug}.example.org")
    f.PersonFactory(organization=org, level="focal_point", user=user, email=user.email)
    return user


# --- the deadline: consensus and silence arithmetic ---------------------------------------


def test_no_objection_at_the_deadline_adopts_with_a_reference(
    network, secretariat, committee, focal_a, now
):
    decision = opened(network, secretariat, now)
    state(decision, focal_a, committee[0], now=now)  # B says nothing: silence

    assert register.decision_close(decision=decision, now=decision.deadline)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.reference == f"GTN/EC/{decision.deadline.year}/01"
    assert decision.decided_on == register.local_day(network, decision.deadline)


def test_an_objection_one_second_before_the_deadline_blocks(
    network, secretariat, committee, focal_b, now
):
    decision = opened(network, secretariat, now)
    state(
        decision,
        focal_b,
        committee[1],
        Stance.OBJECT,
        "Not without the budget.",
        now=decision.deadline - timedelta(seconds=1),
    )
    register.decision_close(decision=decision, now=decision.deadline)
    decision.refresh_from_db()
    assert (decision.status, decision.reference) == (DecisionStatus.NO_CONSENSUS, None)


@pytest.mark.parametrize("after", [0, 1], ids=["at-the-deadline", "one-second-after"])
def test_a_position_at_or_after_the_deadline_is_refused_and_the_decision_closes(
    network, secretariat, committee, focal_b, now, after
):
    decision = opened(network, secretariat, now)
    with pytest.raises(DomainError, match="deadline passed"):
        state(
            decision,
            focal_b,
            committee[1],
            Stance.OBJECT,
            "Too late.",
            now=decision.deadline + timedelta(seconds=after),
        )
    decision.refresh_from_db()
    assert not Position.objects.exists()
    assert decision.status == DecisionStatus.ADOPTED


def test_a_withdrawn_objection_no_longer_blocks(network, secretariat, committee, focal_b, now):
    decision = opened(network, secretariat, now)
    state(decision, focal_b, committee[1], Stance.OBJECT, "No.", now=now)
    state(decision, focal_b, committee[1], Stance.ABSTAIN, now=now + timedelta(hours=1))
    register.decision_close(decision=decision, now=decision.deadline)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_an_objection_of_an_agency_that_left_the_body_does_not_count(
    network, secretariat, committee, focal_b, now
):
    decision = opened(network, secretariat, now)
    state(decision, focal_b, committee[1], Stance.OBJECT, "No.", now=now)
    from members.models import Membership

    Membership.objects.filter(organization=committee[1]).update(executive_committee=False)
    fresh = Decision.objects.get(pk=decision.pk)
    register.decision_close(decision=fresh, now=fresh.deadline)
    fresh.refresh_from_db()
    assert fresh.status == DecisionStatus.ADOPTED


def test_closing_twice_changes_nothing_and_tells_the_outcome_once(
    network, secretariat, committee, focal_a, now
):
    decision = opened(network, secretariat, now)
    assert register.decision_close(decision=decision, now=decision.deadline)
    outcome_mails = OutboundEmail.objects.filter(dedupe_key__contains=":outcome:").count()
    assert outcome_mails >= 2  # A's and B's focal points, the secretariat
    first = Decision.objects.get(pk=decision.pk)

    assert not register.decision_close(decision=decision, now=decision.deadline)
    assert register.close_due(decision.deadline + timedelta(days=1)) == 0

    again = Decision.objects.get(pk=decision.pk)
    assert (again.status, again.reference, again.closed_at) == (
        first.status,
        first.reference,
        first.closed_at,
    )
    assert OutboundEmail.objects.filter(dedupe_key__contains=":outcome:").count() == outcome_mails


def test_a_decision_not_due_is_not_closed_unless_early_with_a_reason(
    network, secretariat, committee, now
):
    decision = opened(network, secretariat, now)
    assert not register.decision_close(decision=decision, now=now)
    assert register.close_due(now) == 0
    assert register.decision_close(
        decision=decision, now=now, by=secretariat, early_reason="Every member has answered."
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.closing_note == "Every member has answered."


def test_the_closing_job_closes_every_overdue_decision(network, secretariat, committee, now):
    first = opened(network, secretariat, now)
    second = opened(network, secretariat, now, hours=100)
    assert register.close_due(first.deadline) == 1
    assert register.close_due(second.deadline) == 1
    assert sorted(Decision.objects.values_list("reference", flat=True)) == [
        f"GTN/EC/{first.deadline.year}/01",
        f"GTN/EC/{second.deadline.year}/02",
    ]


# --- revisions -----------------------------------------------------------------------------


def test_a_revision_is_a_new_version_with_a_new_deadline_and_old_positions_stop_counting(
    network, secretariat, committee, focal_a, focal_b, now
):
    decision = opened(network, secretariat, now)
    state(decision, focal_a, committee[0], now=now)
    state(decision, focal_b, committee[1], Stance.OBJECT, "The budget is missing.", now=now)
    register.decision_close(
        decision=decision, now=now + timedelta(hours=1), by=secretariat, early_reason="All in."
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.NO_CONSENSUS

    later = now + timedelta(hours=2)
    register.decision_revise(
        decision=decision,
        title=decision.title,
        text="The Executive Committee adopts the terms of reference, with a budget.",
        note="Budget added, as BBB asked.",
        deadline=later + timedelta(hours=72),
        by=secretariat,
        expected_version=1,
        now=later,
    )
    decision.refresh_from_db()
    assert (decision.status, decision.version) == (DecisionStatus.OPEN, 2)
    assert decision.deadline == later + timedelta(hours=72)
    assert list(decision.versions.values_list("number", "note")) == [
        (2, "Budget added, as BBB asked."),
        (1, ""),
    ]
    # B's objection was on version 1: the revised text is adopted in silence.
    register.decision_close(decision=decision, now=decision.deadline)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_a_revision_made_on_an_older_version_is_refused(network, secretariat, committee, now):
    decision = opened(network, secretariat, now)
    kwargs = dict(
        title="t", text="x", note="n", deadline=now + timedelta(hours=80), by=secretariat, now=now
    )
    register.decision_revise(decision=decision, expected_version=1, **kwargs)
    with pytest.raises(DomainError, match="version 2"):
        register.decision_revise(decision=decision, expected_version=1, **kwargs)
    assert decision.versions.count() == 2


# --- reference numbers ---------------------------------------------------------------------


def test_reference_numbers_run_per_network_body_and_year(network, other_network, secretariat, now):
    def adopt(net, body, day):
        d = make_decision(net, secretariat, body=body, procedure=Procedure.MEETING)
        register.decision_record_adopted(decision=d, on=day, by=secretariat)
        return d.reference

    assert adopt(network, Body.EXECUTIVE_COMMITTEE, date(2026, 3, 1)) == "GTN/EC/2026/01"
    assert adopt(network, Body.EXECUTIVE_COMMITTEE, date(2026, 4, 1)) == "GTN/EC/2026/02"
    assert adopt(network, Body.PRINCIPALS, date(2026, 4, 1)) == "GTN/P/2026/01"
    assert adopt(network, Body.EXECUTIVE_COMMITTEE, date(2027, 1, 5)) == "GTN/EC/2027/01"
    assert adopt(other_network, Body.EXECUTIVE_COMMITTEE, date(2026, 4, 1)) == "OTH/EC/2026/01"


def test_a_network_short_name_with_spaces_makes_a_clean_prefix(db):
    net = f.NetworkFactory(name="Asia Pacific", short_name="Asia-Pacific RNM", slug="ap")
    assert register.reference_prefix(net) == "ASIA-PACIFICRNM"


# --- escalation ----------------------------------------------------------------------------


@pytest.fixture
def no_consensus(network, secretariat, committee, focal_b, now):
    decision = opened(network, secretariat, now)
    state(decision, focal_b, committee[1], Stance.OBJECT, "No.", now=now)
    register.decision_close(decision=decision, now=decision.deadline)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.NO_CONSENSUS
    return decision


def test_the_ladder_follows_the_governance(network):
    network.governance = Governance.COORDINATOR
    assert len(escalation.ladder(network)) == 2
    assert "Secretary-General" in escalation.ladder(network)[1]
    network.governance = Governance.ROTATING_CHAIR
    assert escalation.ladder(network) == ["The chair consults the principals."]


def test_escalation_climbs_the_ladder_step_by_step_until_adopted(
    network, secretariat, no_consensus, now
):
    network.governance = Governance.COORDINATOR
    network.save()
    decision = Decision.objects.get(pk=no_consensus.pk)
    step = escalation.escalation_start(decision=decision, by=secretariat)
    assert step.number == 1
    with pytest.raises(DomainError, match="under way"):
        escalation.escalation_start(decision=decision, by=secretariat)
    escalation.escalation_record(
        step=step, outcome=EscalationOutcome.NEXT, result="The principals disagree.", by=secretariat
    )
    second = escalation.escalation_start(decision=decision, by=secretariat)
    assert "Secretary-General" in second.title
    escalation.escalation_record(
        step=second,
        outcome=EscalationOutcome.ADOPTED,
        result="The Secretary-General decided.",
        by=secretariat,
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.reference.startswith("GTN/EC/")
    with pytest.raises(DomainError):
        escalation.escalation_start(decision=decision, by=secretariat)


def test_a_climbed_ladder_offers_no_further_step(network, secretariat, no_consensus):
    decision = Decision.objects.get(pk=no_consensus.pk)  # rotating chair: one rung
    step = escalation.escalation_start(decision=decision, by=secretariat)
    escalation.escalation_record(
        step=step, outcome=EscalationOutcome.NEXT, result="No agreement.", by=secretariat
    )
    with pytest.raises(DomainError, match="Every step"):
        escalation.escalation_start(decision=decision, by=secretariat)
    step = decision.escalation.get()
    with pytest.raises(DomainError, match="ended"):
        escalation.escalation_record(
            step=step, outcome=EscalationOutcome.NOT_ADOPTED, result="x", by=secretariat
        )


def test_revising_ends_the_step_under_way_and_reopens(network, secretariat, no_consensus, now):
    decision = Decision.objects.get(pk=no_consensus.pk)
    step = escalation.escalation_start(decision=decision, by=secretariat)
    register.decision_revise(
        decision=decision,
        title=decision.title,
        text="Revised.",
        note="As the principals agreed.",
        deadline=decision.deadline + timedelta(hours=100),
        by=secretariat,
        now=decision.deadline + timedelta(hours=1),
    )
    step.refresh_from_db()
    assert step.outcome == EscalationOutcome.REVISE
    decision.refresh_from_db()
    assert (decision.status, decision.version) == (DecisionStatus.OPEN, 2)


def test_not_adopted_after_escalation_closes_it(network, secretariat, no_consensus):
    decision = Decision.objects.get(pk=no_consensus.pk)
    step = escalation.escalation_start(decision=decision, by=secretariat)
    with pytest.raises(DomainError):
        escalation.escalation_record(
            step=step, outcome=EscalationOutcome.NOT_ADOPTED, result=" ", by=secretariat
        )
    escalation.escalation_record(
        step=step, outcome=EscalationOutcome.NOT_ADOPTED, result="Dropped.", by=secretariat
    )
    decision.refresh_from_db()
    assert (decision.status, decision.reference) == (DecisionStatus.NOT_ADOPTED, None)


# --- e-mails, each once ------------------------------------------------------------------


def test_opening_asks_each_agency_of_the_body_once_per_version(
    network, secretariat, committee, focal_a, focal_b, focal_c, now
):
    decision = opened(network, secretariat, now)
    asked = set(
        OutboundEmail.objects.filter(dedupe_key__contains=":opened:").values_list("to", flat=True)
    )
    assert asked == {focal_a.email, focal_b.email}  # C is not on the committee
    notices.decision_opened_notify(decision)
    assert OutboundEmail.objects.filter(dedupe_key__contains=":opened:").count() == 2


def test_an_objection_tells_the_chair_and_the_secretariat_at_once_and_once(
    network, secretariat, committee, chair, focal_b, now
):
    decision = opened(network, secretariat, now)
    state(decision, focal_b, committee[1], Stance.OBJECT, "No.", now=now)
    state(decision, focal_b, committee[1], Stance.OBJECT, "Still no.", now=now)
    told = OutboundEmail.objects.filter(dedupe_key__contains=":objection:")
    assert set(told.values_list("to", flat=True)) == {chair.email, secretariat.email}
    assert "BBB objects to" in told.first().subject


def test_reminders_go_to_agencies_without_a_position_once_per_occasion(
    network, secretariat, committee, focal_a, focal_b, now
):
    decision = opened(network, secretariat, now, hours=100)
    state(decision, focal_a, committee[0], now=now)
    # Earlier than 72 hours before: nothing.
    assert notices.decision_reminders_send(now=decision.deadline - timedelta(hours=73)) == 0
    at_72 = decision.deadline - timedelta(hours=71)
    assert notices.decision_reminders_send(now=at_72) == 1  # B only
    assert notices.decision_reminders_send(now=at_72 + timedelta(minutes=15)) == 0
    at_24 = decision.deadline - timedelta(hours=23)
    assert notices.decision_reminders_send(now=at_24) == 1
    assert notices.decision_reminders_send(now=at_24) == 0
    reminded = OutboundEmail.objects.filter(dedupe_key__contains=":remind-")
    assert set(reminded.values_list("to", flat=True)) == {focal_b.email}
    # A revision is a new version: the occasions come again.
    register.decision_revise(
        decision=decision,
        title="t",
        text="x",
        note="n",
        deadline=at_24 + timedelta(hours=80),
        by=secretariat,
        now=at_24,
    )
    assert notices.decision_reminders_send(now=at_24 + timedelta(hours=10)) == 2
