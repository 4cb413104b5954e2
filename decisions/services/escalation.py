"""The way out of no consensus: the network's escalation ladder, one step
at a time. Each step records who started it, what was done, when and with
what result, until the decision is adopted, revised and reopened
(register.decision_revise), not adopted, or withdrawn.

The ladder is the network's (`EscalationRung`), or by default its
governance's (seed 002): for a network with a coordinator, the Coordinator
consults the Executive Committee principals, then the Executive Committee
refers the matter to the Secretary-General; for a rotating chair, the chair
consults the principals.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import set_history_user
from members.models import Governance, Network

from ..models import (
    Decision,
    DecisionStatus,
    EscalationOutcome,
    EscalationRung,
    EscalationStep,
)
from .notices import decision_outcome_notify
from .register import _adopt, _locked, local_day


def default_ladder(network: Network) -> list[str]:
    if network.governance == Governance.COORDINATOR:
        return [
            _("The Coordinator consults the principals of the Executive Committee."),
            _("The Executive Committee refers the matter to the Secretary-General."),
        ]
    return [_("The chair consults the principals.")]


def ladder(network: Network) -> list[str]:
    rungs = list(EscalationRung.objects.filter(network=network).values_list("title", flat=True))
    return rungs or default_ladder(network)


def next_rung(decision: Decision, steps: list[EscalationStep] | None = None) -> str | None:
    """The title of the step to start now, or None (one is under way, or the
    ladder is climbed)."""
    steps = list(decision.escalation.all()) if steps is None else steps
    if any(s.outcome == EscalationOutcome.PENDING for s in steps):
        return None
    rungs = ladder(decision.network)
    done = len(steps)
    return rungs[done] if done < len(rungs) else None


def escalation_start(*, decision: Decision, by, now: datetime | None = None) -> EscalationStep:
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(decision)
        if row.status != DecisionStatus.NO_CONSENSUS:
            raise DomainError(_("Only a decision without consensus is escalated."))
        steps = list(row.escalation.all())
        title = next_rung(row, steps)
        if title is None:
            raise DomainError(
                _("A step is under way: record its result first.")
                if any(s.outcome == EscalationOutcome.PENDING for s in steps)
                else _(
                    "Every step of the ladder has been taken: revise the text, or record that "
                    "it is not adopted."
                )
            )
        return EscalationStep.objects.create(
            decision=row,
            number=len(steps) + 1,
            title=title,
            started_at=now,
            started_by=by if by is not None and by.is_authenticated else None,
        )


def escalation_record(
    *, step: EscalationStep, outcome: str, result: str, by, now: datetime | None = None
) -> EscalationStep:
    """End the step under way. "next" leaves the decision without consensus
    (the next rung can start); "adopted" adopts it with its reference;
    "not adopted" and "withdrawn" close it. A revision goes through
    register.decision_revise, which ends the step itself."""
    now = now or timezone.now()
    if outcome not in (
        EscalationOutcome.NEXT,
        EscalationOutcome.ADOPTED,
        EscalationOutcome.NOT_ADOPTED,
        EscalationOutcome.WITHDRAWN,
    ):
        raise DomainError(_("Choose the result of the step."), field="outcome")
    if not result.strip():
        raise DomainError(_("Say what was done and with what result."), field="result")
    with transaction.atomic():
        row = _locked(step.decision)
        step = EscalationStep.objects.select_for_update().get(pk=step.pk)
        if step.outcome != EscalationOutcome.PENDING:
            raise DomainError(_("This step has ended already."))
        if row.status != DecisionStatus.NO_CONSENSUS:
            raise DomainError(_("The decision is no longer without consensus."))
        step.outcome, step.result, step.ended_at = outcome, result.strip(), now
        step.ended_by = by if by is not None and by.is_authenticated else None
        step.save()
        if outcome == EscalationOutcome.ADOPTED:
            _adopt(row, on=local_day(row.network, now), now=now)
            row._change_reason = "adopted after escalation"
        elif outcome == EscalationOutcome.NOT_ADOPTED:
            row.status, row.closed_at = DecisionStatus.NOT_ADOPTED, now
            row.closing_note = result.strip()[:500]
            row._change_reason = "not adopted after escalation"
        elif outcome == EscalationOutcome.WITHDRAWN:
            row.status, row.closed_at = DecisionStatus.WITHDRAWN, now
            row.closing_note = result.strip()[:500]
            row._change_reason = "withdrawn after escalation"
        if outcome != EscalationOutcome.NEXT:
            set_history_user(row, by)
            row.save()
            if outcome == EscalationOutcome.ADOPTED:
                decision_outcome_notify(row)
    step.decision.status = row.status
    return step
