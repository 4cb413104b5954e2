"""Quarterly progress reporting by e-mail: ask for the quarter's update at
its start, remind near its end those whose activity still has none.

Who: the focal points and alternates (for the workplan's network, or for
every network) of each lead and partner agency of an active activity: its
workplan approved, the activity running in the quarter. One update per
activity and quarter is enough, whichever of its agencies logs it; an
activity with an update for the quarter is neither asked for nor reminded.

Each job queues one outbox message per agency, activity, quarter and
recipient (notifications.outbox.email_queue, through the meetings'
`reminders_queue`). The outbox's unique `dedupe_key` is the sent-log: a job
run twice, retried, or run by hand (`manage.py send_progress_reminders`)
queues nothing new. Workers send after commit; when the broker or the
workers are down the message waits in the outbox for the periodic flush.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.services.reminders import Recipient, Reminder, reminders_run
from members.models import Person, PersonLevel

from ..models import Activity
from .progress import Period, active_in, updated_in

log = logging.getLogger(__name__)

DEDUPE_KEY_LENGTH = 200  # notifications.OutboundEmail.dedupe_key
REPORTING_LEVELS = (PersonLevel.FOCAL_POINT, PersonLevel.ALTERNATE)


def progress_key(
    kind: str, record_id: int, organization_id: int, period: Period, email: str
) -> str:
    """progress:kind:record:agency:period:recipient, the record being the
    activity (or, for the digest of the "not reported yet" page, the
    workplan). An address too long for the column is hashed rather than
    cut, so two recipients never share a key."""
    prefix = f"progress:{kind}:{record_id}:{organization_id}:{period.slug}"
    key = f"{prefix}:{email}"
    if len(key) > DEDUPE_KEY_LENGTH:
        key = f"{prefix}:{hashlib.sha256(email.encode()).hexdigest()}"
    return key


def _url(path: str) -> str:
    return settings.SITE_URL + path


def active_without_update(period: Period) -> QuerySet[Activity]:
    """Activities of approved workplans running in `period` with no update for it."""
    return (
        Activity.objects.filter(active_in(period))
        .exclude(updated_in(period))
        .select_related("objective__workplan__network")
        .prefetch_related("lead_organizations", "partner_organizations")
        .order_by("objective__workplan__network__short_name", "objective__workplan", "code")
    )


def _reporters(organization_ids: set[int]) -> dict[int, list[Person]]:
    """The current focal points and alternates of these agencies, by agency."""
    people: dict[int, list[Person]] = defaultdict(list)
    for person in (
        Person.objects.filter(
            organization_id__in=organization_ids, is_active=True, level__in=REPORTING_LEVELS
        )
        .exclude(email="")
        .order_by("name", "pk")
    ):
        people[person.organization_id].append(person)
    return people


def for_network(people: list[Person], network_id: int) -> list[Person]:
    """Those of an agency's reporters (`reporters`) who report for this
    network (or for every network), one per address."""
    seen: set[str] = set()
    chosen = []
    for person in people:
        email = person.email.strip().lower()
        if person.network_id not in (None, network_id) or email in seen:
            continue
        seen.add(email)
        chosen.append(person)
    return chosen


def reporters(organization_ids: set[int], *, network_id: int) -> dict[int, list[Person]]:
    """The current focal points and alternates of these agencies who report
    for this network, by agency, one per address. One query."""
    return {
        org_id: for_network(people, network_id)
        for org_id, people in _reporters(organization_ids).items()
    }


def _progress_reminders(*, kind: str, period: Period, today: date) -> list[Reminder]:
    activities = list(active_without_update(period))
    agencies = {
        o.pk
        for a in activities
        for o in [*a.lead_organizations.all(), *a.partner_organizations.all()]
    }
    people_by_agency = _reporters(agencies)
    due = period.last_day
    reminders = []
    for activity in activities:
        workplan = activity.objective.workplan
        network = workplan.network
        leads = sorted(activity.lead_organizations.all(), key=lambda o: o.acronym)
        partners = sorted(
            (o for o in activity.partner_organizations.all() if o not in leads),
            key=lambda o: o.acronym,
        )
        context = {
            "activity": activity,
            "workplan": workplan,
            "network": network,
            "period": period,
            "due": due,
            "log_url": _url(reverse("workplans:progress_log", args=[activity.pk])),
            "activity_url": _url(activity.get_absolute_url()),
            "mine_url": _url(reverse("workplans:mine")),
            "import_url": _url(reverse("workplans:progress_import")),
        }
        for organization, role in [
            *((o, "lead") for o in leads),
            *((o, "partner") for o in partners),
        ]:
            for person in for_network(people_by_agency.get(organization.pk, []), network.pk):
                email = person.email.strip().lower()
                recipient = Recipient(email=email, name=person.name)
                subject = (
                    _("%(network)s: please log the progress of %(code)s for %(period)s")
                    if kind == "request"
                    else _("Reminder: the progress of %(code)s for %(period)s is due by %(due)s")
                ) % {
                    "network": network.short_name,
                    "code": activity.code,
                    "period": period,
                    "due": date_format(due, "j F"),
                }
                reminders.append(
                    Reminder(
                        to=recipient,
                        dedupe_key=progress_key(kind, activity.pk, organization.pk, period, email),
                        subject=subject,
                        template=f"workplans/email/progress_{kind}.txt",
                        context={
                            **context,
                            "recipient": recipient,
                            "organization": organization,
                            "role": role,
                            "days_left": (due - today).days + 1,
                        },
                    )
                )
    return reminders


def progress_requests(*, today: date) -> list[Reminder]:
    """The quarter of `today`: ask for each active activity's update."""
    return _progress_reminders(kind="request", period=Period.of(today), today=today)


def progress_missing_reminders(*, today: date, days: int | None = None) -> list[Reminder]:
    """In the last `days` (PROGRESS_REMINDER_DAYS_BEFORE_END) days of the
    quarter of `today`: remind for each active activity still without an
    update for it. Earlier in the quarter: nothing."""
    days = settings.PROGRESS_REMINDER_DAYS_BEFORE_END if days is None else days
    period = Period.of(today)
    if today < period.next().first_day - timedelta(days=days):
        return []
    return _progress_reminders(kind="missing", period=period, today=today)


def _run(build: Callable[..., list[Reminder]], today: date) -> int:
    return reminders_run(build, today, label="progress")


def progress_requests_send(*, today: date) -> int:
    return _run(progress_requests, today)


def progress_missing_send(*, today: date) -> int:
    return _run(progress_missing_reminders, today)


# The jobs, by the name `manage.py send_progress_reminders` and the tasks know them.
JOBS: dict[str, Callable[..., int]] = {
    "request": progress_requests_send,
    "missing": progress_missing_send,
}
