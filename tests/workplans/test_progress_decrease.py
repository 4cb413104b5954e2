"""Progress that goes down: 60% logged after 80% asks the reporter to say
why (their confirmation); the service, the form and the spreadsheet import
refuse a lower figure without a reason, the update keeps the reason and the
figure it went down from, and the chart and the history say so."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.errors import DomainError
from members.roles import build_actor
from workplans.charts import progress_chart
from workplans.models import ActivityStatus, Objective, ProgressUpdate
from workplans.services import progress
from workplans.services.progress import Period

from .test_progress import _csv, _import, log_data, make_activity, make_workplan

pytestmark = pytest.mark.django_db

NOW = Period.current()
BEFORE = NOW.previous()
REASON = "The Q2 figure counted workshops that were postponed."


@pytest.fixture
def activity(network, agency_a):
    objective = Objective.objects.create(
        workplan=make_workplan(network), code="1", title="Evidence and data"
    )
    return make_activity(objective, "1.1", leads=[agency_a])


def log(activity, user, org, *, period=NOW, percent=40, reason="", status=None):
    return progress.progress_log(
        activity=activity,
        actor=build_actor(user),
        organization=org,
        period=period,
        percent_complete=percent,
        status=status or ActivityStatus.ON_TRACK,
        narrative="Work in the quarter.",
        decrease_reason=reason,
        by=user,
    )


# --- the rule, in the service ---------------------------------------------------------------


def test_a_lower_figure_without_a_reason_is_refused_and_changes_nothing(
    activity, focal_a, agency_a
):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)

    with pytest.raises(DomainError) as refused:
        log(activity, focal_a, agency_a, percent=60)

    assert refused.value.field == "decrease_reason"
    assert f"from 80% ({BEFORE}) to 60%" in refused.value.message
    assert ProgressUpdate.objects.count() == 1
    activity.refresh_from_db()
    assert activity.percent_complete == 80


def test_with_its_reason_the_lower_figure_is_logged_with_what_it_went_down_from(
    activity, focal_a, agency_a
):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)

    update = log(activity, focal_a, agency_a, percent=60, reason=f"  {REASON}  ")

    update.refresh_from_db()
    assert (update.decreased_from, update.decrease_reason) == (80, REASON)
    assert update.is_decrease
    activity.refresh_from_db()
    assert activity.percent_complete == 60


def test_a_correction_within_the_same_quarter_that_lowers_the_figure_needs_a_reason_too(
    activity, focal_a, agency_a
):
    log(activity, focal_a, agency_a, percent=50)
    with pytest.raises(DomainError):
        log(activity, focal_a, agency_a, percent=45)
    assert log(activity, focal_a, agency_a, percent=45, reason="Typo: 45, not 50.").is_decrease


def test_the_same_or_a_higher_figure_needs_no_reason_and_keeps_none(activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=40)

    same = log(activity, focal_a, agency_a, percent=40, reason="ignored")
    higher = log(activity, focal_a, agency_a, percent=55, reason="ignored")

    for update in (same, higher):
        update.refresh_from_db()
        assert (update.decreased_from, update.decrease_reason) == (None, "")


def test_a_quarter_logged_late_follows_the_quarter_before_it_not_the_newest(
    activity, focal_a, agency_a
):
    """An update for an earlier quarter is compared with what counted then."""
    earlier = BEFORE.previous()
    log(activity, focal_a, agency_a, period=NOW, percent=70)

    # Nothing was reported up to `earlier`: 20% goes down from nothing.
    first = log(activity, focal_a, agency_a, period=earlier, percent=20)
    assert not first.is_decrease
    # BEFORE follows `earlier` (20%): 10% is lower, 30% is not.
    with pytest.raises(DomainError):
        log(activity, focal_a, agency_a, period=BEFORE, percent=10)
    assert not log(activity, focal_a, agency_a, period=BEFORE, percent=30).is_decrease
    activity.refresh_from_db()
    assert activity.percent_complete == 70  # the latest quarter still counts


def test_reopening_a_completed_activity_is_a_decrease(activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=100, status=ActivityStatus.COMPLETED)
    with pytest.raises(DomainError):
        log(activity, focal_a, agency_a, percent=90)
    update = log(activity, focal_a, agency_a, percent=90, reason="The donor asked for a phase 2.")
    assert update.decreased_from == 100


def test_the_database_refuses_a_decrease_without_its_reason(activity, agency_a):
    values = dict(
        activity=activity,
        year=NOW.year,
        quarter=NOW.quarter,
        percent_complete=60,
        status=ActivityStatus.ON_TRACK,
        narrative="x",
        organization=agency_a,
    )
    for bad in ({"decreased_from": 80, "decrease_reason": ""}, {"decreased_from": 50}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgressUpdate.objects.create(**values, **bad)
    assert ProgressUpdate.objects.count() == 0


# --- the form -------------------------------------------------------------------------------


def test_the_form_asks_for_the_reason_then_logs_with_it(client, activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)
    client.force_login(focal_a)
    url = reverse("workplans:progress_log", args=[activity.pk])

    page = client.get(url)
    html = page.content.decode()
    # The box is hidden until a lower figure is typed (static/js/progress.js).
    assert 'id="decrease-reason" class="border border-warning rounded p-3 mb-3 d-none"' in html
    assert f"&quot;{BEFORE.year}-{BEFORE.quarter}&quot;: 80" in html
    assert "js/progress.js" in html

    asked = client.post(url, log_data(agency_a, percent_complete=60, narrative="Less done."))
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"Progress would go down from 80% ({BEFORE}) to 60%." in html
    assert 'class="border border-warning rounded p-3 mb-3"' in html  # shown, not d-none
    assert "Less done." in html  # what was typed is kept
    assert ProgressUpdate.objects.count() == 1

    done = client.post(
        url, log_data(agency_a, percent_complete=60, narrative="Less done.", decrease_reason=REASON)
    )
    assert done.status_code == 302
    update = ProgressUpdate.objects.latest("pk")
    assert (update.decreased_from, update.decrease_reason) == (80, REASON)


def test_a_too_long_reason_is_refused_on_the_form(client, activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)
    client.force_login(focal_a)
    response = client.post(
        reverse("workplans:progress_log", args=[activity.pk]),
        log_data(agency_a, percent_complete=60, decrease_reason="x" * 1001),
    )
    assert response.status_code == 200
    assert "at most 1000 characters" in response.content.decode()
    assert ProgressUpdate.objects.count() == 1


# --- the chart and the history --------------------------------------------------------------


def test_the_activity_page_marks_the_point_and_says_why(client, activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)
    log(activity, focal_a, agency_a, percent=60, reason=REASON)
    client.force_login(focal_a)

    html = client.get(activity.get_absolute_url()).content.decode()

    assert 'class="progress-decrease"' in html
    assert "▼1" in html
    assert "Progress went down once: the reason is under the chart." in html
    assert f"down from 80%: {REASON}" in html  # the point's title
    assert "Where progress went down" in html
    assert f"{NOW}: from 80% to 60% ({agency_a.acronym})." in html
    assert f"Down from 80%: {REASON}" in html  # the history table


def test_the_chart_numbers_the_decreases_in_time_order(activity, focal_a, agency_a):
    earlier = BEFORE.previous()
    log(activity, focal_a, agency_a, period=earlier, percent=50)
    log(activity, focal_a, agency_a, period=BEFORE, percent=40, reason="First.")
    log(activity, focal_a, agency_a, period=NOW, percent=30, reason="Second.")
    updates = progress.activity_updates(activity)

    svg = str(progress_chart(updates, first=earlier, last=NOW))

    assert svg.index("▼1") < svg.index("▼2")
    assert svg.index("First.") < svg.index("Second.")
    assert "Progress went down 2 times" in svg


# --- the spreadsheet import -----------------------------------------------------------------

HEADER = (
    "code", "title", "percent_complete", "status", "narrative", "evidence_url", "decrease_reason",
)  # fmt: skip


def test_an_import_row_that_lowers_the_figure_needs_its_reason(client, activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)
    client.force_login(focal_a)

    refused = _import(
        client, _csv([["1.1", "", "60", "on_track", "Less.", "", ""]], HEADER), agency_a
    )

    assert refused.status_code == 200
    errors = refused.context["check"].errors
    assert [(e.row, e.column, e.letter) for e in errors] == [(2, "decrease_reason", "G")]
    assert "say why in the decrease_reason column" in errors[0].message
    assert ProgressUpdate.objects.count() == 1

    done = _import(
        client, _csv([["1.1", "", "60", "on_track", "Less.", "", REASON]], HEADER), agency_a
    )

    assert done.status_code == 302
    update = ProgressUpdate.objects.latest("pk")
    assert (update.decreased_from, update.decrease_reason) == (80, REASON)


def test_an_older_file_without_the_column_is_told_to_add_it(client, activity, focal_a, agency_a):
    log(activity, focal_a, agency_a, period=BEFORE, percent=80)
    client.force_login(focal_a)

    refused = _import(client, _csv([["1.1", "", "60", "on_track", "Less.", ""]]), agency_a)

    assert "say why in the decrease_reason column" in refused.content.decode()
    assert ProgressUpdate.objects.count() == 1
