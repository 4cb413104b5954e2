"""The e-mails of a decision, each sent once through the outbox.

- opened (or revised and reopened): the member agencies of the deciding
  body are asked for their position, once per agency contact and version;
- reminders before the deadline (settings.DECISION_REMINDER_HOURS, 72 and
  24 hours by default) to the agencies with no position on the current
  version, once per agency, version and occasion;
- silence broken: the chair or coordinator and the secretariat, at once,
  once per objecting agency and version;
- the outcome: everyone concerned, once per outcome and version.

The outbox's unique `dedupe_key` is the sent-log (as for the meetings'
reminders, whose queueing this reuses): a job run twice, or a page and the
beat job closing the same decision, queue nothing new.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.timezones import zone_of
from meetings.services.reminders import (
    Recipient,
    Reminder,
    agency_contacts,
    chair_and_secretariat,
    dedupe_key,
    reminders_queue,
)

from ..models import Decision, DecisionStatus, Position
from ..selectors import body_agency_ids

log = logging.getLogger(__name__)


def _url(decision: Decision) -> str:
    return settings.SITE_URL + decision.get_absolute_url()


def _deadline_text(decision: Decision) -> str:
    if decision.deadline is None:
        return ""
    local = timezone.localtime(decision.deadline, zone_of(decision.network.time_zone))
    return f"{local:%Y-%m-%d %H:%M} ({decision.network.time_zone})"


def _context(decision: Decision, **extra) -> dict:
    return {
        "decision": decision,
        "network": decision.network,
        "url": _url(decision),
        "deadline": _deadline_text(decision),
        **extra,
    }


def _agency_recipients(decision: Decision, organization_ids) -> list[tuple[int, Recipient]]:
    out = []
    for organization_id in sorted(organization_ids):
        for recipient in agency_contacts(
            organization_id=organization_id, network_id=decision.network_id
        ):
            out.append((organization_id, recipient))
    return out


def _queue(reminders: list[Reminder]) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return reminders_queue(reminders)


def decision_opened_notify(decision: Decision) -> int:
    subject = _("%(network)s: your agency's position is asked on “%(title)s” by %(deadline)s") % {
        "network": decision.network.short_name,
        "title": decision.title,
        "deadline": _deadline_text(decision),
    }
    reminders = [
        Reminder(
            to=recipient,
            dedupe_key=dedupe_key(
                "decision", decision.pk, "opened", f"v{decision.version}", email=recipient.email
            ),
            subject=subject,
            template="decisions/email/opened.txt",
            context=_context(decision, recipient=recipient),
        )
        for _org, recipient in _agency_recipients(decision, body_agency_ids(decision))
    ]
    return _queue(reminders)


def silence_broken_notify(decision: Decision, position: Position) -> int:
    subject = _("%(network)s: %(agency)s objects to “%(title)s”") % {
        "network": decision.network.short_name,
        "agency": position.organization.acronym,
        "title": decision.title,
    }
    reminders = [
        Reminder(
            to=recipient,
            dedupe_key=dedupe_key(
                "decision",
                decision.pk,
                "objection",
                f"v{decision.version}",
                position.organization_id,
                email=recipient.email,
            ),
            subject=subject,
            template="decisions/email/objection.txt",
            context=_context(decision, recipient=recipient, position=position),
        )
        for recipient in chair_and_secretariat(network=decision.network, on=timezone.localdate())
    ]
    return _queue(reminders)


def decision_outcome_notify(decision: Decision) -> int:
    if decision.status == DecisionStatus.ADOPTED:
        subject = _("%(network)s: “%(title)s” is adopted (%(reference)s)")
    else:
        subject = _("%(network)s: no consensus on “%(title)s”")
    subject = subject % {
        "network": decision.network.short_name,
        "title": decision.title,
        "reference": decision.reference,
    }
    recipients = [r for _o, r in _agency_recipients(decision, body_agency_ids(decision))]
    recipients += chair_and_secretariat(network=decision.network, on=timezone.localdate())
    seen: set[str] = set()
    reminders = []
    for recipient in recipients:
        email = recipient.email.strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        reminders.append(
            Reminder(
                to=recipient,
                dedupe_key=dedupe_key(
                    "decision",
                    decision.pk,
                    "outcome",
                    decision.status,
                    f"v{decision.version}",
                    email=email,
                ),
                subject=subject,
                template="decisions/email/outcome.txt",
                context=_context(decision, recipient=recipient),
            )
        )
    return _queue(reminders)


def reminder_hours() -> list[int]:
    return sorted(getattr(settings, "DECISION_REMINDER_HOURS", (72, 24)))


def decision_reminders(*, now: datetime | None = None) -> list[Reminder]:
    """For each open decision, the nearest occasion whose time has come
    (72 or 24 hours before the deadline): the agencies of the body with no
    position on the current version."""
    now = now or timezone.now()
    hours = reminder_hours()
    if not hours:
        return []
    decisions = (
        Decision.objects.filter(
            status=DecisionStatus.OPEN,
            deadline__gt=now,
            deadline__lte=now + timedelta(hours=max(hours)),
        )
        .exclude(procedure="meeting")
        .select_related("network", "task_team")
        .order_by("deadline", "pk")
    )
    reminders = []
    for decision in decisions:
        left = decision.deadline - now
        occasion = next(h for h in hours if left <= timedelta(hours=h))
        answered = set(
            decision.positions.filter(version=decision.version).values_list(
                "organization_id", flat=True
            )
        )
        waiting = body_agency_ids(decision) - answered
        subject = _(
            "Reminder: %(network)s asks your agency's position on “%(title)s” by %(deadline)s"
        ) % {
            "network": decision.network.short_name,
            "title": decision.title,
            "deadline": _deadline_text(decision),
        }
        for organization_id, recipient in _agency_recipients(decision, waiting):
            reminders.append(
                Reminder(
                    to=recipient,
                    dedupe_key=dedupe_key(
                        "decision",
                        decision.pk,
                        f"remind-{occasion}h",
                        f"v{decision.version}",
                        organization_id,
                        email=recipient.email,
                    ),
                    subject=subject,
                    template="decisions/email/reminder.txt",
                    context=_context(decision, recipient=recipient, hours=occasion),
                )
            )
    return reminders


def decision_reminders_send(*, now: datetime | None = None) -> int:
    count = _queue(decision_reminders(now=now))
    log.info("decisions.reminders now=%s queued=%s", now, count)
    return count
