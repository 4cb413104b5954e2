"""Who has not reported yet: for a workplan and a quarter, the agencies with
activities due (`progress.active_in`) and no update for it (`updated_in`),
and the one reminder the secretariat may send each of them.

One update per activity and quarter is enough, whichever of its lead and
partner agencies logs it: an agency has "not reported" on an activity when
the activity has no update for the quarter, and every lead and partner of
such an activity is listed for it.

The reminder is a digest: one e-mail per reporting person of the agency
(its current focal points and alternates for the network, as the quarterly
reminders choose them: `reminders.reporters`), listing all the agency's
missing activities of the workplan. It goes once per workplan, quarter and
agency: `ProgressReminderSent` (unique on the four) records who sent it and
when, and each message's outbox `dedupe_key` is unique per recipient too,
so a double click or two secretaries at once send one set of messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError
from members.models import Organization, Person
from notifications.outbox import email_queue

from ..models import Activity, ProgressReminderSent, ProgressUpdate, Workplan, WorkplanStatus
from ..selectors import sort_activities
from .progress import Period, active_in, updated_in
from .reminders import progress_key, reporters

# --- the quarters of a workplan ----------------------------------------------------------

_SLUG = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_period(value: str) -> Period | None:
    """A period as `Period.slug` writes it ("2026-Q4"); None when it is not one."""
    match = _SLUG.match((value or "").strip().upper())
    return Period(int(match[1]), int(match[2])) if match else None


def workplan_periods(workplan: Workplan, *, today: date | None = None) -> list[Period]:
    """The workplan's quarters that have started, newest first."""
    last = min(Period.of(today or timezone.localdate()), Period(workplan.end_year, 4))
    period, periods = Period(workplan.start_year, 1), []
    while period <= last:
        periods.append(period)
        period = period.next()
    return periods[::-1]


def default_period(workplan: Workplan, *, today: date | None = None) -> Period | None:
    """The current quarter, or the workplan's last one when it has ended;
    None when the workplan has not started yet."""
    periods = workplan_periods(workplan, today=today)
    return periods[0] if periods else None


# --- the reads ---------------------------------------------------------------------------


def missing_activities(workplan: Workplan, period: Period) -> QuerySet[Activity]:
    """The workplan's activities due in `period` with no update for it."""
    return (
        Activity.objects.filter(objective__workplan=workplan)
        .filter(active_in(period))
        .exclude(updated_in(period))
    )


def not_reported_agency_count(workplan: Workplan, period: Period) -> int:
    """How many agencies lead or partner in an activity of the workplan due
    in `period` and not reported: one query."""
    missing = missing_activities(workplan, period)
    leads = Activity.lead_organizations.through.objects.filter(
        organization_id=OuterRef("pk"), activity__in=missing
    )
    partners = Activity.partner_organizations.through.objects.filter(
        organization_id=OuterRef("pk"), activity__in=missing
    )
    return Organization.objects.filter(Exists(leads) | Exists(partners)).count()


@dataclass
class MissingActivity:
    activity: Activity
    role: str  # "lead" or "partner"
    last: Period | None  # the latest quarter reported on, if any


@dataclass
class AgencyRow:
    organization: Organization
    activities: list[MissingActivity] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)  # who the reminder goes to
    sent: ProgressReminderSent | None = None

    @property
    def may_remind(self) -> bool:
        return bool(self.people) and self.sent is None


@dataclass
class NotReported:
    workplan: Workplan
    period: Period
    agencies: list[AgencyRow]
    activity_count: int  # distinct activities (one may concern several agencies)


def not_reported(
    workplan: Workplan, period: Period, *, organization_id: int | None = None
) -> NotReported:
    """The agencies that have not reported on the workplan's activities due
    in `period` (only `organization_id`, when given), by acronym, each with
    its activities in the page's order, its reporting people and the
    reminder already sent. Five queries, whatever the number of rows:
    activities (with their latest period), leads, partners, people, reminders."""
    latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by(
        "-year", "-quarter", "-created_at", "-pk"
    )
    activities = sort_activities(
        list(
            missing_activities(workplan, period)
            .select_related("objective")
            .prefetch_related("lead_organizations", "partner_organizations")
            .annotate(
                last_year=Subquery(latest.values("year")[:1]),
                last_quarter=Subquery(latest.values("quarter")[:1]),
            )
        )
    )
    rows: dict[int, AgencyRow] = {}
    for activity in activities:
        last = (
            Period(activity.last_year, activity.last_quarter)
            if activity.last_year and activity.last_quarter
            else None
        )
        leads = list(activity.lead_organizations.all())
        lead_ids = {o.pk for o in leads}
        partners = [o for o in activity.partner_organizations.all() if o.pk not in lead_ids]
        for organization, role in [
            *((o, "lead") for o in leads),
            *((o, "partner") for o in partners),
        ]:
            if organization_id is not None and organization.pk != organization_id:
                continue
            row = rows.setdefault(organization.pk, AgencyRow(organization=organization))
            row.activities.append(MissingActivity(activity=activity, role=role, last=last))
    people = reporters(set(rows), network_id=workplan.network_id) if rows else {}
    sent = (
        {
            r.organization_id: r
            for r in ProgressReminderSent.objects.filter(
                workplan=workplan,
                year=period.year,
                quarter=period.quarter,
                organization_id__in=list(rows),
            ).select_related("sent_by")
        }
        if rows
        else {}
    )
    for org_id, row in rows.items():
        row.people = people.get(org_id, [])
        row.sent = sent.get(org_id)
    return NotReported(
        workplan=workplan,
        period=period,
        agencies=sorted(rows.values(), key=lambda r: r.organization.acronym.lower()),
        activity_count=len(activities)
        if organization_id is None
        else len({m.activity.pk for r in rows.values() for m in r.activities}),
    )


