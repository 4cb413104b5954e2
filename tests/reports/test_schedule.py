"""The reports beat asks for by itself (reports/schedule.py): each on the
first day of its window, once however often beat runs in the window or on
the days after it, handed to a worker after the commit, and nothing on the
other days; a kind not registered yet is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.test import override_settings

from config.celery import app
from reports import builder, kinds, schedule, tasks
from reports.models import ReportBuild, ReportKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _run(days, capture):
    """Run the schedule on each day, as beat does; the hand-overs it made."""
    with mock.patch.object(builder, "queue") as queue:
        for day in days:
            with capture(execute=True):
                schedule.schedule_reports(day)
    return [c.args[0] for c in queue.call_args_list]


def _registered(kind: str) -> bool:
    return kind in {s.kind for s in kinds.available_kinds()}


@pytest.fixture
def term(network, agency_a):
    return f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2031, 1, 1), end=date(2031, 6, 30)
    )


def test_a_draft_chair_summary_two_weeks_before_the_term_ends_once(
    network, term, django_capture_on_commit_callbacks
):
    assert (
        _run(_days(date(2031, 6, 1), date(2031, 6, 15)), django_capture_on_commit_callbacks) == []
    )
    assert not ReportBuild.objects.exists()
    # Each day of the last two weeks, twice a day, and the days after.
    days = [d for d in _days(date(2031, 6, 16), date(2031, 7, 15)) for _twice in (1, 2)]
    handed = _run(days, django_capture_on_commit_callbacks)
    build = ReportBuild.objects.get()
    assert handed == [build.pk]
    assert build.kind == ReportKind.CHAIR_SUMMARY and build.subject_id == term.pk
    assert (build.period_start, build.period_end) == (term.start, term.end)
    assert build.occasion == "chair-summary:gtn:2031-01-01"
    assert build.title == "AAA chairmanship summary report"


def test_a_term_whose_window_beat_missed_in_part_is_caught_up(
    network, term, django_capture_on_commit_callbacks
):
    """Beat down until three days before the end: the draft is asked for then."""
    handed = _run([date(2031, 6, 27), date(2031, 6, 28)], django_capture_on_commit_callbacks)
    assert len(handed) == 1 and ReportBuild.objects.get().pk == handed[0]


def test_in_january_the_year_before_is_reported_on_once(
    network, agency_a, agency_b, django_capture_on_commit_callbacks
):
    agency_a.memberships.update(executive_committee=True)
    # Work recorded in 2030: a chair term.
    f.ChairTermFactory(
        network=network, organization=agency_b, start=date(2030, 1, 1), end=date(2030, 6, 30)
    )
    # A network with no executive committee and nothing recorded in 2030.
    f.NetworkFactory(slug="idle")
    # Not before January, nor after it.
    outside = [
        *_days(date(2030, 12, 1), date(2030, 12, 31)),
        *_days(date(2031, 2, 1), date(2031, 2, 28)),
    ]
    assert _run(outside, django_capture_on_commit_callbacks) == []
    assert not ReportBuild.objects.exists()
    days = [d for d in _days(date(2031, 1, 1), date(2031, 2, 28)) for _twice in (1, 2)]
    handed = _run(days, django_capture_on_commit_callbacks)
    update = ReportBuild.objects.get(kind=ReportKind.MEMBERSHIP_UPDATE)
    assert update.network == network and update.occasion == "membership-update:gtn:2030"
    assert (update.period_start, update.period_end) == (date(2030, 1, 1), date(2030, 12, 31))
    # The annual report is asked for too once its kind is registered.
    annual = list(ReportBuild.objects.filter(kind=ReportKind.ANNUAL))
    if _registered(ReportKind.ANNUAL):
        assert [(b.network.slug, b.occasion) for b in annual] == [("gtn", "annual:gtn:2030")]
    else:
        assert annual == []
    assert sorted(handed) == sorted(ReportBuild.objects.values_list("pk", flat=True))
    assert not ReportBuild.objects.filter(network__slug="idle").exists()


def test_a_kind_not_registered_is_skipped(
    network, agency_a, django_capture_on_commit_callbacks, monkeypatch
):
    agency_a.memberships.update(executive_committee=True)
    registered = dict(kinds._KINDS)
    registered.pop(ReportKind.MEMBERSHIP_UPDATE)
    monkeypatch.setattr(kinds, "_KINDS", registered)
    assert _run([date(2031, 1, 5)], django_capture_on_commit_callbacks) == []
    assert not ReportBuild.objects.filter(kind=ReportKind.MEMBERSHIP_UPDATE).exists()


@override_settings(REPORT_BIENNIAL_MONTH=3, REPORT_BIENNIAL_EVEN_YEARS=True)
def test_the_biennial_report_in_the_month_of_alternate_years_for_global_networks(
    network, agency_a, django_capture_on_commit_callbacks
):
    # Both networks recorded work in 2028-2029; only the global one reports.
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2029, 1, 1), end=date(2029, 6, 30)
    )
    region = f.NetworkFactory(slug="region", level="regional", parent=network)
    f.MembershipFactory(network=region, organization=agency_a, joined=date(2029, 3, 1))
    # Not in February, nor in the March of an odd year.
    assert (
        _run(_days(date(2030, 2, 1), date(2030, 2, 28)), django_capture_on_commit_callbacks) == []
    )
    assert (
        _run(_days(date(2031, 3, 1), date(2031, 3, 31)), django_capture_on_commit_callbacks) == []
    )
    days = [d for d in _days(date(2030, 3, 1), date(2030, 4, 30)) for _twice in (1, 2)]
    handed = _run(days, django_capture_on_commit_callbacks)
    build = ReportBuild.objects.get(kind=ReportKind.BIENNIAL)
    assert handed == [build.pk]
    assert build.network == network and build.occasion == "biennial:gtn:2028-2029"
    assert (build.period_start, build.period_end) == (date(2028, 1, 1), date(2029, 12, 31))
    assert build.title == "Report of the Global Test Network to the Secretary-General, 2028–2029"


@override_settings(REPORT_BIENNIAL_MONTH=10, REPORT_BIENNIAL_EVEN_YEARS=False)
def test_the_biennial_month_and_years_are_settings(
    network, agency_a, django_capture_on_commit_callbacks
):
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2030, 1, 1), end=date(2030, 6, 30)
    )
    assert schedule.biennial_due(date(2030, 10, 5)) is None
    assert schedule.biennial_due(date(2031, 3, 5)) is None
    assert schedule.biennial_due(date(2031, 10, 5)) == (date(2029, 1, 1), date(2030, 12, 31))
    handed = _run([date(2031, 10, 5), date(2031, 10, 6)], django_capture_on_commit_callbacks)
    assert len(handed) == 1
    assert ReportBuild.objects.get(kind=ReportKind.BIENNIAL).occasion == "biennial:gtn:2029-2030"


def test_nothing_outside_the_windows_in_a_whole_year(
    network, agency_a, term, django_capture_on_commit_callbacks
):
    """A year run day by day, February 2031 to January 2032 (no biennial due
    with the defaults): the chair's draft on 16 June, the update on 2031 on
    1 January, and nothing else."""
    agency_a.memberships.update(executive_committee=True)
    created_on = {}
    with mock.patch.object(builder, "queue"):
        for day in _days(date(2031, 2, 1), date(2032, 1, 31)):
            with django_capture_on_commit_callbacks(execute=True):
                for build in schedule.schedule_reports(day):
                    created_on[build.kind] = day
    assert created_on.pop(ReportKind.CHAIR_SUMMARY) == date(2031, 6, 16)
    assert created_on.pop(ReportKind.MEMBERSHIP_UPDATE) == date(2032, 1, 1)
    if _registered(ReportKind.ANNUAL):
        assert created_on.pop(ReportKind.ANNUAL) == date(2032, 1, 1)
    assert created_on == {}
    assert ReportBuild.objects.count() == 2 + _registered(ReportKind.ANNUAL)


def test_the_task_runs_the_schedule_for_today(network, term, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(schedule.timezone, "localdate", return_value=date(2031, 6, 20)),
        mock.patch.object(builder, "queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.schedule_reports() == 1
        assert tasks.schedule_reports() == 0
    queue.assert_called_once_with(ReportBuild.objects.get().pk)


def test_a_biennial_month_that_is_not_a_month_is_refused():
    env = {**os.environ, "REPORT_BIENNIAL_MONTH": "13", "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "REPORT_BIENNIAL_MONTH must be a month, from 1 to 12" in out.stderr


def test_the_annual_report_of_each_network_that_worked_that_year(
    network, other_network, django_capture_on_commit_callbacks, monkeypatch
):
    """With a stand-in annual kind registered (its own may come later): the
    network that recorded work in 2030 gets one, the idle one none."""
    registered = dict(kinds._KINDS)
    membership = registered[ReportKind.MEMBERSHIP_UPDATE]
    registered[ReportKind.ANNUAL] = kinds.KindSpec(
        kind=ReportKind.ANNUAL,
        template=membership.template,
        collect=membership.collect,
        title=lambda network, start, end, subject: f"Annual report {start.year}",
    )
    monkeypatch.setattr(kinds, "_KINDS", registered)
    f.MembershipFactory(network=network, joined=date(2030, 5, 1))  # a member joined
    handed = _run([date(2031, 1, 2), date(2031, 1, 3)], django_capture_on_commit_callbacks)
    annual = ReportBuild.objects.get(kind=ReportKind.ANNUAL)
    assert handed == [annual.pk]
    assert (annual.network, annual.occasion) == (network, "annual:gtn:2030")
    assert annual.title == "Annual report 2030"


def test_the_schedule_is_on_beat_daily_and_registered():
    entry = django_settings.CELERY_BEAT_SCHEDULE["reports-schedule"]
    assert entry["task"] == "reports.tasks.schedule_reports"
    assert entry["task"] in app.tasks
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].day_of_month == set(range(1, 32))
    assert len(entry["schedule"].hour) == 1 and len(entry["schedule"].minute) == 1
    assert 1 <= django_settings.REPORT_BIENNIAL_MONTH <= 12
