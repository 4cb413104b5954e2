"""Reminders by e-mail: convene the quarter's regular meeting, answer an
invitation before the meeting, circulate overdue minutes.

Each job works out who should hear what on a given day and queues one
outbox message per recipient and occasion (notifications.outbox.email_queue).
The outbox's unique `dedupe_key` is the sent-log: a job run twice, retried,
or run by hand (`manage.py send_reminders`) queues nothing new. A worker
sends each message after commit through notifications.tasks.send_email,
which retries a failed send with backoff; when the broker or the workers
are down the message waits in the outbox and the periodic flush sends it.

Who is the chair: the focal points of the agency holding the chair term
(its principal when it has no focal point), or of the coordinator for a
network governed by one. The secretariat: the users granted the role for
the network or for every network.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from members.models import Governance, Membership, Network, Person, PersonLevel
from notifications.models import OutboundEmail
from notifications.outbox import email_queue

from ..models import Meeting, MeetingStatus, MinutesStatus, Participant, Response

log = logging.getLogger(__name__)

# Invitations can still be answered in these states (schedule.participant_respond).
ANSWERABLE = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_CIRCULATED)
# Minutes due longer ago than this are not chased: without a limit the first
# run after deployment would write about every old meeting.
MINUTES_LOOKBACK_DAYS = 90
DEDUPE_KEY_LENGTH = 200  # notifications.OutboundEmail.dedupe_key


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""


@dataclass
class Reminder:
    """One message to write: rendered only if its occasion is new."""

    to: Recipient
    dedupe_key: str
    subject: str
    template: str
    context: dict = field(default_factory=dict)


# --- dates -------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    """The start of `day` in the site's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def quarter_of(day: date) -> tuple[date, date, str]:
    """First day of the quarter holding `day`, first day of the next, and its label."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, end, f"Q{(first_month - 1) // 3 + 1} {day.year}"


# --- who -------------------------------------------------------------------------------


def _unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    """One recipient per address, whatever its case."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        email = recipient.email.strip().lower()
        if email and email not in seen:
            seen[email] = Recipient(email=email, name=recipient.name)
    return list(seen.values())


def agency_contacts(*, organization_id: int, network_id: int) -> list[Recipient]:
    """The agency's focal points for this network (its principal when it has none)."""
    people = list(
        Person.objects.filter(
            Q(network__isnull=True) | Q(network_id=network_id),
            organization_id=organization_id,
            is_active=True,
            level__in=[PersonLevel.FOCAL_POINT, PersonLevel.PRINCIPAL],
        ).order_by("name")
    )
    chosen = [p for p in people if p.level == PersonLevel.FOCAL_POINT] or people
    return [Recipient(email=p.email, name=p.name) for p in chosen]


def chair_organization_id(network: Network, on: date) -> int | None:
    """The coordinator, or the agency holding the chair term on that day."""
    if network.governance == Governance.COORDINATOR:
        return network.coordinator_id
    return (
        network.chair_terms.filter(start__lte=on, end__gte=on)
        .values_list("organization_id", flat=True)
        .first()
    )