# --- the reminder ------------------------------------------------------------------------


def _url(path: str) -> str:
    return settings.SITE_URL + path


def status_problem(workplan: Workplan) -> str | None:
    """Why a workplan has nobody to remind, whatever the quarter, or None."""
    if workplan.status == WorkplanStatus.DRAFT:
        return _("This workplan is a draft: a draft workplan takes no progress yet.")
    if workplan.status == WorkplanStatus.CLOSED:
        return _("This workplan is closed: it takes no more progress, and no reminders are sent.")
    return None


def monitor_problem(workplan: Workplan, period: Period, *, today: date | None = None) -> str | None:
    """Why the workplan's not-reported list (and its reminders) cannot be
    shown for `period`, or None."""
    problem = status_problem(workplan)
    if problem:
        return problem
    if period not in workplan_periods(workplan, today=today):
        return _("%(period)s is not a quarter of this workplan that has started.") % {
            "period": period
        }
    return None


def digest_send(
    *,
    workplan: Workplan,
    period: Period,
    organization: Organization,
    by,
    today: date | None = None,
) -> tuple[ProgressReminderSent, bool]:
    """Remind `organization`'s reporting people of every activity of the
    workplan it has not reported on for `period`: one e-mail each, queued
    in the outbox. Returns the record and whether it was sent now (False:
    it had been sent already, by this call's twin or earlier)."""
    problem = monitor_problem(workplan, period, today=today)
    if problem:
        raise DomainError(problem)
    page = not_reported(workplan, period, organization_id=organization.pk)
    row = page.agencies[0] if page.agencies else None
    if row is None:
        raise DomainError(
            _("%(agency)s has nothing left to report for %(period)s in this workplan.")
            % {"agency": organization.acronym, "period": period}
        )
    if row.sent is not None:
        return row.sent, False
    if not row.people:
        raise DomainError(
            _(
                "%(agency)s has no focal point or alternate with an e-mail address for this "
                "network: add one on the agency's page first."
            )
            % {"agency": organization.acronym}
        )
    network = workplan.network
    count = len(row.activities)
    context = {
        "workplan": workplan,
        "network": network,
        "organization": organization,
        "period": period,
        "due": period.last_day,
        "missing": [
            {
                "activity": m.activity,
                "role": m.role,
                "last": m.last,
                "log_url": _url(reverse("workplans:progress_log", args=[m.activity.pk])),
            }
            for m in row.activities
        ],
        "mine_url": _url(reverse("workplans:mine")),
        "import_url": _url(reverse("workplans:progress_import")),
    }
    with transaction.atomic():
        record, created = ProgressReminderSent.objects.get_or_create(
            workplan=workplan,
            year=period.year,
            quarter=period.quarter,
            organization=organization,
            defaults={
                "sent_by": by if by is not None and by.is_authenticated else None,
                "recipients": len(row.people),
            },
        )
        if not created:
            return record, False
        # Recipients' languages are not known: the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            subject = ngettext(
                "%(network)s: %(agency)s has not reported on %(n)s activity for %(period)s",
                "%(network)s: %(agency)s has not reported on %(n)s activities for %(period)s",
                count,
            ) % {
                "network": network.short_name,
                "agency": organization.acronym,
                "n": count,
                "period": period,
            }
            for person in row.people:
                email = person.email.strip().lower()
                email_queue(
                    to=email,
                    subject=subject,
                    body=render_to_string(
                        "workplans/email/progress_digest.txt", {**context, "recipient": person}
                    ),
                    dedupe_key=progress_key("digest", workplan.pk, organization.pk, period, email),
                )
    return record, True


def monitor_link(workplan: Workplan, *, today: date | None = None) -> dict | None:
    """For the workplan page: the default quarter and how many agencies have
    not reported on it (one query), or None when the workplan takes no
    progress (draft, closed) or has not started."""
    if workplan.status != WorkplanStatus.APPROVED:
        return None
    period = default_period(workplan, today=today)
    if period is None:
        return None
    return {"period": period, "agencies": not_reported_agency_count(workplan, period)}
