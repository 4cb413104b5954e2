"""A decision's life: drafted, opened for a written consultation or a silence
procedure, revised (a new version, a new deadline), closed at its deadline
(adopted with its reference number, or no consensus), recorded as taken at a
meeting, withdrawn.

Every write is atomic and takes the decision's row lock first, so that two
people acting at once (a position and the deadline, two revisions, the beat
job and a page closing the same decision) are applied one after the other:
closing twice changes nothing, and an edit made on an older version is
refused instead of overwriting.

Consensus means no objection from a member agency of the deciding body on
the current version: at the deadline a decision with no standing objection
is adopted, one with an objection has no consensus (and the escalation
ladder opens, services.escalation). Positions given on an earlier version
are kept and shown, but only those on the current version count.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import set_history_user
from core.limits import check_model_lengths
from core.timezones import zone_of
from members.models import Network

from ..models import (
    BODY_CODES,
    Body,
    Decision,
    DecisionSettings,
    DecisionStatus,
    DecisionVersion,
    Procedure,
    Stance,
)
from ..selectors import body_agency_ids, open_decisions_due
from .notices import decision_opened_notify, decision_outcome_notify

DEFAULT_SILENCE_HOURS = 72


# --- settings and time ---------------------------------------------------------------------


def silence_hours(network: Network) -> int:
    settings_row = DecisionSettings.objects.filter(network=network).first()
    return settings_row.silence_hours if settings_row else DEFAULT_SILENCE_HOURS


def network_zone(network: Network):
    return zone_of(network.time_zone)


def local_day(network: Network, moment: datetime):
    return timezone.localtime(moment, network_zone(network)).date()


# --- checks --------------------------------------------------------------------------------


def _locked(decision: Decision) -> Decision:
    """The decision's row, locked until the transaction ends; the caller's
    instance is refreshed from it."""
    row = Decision.objects.select_for_update().get(pk=decision.pk)
    for name in ("status", "version", "deadline", "title", "text", "reference", "closed_at"):
        setattr(decision, name, getattr(row, name))
    return row


def _move(decision: Decision, status: str) -> None:
    if not decision.can_move_to(status):
        raise DomainError(
            _("A decision that is %(now)s cannot become %(then)s.")
            % {
                "now": decision.get_status_display().lower(),
                "then": DecisionStatus(status).label.lower(),
            }
        )


def _same_version(decision: Decision, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != decision.version:
        raise DomainError(
            _(
                "Someone revised this decision while you were editing it (it is now at "
                "version %(n)s). Your text is kept below: compare it with the new version and "
                "save again."
            )
            % {"n": decision.version}
        )


def deadline_problem(
    *, network: Network, procedure: str, deadline: datetime | None, now: datetime
) -> str | None:
    if deadline is None:
        return _("Give the deadline: the date and time positions are due.")
    if deadline <= now:
        return _("The deadline must be in the future.")
    if procedure == Procedure.SILENCE:
        hours = silence_hours(network)
        if deadline < now + timedelta(hours=hours):
            return _(
                "A silence procedure lasts at least %(hours)s hours: set the deadline on "
                "%(earliest)s or later."
            ) % {
                "hours": hours,
                "earliest": timezone.localtime(
                    now + timedelta(hours=hours), network_zone(network)
                ).strftime("%Y-%m-%d %H:%M"),
            }
    return None


def _text_problem(title: str, text: str) -> None:
    if not title.strip():
        raise DomainError(_("Give the decision a title."), field="title")
    if not text.strip():
        raise DomainError(_("Write the text of the decision."), field="text")
    # The forms say the limits; a service called from elsewhere (the
    # minutes, the demo, the API) is held to them too.
    check_model_lengths(Decision, title=title.strip(), text=text.strip())


# --- drafting ------------------------------------------------------------------------------


def decision_create(
    *,
    network: Network,
    body: str,
    procedure: str,
    title: str,
    text: str,
    by,
    proposed_by=None,
    task_team=None,
    public: bool = False,
    topics=(),
    meeting=None,
    agenda_item=None,
    application=None,
    workplan=None,
    related_task_team=None,
) -> Decision:
    """A draft: only the chair and the secretariat see it until it is opened."""
    _text_problem(title, text)
    if body not in Body.values:
        raise DomainError(_("Choose the deciding body."), field="body")
    if procedure not in Procedure.values:
        raise DomainError(_("Choose how the decision is taken."), field="procedure")
    if body == Body.TASK_TEAM and task_team is None:
        raise DomainError(_("Choose the task team that decides."), field="task_team")
    for record, name in (
        (task_team, "task_team"),
        (meeting, "meeting"),
        (workplan, "workplan"),
        (application, "application"),
        (related_task_team, "related_task_team"),
    ):
        if record is not None and record.network_id != network.pk:
            raise DomainError(
                _("Link only records of the %(network)s.") % {"network": network.short_name},
                field=name,
            )
    if agenda_item is not None and (meeting is None or agenda_item.meeting_id != meeting.pk):
        raise DomainError(_("The agenda item must be one of the meeting's."), field="agenda_item")
    with transaction.atomic():
        decision = Decision(
            network=network,
            body=body,
            task_team=task_team if body == Body.TASK_TEAM else None,
            procedure=procedure,
            title=title.strip(),
            text=text.strip(),
            proposed_by=proposed_by,
            public=public,
            meeting=meeting,
            agenda_item=agenda_item,
            application=application,
            workplan=workplan,
            related_task_team=related_task_team,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        set_history_user(decision, by)
        decision.save()
        decision.topics.set(topics)
        DecisionVersion.objects.create(
            decision=decision,
            number=1,
            title=decision.title,
            text=decision.text,
            created_by=decision.created_by,
        )
    return decision


def decision_edit_draft(
    *, decision: Decision, title: str, text: str, by, expected_version: int | None = None
) -> Decision:
    """A draft's text changes in place (version 1 follows it): nobody has
    answered it yet."""
    _text_problem(title, text)
    with transaction.atomic():
        row = _locked(decision)
        if row.status != DecisionStatus.DRAFT:
            raise DomainError(_("Only a draft is edited; revise an open decision instead."))
        _same_version(row, expected_version)
        row.title, row.text = title.strip(), text.strip()
        set_history_user(row, by)
        row.save(update_fields=["title", "text", "updated_at"])
        row.versions.filter(number=row.version).update(title=row.title, text=row.text)
    decision.title, decision.text = row.title, row.text
    return row


# --- opening, revising -----------------------------------------------------------------


def decision_open(
    *, decision: Decision, deadline: datetime, by, now: datetime | None = None
) -> Decision:
    """Draft → open: the member agencies of the body are asked for their
    positions until `deadline` (services.notices tells them)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(decision)
        if row.procedure == Procedure.MEETING:
            raise DomainError(
                _("A decision taken at a meeting is recorded as adopted, not opened.")
            )
        _move(row, DecisionStatus.OPEN)
        problem = deadline_problem(
            network=row.network, procedure=row.procedure, deadline=deadline, now=now
        )
        if problem:
            raise DomainError(problem, field="deadline")
        row.status, row.deadline, row.opened_at = DecisionStatus.OPEN, deadline, now
        set_history_user(row, by)
        row._change_reason = "opened"
        row.save(update_fields=["status", "deadline", "opened_at", "updated_at"])
        decision_opened_notify(row)
    decision.status, decision.deadline = row.status, row.deadline
    return row


