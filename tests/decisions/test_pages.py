"""The decisions pages: the register (open ones first, with their countdown
and answered x of y), a decision's page (positions at a glance, versions,
compare), the forms (messages, errors with what was typed kept, the conflict
of a stale version), the deadline typed in the network's time zone, and an
overdue decision closed by the page that shows it."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.countdown import countdown_text, time_left
from decisions.forms import default_deadline
from decisions.models import (
    Body,
    Decision,
    DecisionStatus,
    EscalationOutcome,
    Position,
    Procedure,
    Stance,
)
from decisions.services import escalation, positions, register
from members.roles import build_actor

from .conftest import make_decision, opened

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _state(decision, user, org, stance=Stance.SUPPORT, statement="", **kw):
    return positions.position_state(
        decision=decision,
        actor=build_actor(user),
        organization_id=org.pk,
        stance=stance,
        statement=statement,
        by=user,
        **kw,
    )


# --- the countdown ---------------------------------------------------------------------------


def test_the_countdown_says_the_two_largest_units():
    now = timezone.now()
    assert time_left(now + timedelta(days=2, hours=4, minutes=10), now) == "2 days 4 hours"
    assert time_left(now + timedelta(hours=3, minutes=12), now) == "3 hours 12 minutes"
    assert time_left(now + timedelta(days=1), now) == "1 day"
    assert time_left(now + timedelta(seconds=20), now) == "1 minute"
    assert countdown_text(now + timedelta(days=2, hours=4), now) == "Closes in 2 days 4 hours."
    assert countdown_text(now - timedelta(seconds=1), now) == "The deadline has passed."


# --- the register ----------------------------------------------------------------------------


def test_the_register_lists_open_decisions_first_with_countdown_and_answers(
    client, network, secretariat, committee, focal_a, now
):
    adopted = make_decision(network, secretariat, procedure=Procedure.MEETING, title="Old one")
    register.decision_record_adopted(decision=adopted, on=dt.date(2026, 1, 5), by=secretariat)
    later = opened(network, secretariat, now, hours=200, title="Later one")
    sooner = opened(network, secretariat, now, hours=76, title="Sooner one")
    _state(sooner, focal_a, committee[0])

    client.force_login(focal_a)
    response = client.get(reverse("decisions:network", args=[network.slug]))

    assert response.status_code == 200
    rows = [d for d, _answered in response.context["rows"]]
    assert rows == [sooner, later, adopted]
    html = response.content.decode()
    assert "Closes in 3 days 4 hours." in html or "Closes in 3 days 3 hours." in html
    assert "1 of 2" in html and "0 of 2" in html
    assert "GTN/EC/2026/01" in html
    assert "New decision" not in html  # a focal point does not draft


def test_the_register_follows_the_header_network_and_filters(
    client, network, other_network, secretariat, now
):
    make_decision(network, secretariat, title="Returns framework")
    make_decision(network, secretariat, title="Climate mobility", body=Body.PRINCIPALS)
    client.force_login(secretariat)

    response = client.get(reverse("decisions:list"), {"network": network.pk, "q": "returns"})
    assert [d.title for d, *_ in response.context["rows"]] == ["Returns framework"]
    response = client.get(reverse("decisions:list"), {"network": network.pk, "body": "principals"})
    assert [d.title for d, *_ in response.context["rows"]] == ["Climate mobility"]
    assert b"New decision" in response.content

    empty = client.get(reverse("decisions:list"), {"network": other_network.pk})
    assert b"data-empty-list" in empty.content and b"data-network-scope" in empty.content


def test_the_register_closes_an_overdue_decision_before_listing_it(
    client, network, secretariat, committee, now
):
    decision = opened(network, secretariat, now - timedelta(hours=100), hours=80)
    client.force_login(secretariat)
    client.get(reverse("decisions:network", args=[network.slug]))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


# --- a decision's page -----------------------------------------------------------------------


def test_the_page_closes_an_overdue_decision_first(client, network, secretariat, committee, now):
    decision = opened(network, secretariat, now - timedelta(hours=81), hours=80)
    assert decision.status == DecisionStatus.OPEN

    client.force_login(secretariat)
    response = client.get(decision.get_absolute_url())

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED and decision.reference
    assert decision.reference.encode() in response.content
    assert b"Adopted" in response.content
    # Opening it again changes nothing.
    client.get(decision.get_absolute_url())
    assert Decision.objects.get(pk=decision.pk).closed_at == decision.closed_at


def test_an_overdue_decision_with_an_objection_has_no_consensus_on_view(
    client, network, secretariat, committee, focal_b, now
):
    decision = opened(network, secretariat, now - timedelta(hours=79), hours=80)
    _state(decision, focal_b, committee[1], Stance.OBJECT, "Not our mandate.")
    later = timezone.now() + timedelta(hours=2)
    Decision.objects.filter(pk=decision.pk).update(deadline=now - timedelta(seconds=1))
    client.force_login(secretariat)
    response = client.get(decision.get_absolute_url())
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.NO_CONSENSUS
    assert b"Start the next escalation step" in response.content
    assert later  # the deadline was moved, not the clock


def test_the_page_shows_the_positions_at_a_glance(
    client, network, secretariat, committee, focal_a, focal_b, now
):
    decision = opened(network, secretariat, now, hours=80)
    _state(decision, focal_a, committee[0], Stance.RESERVATION, "Subject to funding.")
    register.decision_revise(
        decision=decision,
        title=decision.title,
        text="A revised text.",
        note="Funding clause added.",
        deadline=timezone.now() + timedelta(hours=80),
        by=secretariat,
    )
    decision.refresh_from_db()
    _state(
        decision,
        secretariat,
        committee[1],
        Stance.OBJECT,
        "Not our mandate.",
        received_by="E-mail of 3 Dec",
    )

    client.force_login(focal_a)
    response = client.get(decision.get_absolute_url())
    html = response.content.decode()
    assert "Positions at a glance" in html
    assert "on an earlier version (version 1)" in html
    assert "Subject to funding." in html
    assert "received by E-mail of 3 Dec" in html
    assert "1 objected" in html and "0 with reservations" in html
    assert "1 position was given on an earlier version and no longer counts." in html
    assert "Funding clause added." in html
    assert "Compare with version 1" in html
    assert "<strong>adopts</strong>" not in html  # the text is the revised one
    assert "A revised text." in html
    counts = response.context["counts"]
    assert (counts["object"], counts["reservation"], counts["waiting"], counts["earlier"]) == (
        1,
        0,
        1,
        1,
    )


def test_the_public_reads_a_public_decision_without_positions(client, network, secretariat, now):
    decision = make_decision(network, secretariat, procedure=Procedure.MEETING, public=True)
    register.decision_record_adopted(decision=decision, on=dt.date(2026, 2, 1), by=secretariat)
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    assert b"Positions at a glance" not in response.content
    assert b"<strong>adopts</strong>" in response.content  # the Markdown, rendered


def test_two_versions_are_compared(client, network, secretariat, committee, now):
    decision = opened(network, secretariat, now, hours=80)
    register.decision_revise(
        decision=decision,
        title=decision.title,
        text="The Executive Committee **adopts** the revised terms of reference.",
        note="Revised.",
        deadline=timezone.now() + timedelta(hours=80),
        by=secretariat,
    )
    client.force_login(secretariat)
    response = client.get(reverse("decisions:compare", args=[decision.pk]))
    assert response.status_code == 200
    assert b"<ins>" in response.content and b"revised" in response.content
    assert (
        client.get(reverse("decisions:compare", args=[decision.pk]), {"old": 9}).status_code == 404
    )
    assert (
        client.get(reverse("decisions:compare", args=[decision.pk]), {"old": "x"}).status_code
        == 404
    )


# --- the forms ---------------------------------------------------------------------------------


def test_a_new_decision_is_a_draft_with_a_message(client, network, secretariat, agency_a):
    client.force_login(secretariat)
    url = reverse("decisions:create", args=[network.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "body": Body.EXECUTIVE_COMMITTEE,
            "procedure": Procedure.SILENCE,
            "title": "Admission criteria",
            "text": "The network **establishes** the criteria.",
            "proposed_by": agency_a.pk,
        },
        follow=True,
    )
    decision = Decision.objects.get()
    assert (decision.status, decision.proposed_by, decision.network) == (
        DecisionStatus.DRAFT,
        agency_a,
        network,
    )
    assert any("draft" in m for m in _messages(response))


def test_a_task_team_body_needs_its_team_and_keeps_what_was_typed(client, network, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("decisions:create", args=[network.slug]),
        {
            "body": Body.TASK_TEAM,
            "procedure": Procedure.WRITTEN,
            "title": "Kept title",
            "text": "Kept text",
        },
    )
    assert response.status_code == 200
    assert "Choose the task team that decides." in response.content.decode()
    assert b"Kept title" in response.content and b"Kept text" in response.content
    assert not Decision.objects.exists()


def test_a_stale_draft_edit_shows_the_conflict_and_keeps_the_text(client, network, secretariat):
    decision = make_decision(network, secretariat)
    client.force_login(secretariat)
    url = reverse("decisions:edit", args=[decision.pk])
    response = client.post(url, {"title": "Mine", "text": "My text", "expected_version": 0})
    html = response.content.decode()
    assert "Someone revised this decision" in html
    assert "My text" in html
    assert 'name="expected_version" value="1"' in html  # saving again goes through
    decision.refresh_from_db()
    assert decision.text != "My text"
    response = client.post(url, {"title": "Mine", "text": "My text", "expected_version": 1})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.text == "My text"


def test_the_deadline_is_typed_in_the_networks_time_zone(client, network, secretariat):
    network.time_zone = "Asia/Bangkok"
    network.save()
    decision = make_decision(network, secretariat)
    client.force_login(secretariat)
    url = reverse("decisions:open", args=[decision.pk])
    page = client.get(url)
    assert b"Asia/Bangkok" in page.content
    response = client.post(url, {"deadline": "2031-01-10T10:00"}, follow=True)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN
    assert decision.deadline == dt.datetime(2031, 1, 10, 3, 0, tzinfo=dt.UTC)
    assert any("open" in m for m in _messages(response))


def test_the_default_deadline_is_the_shortest_silence_rounded_up_to_the_hour(network):
    network.time_zone = "Europe/Zurich"
    now = dt.datetime(2026, 3, 2, 9, 20, tzinfo=dt.UTC)
    deadline = default_deadline(network, Procedure.SILENCE, now)
    assert deadline.utcoffset() == timedelta(hours=1)
    assert deadline.astimezone(dt.UTC) == dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def test_a_too_short_silence_is_refused_on_the_form(client, network, secretariat):
    decision = make_decision(network, secretariat)
    client.force_login(secretariat)
    soon = timezone.localtime(timezone.now() + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("decisions:open", args=[decision.pk]), {"deadline": soon})
    assert "at least 72 hours" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_a_stale_revision_shows_the_conflict_and_keeps_the_text(
    client, network, secretariat, committee, now
):
    decision = opened(network, secretariat, now, hours=80)
    register.decision_revise(
        decision=decision,
        title="Theirs",
        text="Their text",
        note="Theirs.",
        deadline=timezone.now() + timedelta(hours=80),
        by=secretariat,
    )
    client.force_login(secretariat)
    deadline = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("decisions:revise", args=[decision.pk]),
        {
            "title": "Mine",
            "text": "My revised text",
            "note": "Mine.",
            "deadline": deadline,
            "expected_version": 1,
        },
    )
    html = response.content.decode()
    assert "Someone revised this decision" in html and "version 2" in html
    assert "My revised text" in html and "Their text" in html
    decision.refresh_from_db()
    assert (decision.version, decision.text) == (2, "Their text")


def test_a_focal_point_states_a_position_and_an_objection_needs_its_reason(
    client, network, secretariat, committee, focal_b, now
):
    decision = opened(network, secretariat, now, hours=80)
    client.force_login(focal_b)
    url = reverse("decisions:position", args=[decision.pk])
    page = client.get(url)
    assert b"Required with a reservation" in page.content
    refused = client.post(url, {"organization": committee[1].pk, "stance": Stance.OBJECT})
    assert "Give the reason for the objection" in refused.content.decode()
    assert not Position.objects.exists()
    response = client.post(
        url,
        {"organization": committee[1].pk, "stance": Stance.OBJECT, "statement": "Mandate."},
        follow=True,
    )
    position = Position.objects.get()
    assert (position.organization, position.stance, position.recorded_for_agency) == (
        committee[1],
        Stance.OBJECT,
        False,
    )
    assert any("position is recorded" in m for m in _messages(response))


def test_the_secretariat_records_a_position_for_an_agency(
    client, network, secretariat, committee, now
):
    decision = opened(network, secretariat, now, hours=80)
    client.force_login(secretariat)
    url = reverse("decisions:record_position", args=[decision.pk])
    assert committee[1].acronym.encode() in client.get(url).content
    missing = client.post(url, {"organization": committee[1].pk, "stance": Stance.SUPPORT})
    assert missing.status_code == 200 and not Position.objects.exists()
    client.post(
        url,
        {
            "organization": committee[1].pk,
            "stance": Stance.SUPPORT,
            "received_by": "E-mail of 3 Dec",
        },
    )
    position = Position.objects.get()
    assert (position.recorded_for_agency, position.received_by, position.stated_by) == (
        True,
        "E-mail of 3 Dec",
        secretariat,
    )


def test_close_early_withdraw_and_record_adopted(client, network, secretariat, committee, now):
    client.force_login(secretariat)
    decision = opened(network, secretariat, now, hours=80)
    refused = client.post(reverse("decisions:close", args=[decision.pk]), {"reason": ""})
    assert refused.status_code == 200
    client.post(reverse("decisions:close", args=[decision.pk]), {"reason": "All answered."})
    decision.refresh_from_db()
    assert (decision.status, decision.closing_note) == (DecisionStatus.ADOPTED, "All answered.")

    draft = make_decision(network, secretariat)
    client.post(reverse("decisions:withdraw", args=[draft.pk]), {"reason": "Overtaken."})
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.WITHDRAWN

    meeting = make_decision(network, secretariat, procedure=Procedure.MEETING)
    client.post(reverse("decisions:adopted", args=[meeting.pk]), {"on": "2026-11-09"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.decided_on) == (DecisionStatus.ADOPTED, dt.date(2026, 11, 9))
    # A move that does not apply says so and changes nothing.
    response = client.get(reverse("decisions:open", args=[meeting.pk]), follow=True)
    assert any("Only a draft" in m for m in _messages(response))


def test_escalation_is_started_and_its_result_recorded(
    client, network, secretariat, committee, focal_b, now
):
    decision = opened(network, secretariat, now, hours=80)
    _state(decision, focal_b, committee[1], Stance.OBJECT, "No.")
    register.decision_close(decision=decision, now=now + timedelta(hours=81))
    client.force_login(secretariat)
    client.post(reverse("decisions:escalate", args=[decision.pk]))
    step = decision.escalation.get()
    assert step.outcome == EscalationOutcome.PENDING
    again = client.post(reverse("decisions:escalate", args=[decision.pk]), follow=True)
    assert any("under way" in m for m in _messages(again))
    client.post(
        reverse("decisions:escalation_result", args=[decision.pk]),
        {"outcome": EscalationOutcome.ADOPTED, "result": "The principals agreed."},
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "The principals agreed." in page and "Started by" in page


def test_escalation_result_without_a_step_goes_back(client, network, secretariat):
    decision = make_decision(network, secretariat)
    client.force_login(secretariat)
    response = client.get(reverse("decisions:escalation_result", args=[decision.pk]))
    assert response.status_code == 302
    assert escalation.next_rung(decision) is not None
