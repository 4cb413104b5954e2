"""The decisions' jobs by hand: `close_consultations` and
`send_decision_reminders` run the tasks' code, as if at `--now`, safely twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from decisions.models import Decision, DecisionStatus
from notifications.models import OutboundEmail

from .conftest import opened

pytestmark = pytest.mark.django_db


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue().strip()


def test_close_consultations_closes_what_is_due_at_now_once(network, secretariat, committee, now):
    decision = opened(network, secretariat, now)
    assert run("close_consultations", "--now", now.isoformat()) == "close_consultations: 0"
    at = (decision.deadline + timedelta(seconds=1)).isoformat()
    assert run("close_consultations", "--now", at) == "close_consultations: 1"
    assert run("close_consultations", "--now", at) == "close_consultations: 0"
    assert Decision.objects.get().status == DecisionStatus.ADOPTED


def test_send_decision_reminders_reminds_once(
    network, secretariat, committee, focal_a, focal_b, now
):
    decision = opened(network, secretariat, now)
    at = (decision.deadline - timedelta(hours=23)).isoformat()
    assert run("send_decision_reminders", "--now", at) == "send_decision_reminders: 2"
    assert run("send_decision_reminders", "--now", at) == "send_decision_reminders: 0"
    assert OutboundEmail.objects.filter(dedupe_key__contains=":remind-24h:").count() == 2


def test_a_bad_now_is_refused_with_a_clear_message(db):
    with pytest.raises(CommandError, match="--now must be a date and time"):
        run("close_consultations", "--now", "tomorrow")