def decision_revise(
    *,
    decision: Decision,
    title: str,
    text: str,
    note: str,
    deadline: datetime,
    by,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Decision:
    """Open or no consensus → open, on a new version with a new deadline.
    Positions on the earlier version stay, marked with it; they no longer count."""
    now = now or timezone.now()
    _text_problem(title, text)
    if not note.strip():
        raise DomainError(_("Say what changed in this version."), field="note")
    with transaction.atomic():
        row = _locked(decision)
        if row.status not in (DecisionStatus.OPEN, DecisionStatus.NO_CONSENSUS):
            raise DomainError(_("Only an open decision, or one without consensus, is revised."))
        _same_version(row, expected_version)
        problem = deadline_problem(
            network=row.network, procedure=row.procedure, deadline=deadline, now=now
        )
        if problem:
            raise DomainError(problem, field="deadline")
        # An escalation step under way ends with this revision.
        row.escalation.filter(outcome="pending").update(
            outcome="revise", ended_at=now, ended_by=by if by and by.is_authenticated else None
        )
        row.version += 1
        row.title, row.text = title.strip(), text.strip()
        row.status, row.deadline, row.opened_at, row.closed_at = (
            DecisionStatus.OPEN,
            deadline,
            now,
            None,
        )
        set_history_user(row, by)
        row._change_reason = f"revised to version {row.version}"
        row.save()
        DecisionVersion.objects.create(
            decision=row,
            number=row.version,
            title=row.title,
            text=row.text,
            note=note.strip(),
            created_by=by if by is not None and by.is_authenticated else None,
        )
        decision_opened_notify(row)
    return row


# --- closing -------------------------------------------------------------------------------


def reference_prefix(network: Network) -> str:
    return re.sub(r"[^A-Z0-9-]", "", network.short_name.upper()) or f"N{network.pk}"


def _adopt(row: Decision, *, on, now: datetime) -> None:
    """Give the reference number: the network's row is locked while the
    next number of its body and year is taken, so two adoptions at once get
    two numbers (the unique constraint stands behind it)."""
    Network.objects.select_for_update().filter(pk=row.network_id).first()
    year = on.year
    last = (
        Decision.objects.filter(
            network_id=row.network_id, body=row.body, reference_year=year
        ).aggregate(n=Max("reference_number"))["n"]
        or 0
    )
    row.reference_year, row.reference_number = year, last + 1
    row.reference = (
        f"{reference_prefix(row.network)}/{BODY_CODES[row.body]}/{year}/{row.reference_number:02d}"
    )
    row.status, row.decided_on, row.closed_at = DecisionStatus.ADOPTED, on, now


def standing_objections(row: Decision):
    return row.positions.filter(
        version=row.version, stance=Stance.OBJECT, organization_id__in=body_agency_ids(row)
    )


def decision_close(
    *,
    decision: Decision,
    now: datetime | None = None,
    by=None,
    early_reason: str = "",
) -> bool:
    """Close an open decision whose deadline has passed (or, with
    `early_reason`, before it): adopted when no objection stands on the
    current version, else no consensus. True if this call closed it; a
    decision already closed, or not due, is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(decision)
        if row.status != DecisionStatus.OPEN:
            return False
        if row.deadline > now:
            if not early_reason.strip():
                return False
            row.closing_note = early_reason.strip()[:500]
        if standing_objections(row).exists():
            row.status, row.closed_at = DecisionStatus.NO_CONSENSUS, now
        else:
            _adopt(row, on=local_day(row.network, min(now, row.deadline)), now=now)
        set_history_user(row, by)
        row._change_reason = "closed early" if row.closing_note and row.deadline > now else "closed"
        row.save()
        decision_outcome_notify(row)
    decision.status, decision.reference = row.status, row.reference
    return True


def close_due(now: datetime | None = None) -> int:
    """The closing job: every open decision whose deadline has passed. Safe
    to run twice, and beside a page closing the same decision."""
    now = now or timezone.now()
    closed = 0
    for decision in open_decisions_due(now).select_related("network"):
        closed += decision_close(decision=decision, now=now)
    return closed


def decision_record_adopted(*, decision: Decision, on, by, now: datetime | None = None) -> Decision:
    """A decision taken at a meeting: recorded as adopted on that day."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(decision)
        if row.procedure != Procedure.MEETING:
            raise DomainError(_("Only a decision taken at a meeting is recorded as adopted."))
        _move(row, DecisionStatus.ADOPTED)
        _adopt(row, on=on, now=now)
        set_history_user(row, by)
        row._change_reason = "recorded as adopted at a meeting"
        row.save()
    decision.status, decision.reference = row.status, row.reference
    return row


def decision_withdraw(*, decision: Decision, reason: str, by, now=None) -> Decision:
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("Say why the decision is withdrawn."), field="reason")
    with transaction.atomic():
        row = _locked(decision)
        _move(row, DecisionStatus.WITHDRAWN)
        row.status, row.closed_at, row.closing_note = (
            DecisionStatus.WITHDRAWN,
            now,
            reason.strip()[:500],
        )
        row.escalation.filter(outcome="pending").update(
            outcome="withdrawn", ended_at=now, ended_by=by if by and by.is_authenticated else None
        )
        set_history_user(row, by)
        row._change_reason = "withdrawn"
        row.save()
    decision.status = row.status
    return row
