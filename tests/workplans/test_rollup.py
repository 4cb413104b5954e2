"""The roll-up of percent complete and status from activities to objectives,
to the workplan and to each lead agency: weighted, with the status rule of
workplans/rollup.py, checked against figures computed by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import factories as f
from tests.workplans import make_activity, make_objective, make_workplan
from workplans import rollup, selectors
from workplans.models import ActivityStatus as S

TODAY = date(2026, 6, 15)


@dataclass(frozen=True)
class Org:
    acronym: str


def act(status, percent=0, weight=1, end=date(2026, 12, 31), leads=()):
    return SimpleNamespace(
        status=status, percent_complete=percent, weight=Decimal(str(weight)), end=end, leads=leads
    )


def test_percent_is_weighted_by_weight():
    """(1×50 + 3×10) / 4 = 20 %."""
    result = rollup.rollup([act(S.ON_TRACK, 50, 1), act(S.AT_RISK, 10, 3)], TODAY)
    assert result.percent == 20.0
    assert result.weight == Decimal("4")
    assert result.count == 2


def test_equal_weights_by_default():
    """0, 50 and 100 with weight 1 each: 50 %."""
    result = rollup.rollup(
        [act(S.NOT_STARTED, 0), act(S.ON_TRACK, 50), act(S.COMPLETED, 100)], TODAY
    )
    assert result.percent == 50.0
    assert result.status == S.ON_TRACK


def test_a_completed_activity_counts_as_100():
    """Completed at 80 % and not started: (100 + 0) / 2 = 50 %, in progress."""
    result = rollup.rollup([act(S.COMPLETED, 80), act(S.NOT_STARTED, 0)], TODAY)
    assert result.percent == 50.0
    assert result.status == S.ON_TRACK


def test_a_quarter_of_the_weight_delayed_makes_it_delayed():
    """Weight 3 on track at 40 %, weight 1 delayed at 0: delayed share 1/4;
    percent (3×40 + 0) / 4 = 30."""
    result = rollup.rollup([act(S.ON_TRACK, 40, 3), act(S.DELAYED, 0, 1)], TODAY)
    assert result.status == S.DELAYED
    assert result.percent == 30.0


def test_a_small_delay_makes_it_at_risk():
    """Weight 4 on track, weight 1 delayed: delayed share 1/5 < 1/4."""
    result = rollup.rollup([act(S.ON_TRACK, 40, 4), act(S.DELAYED, 0, 1)], TODAY)
    assert result.status == S.AT_RISK


def test_any_activity_at_risk_makes_it_at_risk():
    result = rollup.rollup([act(S.ON_TRACK, 40, 9), act(S.AT_RISK, 0, 1)], TODAY)
    assert result.status == S.AT_RISK


def test_completed_only_when_all_are():
    assert rollup.rollup([act(S.COMPLETED, 100)] * 3, TODAY).status == S.COMPLETED
    assert rollup.rollup([act(S.COMPLETED, 100), act(S.ON_TRACK, 90)], TODAY).status == S.ON_TRACK


def test_not_started_when_none_started_or_empty():
    assert rollup.rollup([act(S.NOT_STARTED)] * 2, TODAY).status == S.NOT_STARTED
    empty = rollup.rollup([], TODAY)
    assert (empty.status, empty.percent, empty.count) == (S.NOT_STARTED, 0.0, 0)


def test_overdue_counts_ended_activities_not_completed():
    """Ended yesterday and on track: overdue; ended yesterday and completed,
    or ending today: not."""
    yesterday = TODAY - timedelta(days=1)
    result = rollup.rollup(
        [
            act(S.ON_TRACK, 50, end=yesterday),
            act(S.COMPLETED, 100, end=yesterday),
            act(S.ON_TRACK, 50, end=TODAY),
        ],
        TODAY,
    )
    assert result.overdue == 1


def test_the_bar_shows_100_only_when_completed():
    result = rollup.rollup([act(S.COMPLETED, 100, 999), act(S.ON_TRACK, 0, 1)], TODAY)
    assert result.percent == 99.9
    assert result.percent_int == 99


def test_by_lead_counts_a_joint_activity_for_each_lead():
    """IOM leads A (weight 2, 60 %, on track) and B (weight 1, 30 %, delayed,
    jointly with ILO); ILO leads B and C (weight 4, completed).
    IOM: (2×60 + 30) / 3 = 50 %, delayed share 1/3 → delayed.
    ILO: (30 + 4×100) / 5 = 86 %, delayed share 1/5 → at risk."""
    iom, ilo = Org("IOM"), Org("ILO")
    a = act(S.ON_TRACK, 60, 2, leads=(iom,))
    b = act(S.DELAYED, 30, 1, leads=(iom, ilo))
    c = act(S.COMPLETED, 100, 4, leads=(ilo,))
    rows = rollup.by_lead([a, b, c], TODAY, leads=lambda x: x.leads)
    assert [org.acronym for org, _ in rows] == ["ILO", "IOM"]
    by = {org.acronym: r for org, r in rows}
    assert (by["IOM"].percent, by["IOM"].status, by["IOM"].count) == (50.0, S.DELAYED, 2)
    assert (by["ILO"].percent, by["ILO"].status, by["ILO"].count) == (86.0, S.AT_RISK, 2)


@pytest.mark.django_db
def test_objective_workplan_and_leads_on_the_page(network, agency_a, agency_b):
    """Objective 1: A1 (weight 1, 100 %, completed, AAA) and A2 (weight 3,
    20 %, at risk, BBB) → (100 + 60) / 4 = 40 %, at risk.
    Objective 2: B1 (weight 2, 0 %, delayed, AAA) → 0 %, delayed.
    Plan: (100 + 60 + 0) / 6 = 26.7 %; delayed share 2/6 → delayed.
    AAA: A1 and B1: (100 + 0) / 3 = 33.3 %, delayed share 2/3 → delayed.
    BBB: A2: 20 %, at risk."""
    workplan = make_workplan(network)
    one, two = make_objective(workplan, "1"), make_objective(workplan, "2")
    make_activity(one, "1.1", leads=[agency_a], status=S.COMPLETED, percent=100, weight=1)
    make_activity(one, "1.2", leads=[agency_b], status=S.AT_RISK, percent=20, weight=3)
    make_activity(two, "2.1", leads=[agency_a], status=S.DELAYED, percent=0, weight=2)

    page = selectors.plan_page(workplan=workplan, shown_ids=None, today=timezone.localdate())

    first, second = page.blocks
    assert (first.rollup.percent, first.rollup.status) == (40.0, S.AT_RISK)
    assert (second.rollup.percent, second.rollup.status) == (0.0, S.DELAYED)
    assert (page.rollup.percent, page.rollup.status) == (26.7, S.DELAYED)
    leads = {org.acronym: r for org, r in page.leads}
    assert (leads["AAA"].percent, leads["AAA"].status) == (33.3, S.DELAYED)
    assert (leads["BBB"].percent, leads["BBB"].status) == (20.0, S.AT_RISK)


@pytest.mark.django_db
def test_rolling_up_prefetched_activities_costs_no_query(
    network, agency_a, django_assert_num_queries
):
    """The roll-up functions read what is in memory: 0 queries for 30 activities."""
    workplan = make_workplan(network)
    objective = make_objective(workplan)
    for i in range(30):
        make_activity(objective, f"1.{i}", leads=[agency_a, f.OrganizationFactory()])
    activities = list(selectors.plan_activities(workplan))
    with django_assert_num_queries(0):
        rollup.rollup(activities, TODAY)
        rollup.by_lead(activities, TODAY)


@pytest.mark.django_db
def test_the_timeline_places_bars_by_date(network, agency_a):
    """A plan of one year: an activity of the second half starts half-way
    (181 of 365 days in a common year) and the today line is where today is."""
    workplan = make_workplan(network, start_year=2027, end_year=2027)
    objective = make_objective(workplan)
    make_activity(
        objective, "1.1", leads=[agency_a], start=date(2027, 7, 1), end=date(2027, 12, 31)
    )
    page = selectors.plan_page(workplan=workplan, shown_ids=None, today=date(2027, 4, 1))
    rows = page.timeline.rows
    assert [r.kind for r in rows] == ["objective", "activity"]
    assert float(rows[1].left) == pytest.approx(181 / 365 * 100, abs=0.001)
    assert float(rows[1].left) + float(rows[1].width) == pytest.approx(100, abs=0.001)
    assert [q[0] for q in page.timeline.quarters] == ["Q1", "Q2", "Q3", "Q4"]
    assert float(page.timeline.today) == pytest.approx(90.5 / 365 * 100, abs=0.001)
    # today outside the plan's years: no line
    page = selectors.plan_page(workplan=workplan, shown_ids=None, today=date(2026, 4, 1))
    assert page.timeline.today is None


@pytest.mark.django_db
def test_a_filtered_timeline_keeps_the_objective_bar_whole(network, agency_a, agency_b):
    """With one activity of two shown, the objective's bar still spans all of
    its activities, as its roll-up covers them all."""
    workplan = make_workplan(network, start_year=2027, end_year=2027)
    objective = make_objective(workplan)
    make_activity(objective, "1.1", leads=[agency_a], start=date(2027, 1, 1), end=date(2027, 3, 31))
    shown = make_activity(
        objective, "1.2", leads=[agency_b], start=date(2027, 7, 1), end=date(2027, 12, 31)
    )
    page = selectors.plan_page(workplan=workplan, shown_ids={shown.pk}, today=date(2027, 4, 1))
    bar, row = page.timeline.rows
    assert (bar.kind, bar.start, bar.end) == ("objective", date(2027, 1, 1), date(2027, 12, 31))
    assert float(bar.left) == 0
    assert row.code == "1.2"
    assert page.selection.count == 1 and page.rollup.count == 2
