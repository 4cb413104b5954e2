"""Tests of the workplans app. The helpers below build workplans, objectives
and activities directly (not through the services) for the tests that read
them: the pages, the roll-up, the exports and the query budgets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils import timezone

from workplans.models import Activity, ActivityStatus, Objective, Workplan, WorkplanStatus


def this_year() -> int:
    return timezone.localdate().year


def make_workplan(network, *, status=WorkplanStatus.DRAFT, **extra) -> Workplan:
    year = this_year()
    values = {
        "network": network,
        "title": "Workplan",
        "start_year": year,
        "end_year": year,
        "status": status,
    }
    if status != WorkplanStatus.DRAFT:
        values.update(approved_on=date(year, 1, 15), approval_reference="Annual meeting")
    values.update(extra)
    return Workplan.objects.create(**values)


def make_objective(workplan, code="1", title=None, position=None) -> Objective:
    return Objective.objects.create(
        workplan=workplan,
        code=code,
        title=title or f"Objective {code}",
        position=position if position is not None else workplan.objectives.count() + 1,
    )


def make_activity(
    objective,
    code,
    *,
    leads: Iterable = (),
    partners: Iterable = (),
    start: date | None = None,
    end: date | None = None,
    status: str = ActivityStatus.NOT_STARTED,
    percent: int = 0,
    weight: str | int = 1,
    task_team=None,
    frameworks: Iterable = (),
    title: str | None = None,
) -> Activity:
    year = objective.workplan.start_year
    activity = Activity.objects.create(
        objective=objective,
        code=code,
        title=title or f"Activity {code}",
        start=start or date(year, 1, 1),
        end=end or date(objective.workplan.end_year, 12, 31),
        status=status,
        percent_complete=percent,
        weight=Decimal(str(weight)),
        task_team=task_team,
    )
    activity.lead_organizations.set(leads)
    activity.partner_organizations.set(partners)
    activity.framework_objectives.set(frameworks)
    return activity
