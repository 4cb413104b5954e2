"""Positions: one per member agency of the deciding body, stated by its
principal or a focal point, or recorded by the secretariat for the agency
(received by e-mail or at a meeting, and said so). A position changes until
the deadline; each change is kept in its history.

The decision's row is locked while a position is written: two people of one
agency answering at once are applied one after the other (one position, the
later one, and both in the history), and a position cannot slip in after
the closing job has read the positions.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import set_history_user
from members.roles import Actor

from ..models import (
    STATEMENT_MAX_CHARS,
    STATEMENT_REQUIRED,
    Decision,
    DecisionStatus,
    Position,
    Procedure,
    Stance,
)
from ..permissions import manages, position_agency_ids
from ..selectors import body_agency_ids
from .notices import silence_broken_notify
from .register import _locked, decision_close, network_zone


def statement_problem(stance: str, statement: str) -> str | None:
    if stance not in Stance.values:
        return _("Choose a position.")
    statement = statement.strip()
    if stance in STATEMENT_REQUIRED and not statement:
        return (
            _("Say what your agency reserves: the reservation is recorded with its support.")
            if stance == Stance.RESERVATION
            else _("Give the reason for the objection: it is shared with the other members.")
        )
    if len(statement) > STATEMENT_MAX_CHARS:
        return _("Keep the statement under %(n)s characters.") % {"n": STATEMENT_MAX_CHARS}
    return None


def position_state(
    *,
    decision: Decision,
    actor: Actor,
    organization_id: int,
    stance: str,
    statement: str = "",
    by=None,
    received_by: str = "",
    now: datetime | None = None,
) -> Position:
    """State (or change) the agency's position on the decision's current
    version. `received_by` (e-mail, at a meeting…) is for the secretariat
    recording it for the agency."""
    now = now or timezone.now()
    problem = statement_problem(stance, statement)
    if problem:
        raise DomainError(problem, field="statement" if stance in Stance.values else "stance")
    on_behalf = bool(received_by.strip())
    if on_behalf:
        if not manages(actor, decision.network_id):
            raise DomainError(
                _("Only the chair and the secretariat record a position for an agency.")
            )
    elif organization_id not in position_agency_ids(actor, decision):
        raise DomainError(
            _("You do not state positions for this agency on this decision."),
            field="organization",
        )
    if organization_id not in body_agency_ids(decision):
        raise DomainError(
            _("This agency is not a member of the deciding body."), field="organization"
        )
    past_deadline = False
    with transaction.atomic():
        row = _locked(decision)
        if row.status != DecisionStatus.OPEN or row.procedure == Procedure.MEETING:
            raise DomainError(_("This decision takes no positions now."))
        if now >= row.deadline:
            past_deadline = True
        else:
            previous = row.positions.filter(organization_id=organization_id).first()
            was_objection = (
                previous is not None
                and previous.stance == Stance.OBJECT
                and previous.version == row.version
            )
            position = previous or Position(decision=row, organization_id=organization_id)
            position.stance = stance
            position.statement = statement.strip()
            position.version = row.version
            position.stated_by = by if by is not None and by.is_authenticated else None
            position.recorded_for_agency = on_behalf
            position.received_by = received_by.strip()[:200]
            position.stated_at = now
            set_history_user(position, by)
            position.save()
            if stance == Stance.OBJECT and not was_objection:
                silence_broken_notify(row, position)
    if past_deadline:
        # The deadline has passed: close it (if nobody has) and refuse.
        decision_close(decision=decision, now=now)
        raise DomainError(
            _("The deadline passed at %(deadline)s: positions are closed.")
            % {
                "deadline": timezone.localtime(
                    decision.deadline, network_zone(decision.network)
                ).strftime("%Y-%m-%d %H:%M")
            }
        )
    return position
