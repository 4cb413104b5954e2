"""Follow-up actions (action points): agreed at a meeting, in its minutes
(services.minutes keeps those with the minutes' text), or set to carry out a
decision of the register (decisions.services.follow_up). One kind of record:
an owner agency, a due date, a status (open, in progress, done, or dropped
with a reason) and progress notes, in one list per network.

Overdue actions are reminded to their owner agency once per due date: the
outbox's dedupe key holds the due date, so moving the date asks again.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import set_history_user
from members.models import Network, Organization

from ..models import (
    ACTION_NOTE_MAX_CHARS,
    ACTION_POINT_PENDING,
    ActionNote,
    ActionPoint,
    ActionPointStatus,
)
from .reminders import Reminder, agency_contacts, dedupe_key, reminders_run

log = logging.getLogger(__name__)


def description_problem(description: str) -> str | None:
    text = " ".join(description.split())
    if not text:
        return _("Say what is to be done.")
    if len(text) > 500:
        return _("Keep the action under 500 characters.")
    return None


def action_create(
    *,
    network: Network,
    description: str,
    owner: Organization | None,
    due: date | None,
    by,
    meeting=None,
) -> ActionPoint:
    problem = description_problem(description)
    if problem:
        raise DomainError(problem, field="description")
    if owner is None:
        raise DomainError(_("Choose the agency that owns the action."), field="owner")
    if meeting is not None and meeting.network_id != network.pk:
        raise DomainError(_("The meeting must be one of the network's."), field="meeting")
    point = ActionPoint(
        network=network,
        meeting=meeting,
        description=" ".join(description.split()),
        owner=owner,
        due=due,
    )
    set_history_user(point, by)
    point.save()
    return point


def action_update(
    *,
    action: ActionPoint,
    status: str,
    note: str = "",
    drop_reason: str = "",
    by=None,
    organization_id: int | None = None,
) -> ActionPoint:
    """Move the action to `status`, with a progress note (kept in its
    notes). Dropping needs its reason. Who may is the view's question
    (permissions "action.update")."""
    if status not in ActionPointStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    note = note.strip()
    if len(note) > ACTION_NOTE_MAX_CHARS:
        raise DomainError(
            _("Keep the note under %(n)s characters.") % {"n": ACTION_NOTE_MAX_CHARS},
            field="note",
        )
    drop_reason = " ".join(drop_reason.split())
    if status == ActionPointStatus.DROPPED and not drop_reason:
        raise DomainError(_("Say why the action is dropped."), field="drop_reason")
    if len(drop_reason) > 500:
        raise DomainError(_("Keep the reason under 500 characters."), field="drop_reason")
    with transaction.atomic():
        row = ActionPoint.objects.select_for_update().get(pk=action.pk)
        changed = row.status != status
        if not changed and not note and drop_reason == row.drop_reason:
            raise DomainError(_("Nothing changed: choose another status or write a note."))
        if changed:
            row.status = status
            row.done_at = timezone.now() if status == ActionPointStatus.DONE else None
            row.drop_reason = drop_reason if status == ActionPointStatus.DROPPED else ""
            set_history_user(row, by)
            row.save(update_fields=["status", "done_at", "drop_reason", "updated_at"])
        elif status == ActionPointStatus.DROPPED and drop_reason != row.drop_reason:
            row.drop_reason = drop_reason
            set_history_user(row, by)
            row.save(update_fields=["drop_reason", "updated_at"])
        if note or changed:
            ActionNote.objects.create(
                action=row,
                body=note,
                status=status if changed else "",
                author=by if by is not None and by.is_authenticated else None,
                organization_id=organization_id,
            )
    action.status, action.done_at, action.drop_reason = row.status, row.done_at, row.drop_reason
    return row


def overdue_actions(today: date):
    return (
        ActionPoint.objects.filter(status__in=ACTION_POINT_PENDING, due__lt=today)
        .select_related("network", "owner", "meeting")
        .order_by("network__short_name", "due", "pk")
    )


def overdue_reminders(*, today: date) -> list[Reminder]:
    """Each overdue action, to its owner agency's focal points (its
    principal when it has none): once per action and due date."""
    from django.conf import settings

    reminders = []
    for point in overdue_actions(today):
        url = settings.SITE_URL + reverse("meetings:action", args=[point.pk])
        for recipient in agency_contacts(
            organization_id=point.owner_id, network_id=point.network_id
        ):
            reminders.append(
                Reminder(
                    to=recipient,
                    dedupe_key=dedupe_key(
                        "action", point.pk, "overdue", point.due.isoformat(), email=recipient.email
                    ),
                    subject=_("%(network)s: an action of %(agency)s was due on %(due)s")
                    % {
                        "network": point.network.short_name,
                        "agency": point.owner.acronym,
                        "due": point.due.isoformat(),
                    },
                    template="meetings/email/action_overdue.txt",
                    context={"point": point, "recipient": recipient, "url": url},
                )
            )
    return reminders


def overdue_reminders_send(*, today: date) -> int:
    return reminders_run(overdue_reminders, today, label="actions")
