"""What happens when two things happen at once, on PostgreSQL's real row
locks: two adoptions in one network and year get two reference numbers; two
people of one agency answering at once leave one position (the later) and
both in its history; the closing job and a late position do not both win."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from decisions.models import Decision, DecisionStatus, Position, Procedure, Stance
from decisions.services import positions, register
from members.roles import build_actor

from .conftest import make_decision, opened

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run the calls in threads released at the same moment; their results
    (or the exceptions they raised), in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_adoptions_at_once_get_two_reference_numbers(network, secretariat):
    drafts = [
        make_decision(network, secretariat, procedure=Procedure.MEETING, title=f"D{i}")
        for i in range(4)
    ]
    results = race(
        *(
            (lambda d=d: register.decision_record_adopted(decision=d, on=date(2026, 5, 1), by=None))
            for d in drafts
        )
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Decision.objects.values_list("reference", flat=True)) == [
        "GTN/EC/2026/01",
        "GTN/EC/2026/02",
        "GTN/EC/2026/03",
        "GTN/EC/2026/04",
    ]


def test_two_people_of_one_agency_answering_at_once_leave_one_position(
    network, secretariat, committee, focal_a, principal_a
):
    now = register.timezone.now()
    decision = opened(network, secretariat, now)
    agency = committee[0]

    def answer(user, stance, statement=""):
        return lambda: positions.position_state(
            decision=Decision.objects.get(pk=decision.pk),
            actor=build_actor(user),
            organization_id=agency.pk,
            stance=stance,
            statement=statement,
            by=user,
            now=now + timedelta(minutes=1),
        )

    results = race(
        answer(focal_a, Stance.SUPPORT),
        answer(principal_a, Stance.RESERVATION, "On the budget."),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    position = Position.objects.get()
    assert position.history.count() == 2  # neither write is lost from the record
    latest = position.history.order_by("-history_date").first()
    assert (position.stance, position.stated_by_id) == (latest.stance, latest.stated_by_id)


def test_the_closing_job_and_a_late_objection_do_not_both_win(
    network, secretariat, committee, focal_b
):
    now = register.timezone.now()
    decision = opened(network, secretariat, now)
    at = decision.deadline + timedelta(seconds=1)
    results = race(
        lambda: register.close_due(at),
        lambda: positions.position_state(
            decision=Decision.objects.get(pk=decision.pk),
            actor=build_actor(focal_b),
            organization_id=committee[1].pk,
            stance=Stance.OBJECT,
            statement="Late.",
            by=focal_b,
            now=at,
        ),
    )
    assert isinstance(results[1], register.DomainError)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert not Position.objects.exists()
    assert Decision.objects.filter(reference__isnull=False).count() == 1