def secretariat_recipients(*, network_id: int) -> list[Recipient]:
    users = (
        User.objects.filter(
            Q(role_grants__network_id=network_id) | Q(role_grants__network__isnull=True),
            role_grants__role=Role.SECRETARIAT,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )
    return [Recipient(email=u.email, name=u.get_full_name()) for u in users]


def chair_and_secretariat(
    *, network: Network, on: date, chair_org_id: int | None = None
) -> list[Recipient]:
    chair_org_id = chair_org_id or chair_organization_id(network, on)
    chair = (
        agency_contacts(organization_id=chair_org_id, network_id=network.pk) if chair_org_id else []
    )
    return _unique([*chair, *secretariat_recipients(network_id=network.pk)])


# --- the occasions -----------------------------------------------------------------------


def dedupe_key(*parts: object, email: str) -> str:
    """kind:occasion…:recipient. An address too long for the column is
    hashed rather than cut, so two recipients never share a key."""
    prefix = ":".join(str(p) for p in parts)
    key = f"{prefix}:{email}"
    if len(key) > DEDUPE_KEY_LENGTH:
        key = f"{prefix}:{hashlib.sha256(email.encode()).hexdigest()}"
    return key


def _url(path: str) -> str:
    return settings.SITE_URL + path


def quarterly_reminders(*, today: date) -> list[Reminder]:
    """For each network with current members and no regular meeting (not
    cancelled) in the quarter of `today`: the chair and the secretariat are
    asked to convene one. Once per network, quarter and recipient."""
    start, end, label = quarter_of(today)
    covered = (
        Meeting.objects.regular()
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(start__gte=_midnight(start), start__lt=_midnight(end))
        .values("network_id")
    )
    active = Membership.objects.current(today).values("network_id")
    networks = Network.objects.filter(pk__in=active).exclude(pk__in=covered).order_by("name")
    reminders = []
    for network in networks:
        context = {
            "network": network,
            "quarter": label,
            "quarter_start": start,
            "quarter_last_day": end - timedelta(days=1),
            "new_url": _url(reverse("meetings:create", args=[network.slug])),
            "plan_url": _url(reverse("meetings:plan_year", args=[network.slug])),
        }
        for recipient in chair_and_secretariat(network=network, on=today):
            reminders.append(
                Reminder(
                    to=recipient,
                    dedupe_key=dedupe_key(
                        "reminder:quarterly",
                        network.pk,
                        label.replace(" ", "-"),
                        email=recipient.email,
                    ),
                    subject=_("%(network)s: no regular meeting is planned for %(quarter)s")
                    % {"network": network.short_name, "quarter": label},
                    template="meetings/email/reminder_quarterly.txt",
                    context={**context, "recipient": recipient},
                )
            )
    return reminders


def meeting_reminders(*, today: date, days: int | None = None) -> list[Reminder]:
    """Invitations still unanswered for meetings starting within `days`
    (MEETING_REMINDER_DAYS_BEFORE) of `today`, and not started yet. The
    meeting's start is part of the occasion: a meeting that moves is
    reminded again for its new date; a cancelled one is not reminded."""
    days = settings.MEETING_REMINDER_DAYS_BEFORE if days is None else days
    window_start = max(timezone.now(), _midnight(today))
    window_end = _midnight(today + timedelta(days=days + 1))
    participants = list(
        Participant.objects.filter(
            response=Response.PENDING,
            meeting__status__in=ANSWERABLE,
            meeting__start__gte=window_start,
            meeting__start__lt=window_end,
        )
        .select_related("meeting__network", "person", "organization")
        .order_by("meeting__start", "pk")
    )
    # An invitation naming no person goes to the agency's focal points.
    agencies = {p.organization_id for p in participants if p.person_id is None}
    focal_points: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        organization_id__in=agencies, level=PersonLevel.FOCAL_POINT, is_active=True
    ).order_by("name"):
        focal_points.setdefault(person.organization_id, []).append(person)

    reminders = []
    for participant in participants:
        meeting = participant.meeting
        if participant.person_id is not None:
            people = [participant.person] if participant.person.is_active else []
        else:
            people = [
                p
                for p in focal_points.get(participant.organization_id, [])
                if p.network_id in (None, meeting.network_id)
            ]
        occasion = f"{meeting.start.astimezone(UTC):%Y%m%dT%H%MZ}"
        for recipient in _unique(Recipient(email=p.email, name=p.name) for p in people):
            reminders.append(
                Reminder(
                    to=recipient,
                    dedupe_key=dedupe_key(
                        "reminder:before", meeting.pk, occasion, email=recipient.email
                    ),
                    subject=_("Please answer: %(meeting)s, %(date)s")
                    % {"meeting": meeting.title, "date": date_format(meeting.local_start, "j M Y")},
                    template="meetings/email/reminder_before.txt",
                    context={
                        "recipient": recipient,
                        "meeting": meeting,
                        "participant": participant,
                        "answer_url": _url(reverse("meetings:respond", args=[participant.pk])),
                        "meeting_url": _url(meeting.get_absolute_url()),
                    },
                )
            )
    return reminders


def minutes_reminders(*, today: date, days: int | None = None) -> list[Reminder]:
    """Held meetings whose minutes are neither circulated nor approved (or do
    not exist) `days` (MINUTES_OVERDUE_DAYS) after the meeting: the chair
    of that meeting and the secretariat. Once per meeting and recipient."""
    days = settings.MINUTES_OVERDUE_DAYS if days is None else days
    # Ended on or before the day `days` ago.
    ended_before = _midnight(today - timedelta(days=days - 1))
    meetings = (
        Meeting.objects.filter(
            Q(minutes__isnull=True) | Q(minutes__status=MinutesStatus.DRAFT),
            status=MeetingStatus.HELD,
            end__lt=ended_before,
            end__gte=ended_before - timedelta(days=MINUTES_LOOKBACK_DAYS),
        )
        .select_related("network", "chair_term")
        .order_by("end")
    )
    reminders = []
    for meeting in meetings:
        # The chair of the meeting prepares its minutes, even after handing over.
        chair_org_id = meeting.chair_term.organization_id if meeting.chair_term else None
        recipients = chair_and_secretariat(
            network=meeting.network, on=meeting.local_start.date(), chair_org_id=chair_org_id
        )
        for recipient in recipients:
            reminders.append(
                Reminder(
                    to=recipient,
                    dedupe_key=dedupe_key("reminder:minutes", meeting.pk, email=recipient.email),
                    subject=_("Minutes overdue: %(meeting)s") % {"meeting": meeting.title},
                    template="meetings/email/reminder_minutes.txt",
                    context={
                        "recipient": recipient,
                        "meeting": meeting,
                        # Said as it is: more than `days` when a run was missed.
                        "days": (today - timezone.localtime(meeting.end).date()).days,
                        "meeting_url": _url(meeting.get_absolute_url()),
                    },
                )
            )
    return reminders


# --- queueing ----------------------------------------------------------------------------


def _already_queued(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        found.update(
            OutboundEmail.objects.filter(dedupe_key__in=keys[i : i + 500]).values_list(
                "dedupe_key", flat=True
            )
        )
    return found


def reminders_queue(reminders: list[Reminder]) -> int:
    """Queue the reminders whose occasion is new; returns how many. Each
    message commits on its own, so one bad address does not hold the rest,
    and is handed to a worker after that commit."""
    done = _already_queued(sorted({r.dedupe_key for r in reminders}))
    queued = 0
    for reminder in reminders:
        if reminder.dedupe_key in done:
            continue
        body = render_to_string(reminder.template, reminder.context)
        with transaction.atomic():
            email_queue(
                to=reminder.to.email,
                subject=reminder.subject,
                body=body,
                dedupe_key=reminder.dedupe_key,
            )
        done.add(reminder.dedupe_key)
        queued += 1
    return queued


def reminders_run(build: Callable[..., list[Reminder]], today: date, *, label: str) -> int:
    """Build a job's reminders for `today` and queue them (each once)."""
    # Recipients' languages are not known: the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        count = reminders_queue(build(today=today))
    log.info("%s.%s today=%s queued=%s", label, build.__name__, today, count)
    return count


def _run(build: Callable[..., list[Reminder]], today: date) -> int:
    return reminders_run(build, today, label="reminders")


def quarterly_reminders_send(*, today: date) -> int:
    return _run(quarterly_reminders, today)


def meeting_reminders_send(*, today: date) -> int:
    return _run(meeting_reminders, today)


def minutes_reminders_send(*, today: date) -> int:
    return _run(minutes_reminders, today)


# The jobs, by the name `manage.py send_reminders` and the tasks know them.
JOBS: dict[str, Callable[..., int]] = {
    "quarterly": quarterly_reminders_send,
    "before": meeting_reminders_send,
    "minutes": minutes_reminders_send,
}
