"""End to end, in a real browser: a focal point logs the quarter's progress on
an activity of an approved workplan, and the secretariat monitors it.

Screenshots of every step go to test-artifacts/screenshots/ (w01-… to w10-…).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import build_actor
from tests import factories as f
from tests.e2e.conftest import sign_in
from tests.e2e.test_application_flow import field, shot
from tests.e2e.test_meetings_flow import name_people
from tests.workplans import make_activity, make_objective, make_workplan, this_year
from workplans import selectors
from workplans.models import ActivityStatus, ProgressUpdate, WorkplanStatus
from workplans.services import progress
from workplans.services.progress import Period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PLAN = "Workplan of the Global Test Network"
NARRATIVE = (
    "The data portal's beta went live in two pilot countries; the third pilot "
    "slipped because the ministry has not signed the data-sharing agreement."
)
EVIDENCE = "https://example.org/reports/data-portal-q-report.pdf"
# The chart's geometry (workplans.charts): the y of a percent on the plot.
CHART_TOP, CHART_PLOT_H = 14, 260 - 14 - 44


def log_as(user, org, activity, period: Period, percent: int, status: str, narrative: str):
    """An earlier update, logged through the service as the page does."""
    return progress.progress_log(
        activity=activity,
        actor=build_actor(user),
        organization=org,
        period=period,
        percent_complete=percent,
        status=status,
        narrative=narrative,
        by=user,
    )


def earlier(period: Period, n: int) -> Period:
    for _ in range(n):
        period = period.previous()
    return period


def objective_rollup(workplan, objective) -> tuple[str, str]:
    """(percent, status label) of an objective's roll-up, as the page computes them."""
    page = selectors.plan_page(workplan=workplan, shown_ids=None, today=timezone.localdate())
    [block] = [b for b in page.blocks if b.objective.pk == objective.pk]
    return f"{block.rollup.percent:.0f}%", str(block.rollup.status_label)


def csv_rows(body: bytes) -> list[dict]:
    assert body.startswith("\ufeff".encode()), body[:10]
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


# --- the workplan ---------------------------------------------------------------------


@pytest.fixture
def plan(network, agency_a, agency_b, focal_a, focal_b):
    """An approved workplan of `network` for this year: two objectives, five
    activities; 1.1 (AAA) has updates of earlier quarters only, 1.2 (AAA) has
    one for this quarter already, AAA is a partner of 1.3, 2.2 is BBB's alone."""
    year = this_year()
    now = Period.current()
    workplan = make_workplan(network, status=WorkplanStatus.APPROVED, title=PLAN)
    data = make_objective(workplan, "1", "Better data on labour migration")
    cooperation = make_objective(workplan, "2", "Stronger regional cooperation")
    a11 = make_activity(
        data, "1.1", leads=[agency_a], title="Regional labour migration data portal"
    )
    a12 = make_activity(data, "1.2", leads=[agency_a], title="Training of statisticians")
    a13 = make_activity(
        data,
        "1.3",
        leads=[agency_b],
        partners=[agency_a],
        title="Survey of recruitment costs",
        status=ActivityStatus.ON_TRACK,
        percent=20,
    )
    a21 = make_activity(
        cooperation,
        "2.1",
        leads=[agency_a],
        title="Launch workshop of the network",
        start=date(year, 1, 1),
        end=date(year, 3, 31),
        status=ActivityStatus.COMPLETED,
        percent=100,
    )
    a22 = make_activity(
        cooperation,
        "2.2",
        leads=[agency_b],
        title="Joint policy brief on return",
        status=ActivityStatus.ON_TRACK,
        percent=50,
    )
    # 1.1: two earlier quarters (when the year allows), nothing for this one.
    for back, percent in ((2, 20), (1, 40)):
        period = earlier(now, back)
        if period.year == year:
            log_as(
                focal_a,
                agency_a,
                a11,
                period,
                percent,
                ActivityStatus.ON_TRACK,
                f"Portal work, {period}.",
            )
    a11.refresh_from_db()
    if not a11.updates.exists():  # the first quarter of the year: set the figures directly
        a11.status, a11.percent_complete = ActivityStatus.ON_TRACK, 40
        a11.save(update_fields=["status", "percent_complete"])
    # 1.2: already updated this quarter.
    log_as(
        focal_a,
        agency_a,
        a12,
        now,
        60,
        ActivityStatus.ON_TRACK,
        "Two trainings held this quarter.",
    )
    return {
        "workplan": workplan,
        "data": data,
        "cooperation": cooperation,
        "1.1": a11,
        "1.2": a12,
        "1.3": a13,
        "2.1": a21,
        "2.2": a22,
    }


# --- the test ---------------------------------------------------------------------------


def test_focal_point_logs_progress_and_the_secretariat_monitors_it(
    live_server,
    new_context,
    network,
    agency_a,
    agency_b,
    focal_a,
    focal_b,
    secretariat,
    plan,
    screenshot_dir,
):
    name_people(
        **{
            focal_a.email: ("Amina", "Diallo"),
            focal_b.email: ("Boris", "Novak"),
        }
    )
    now = Period.current()
    workplan, a11, a12 = plan["workplan"], plan["1.1"], plan["1.2"]
    assert (a11.status, a11.percent_complete) == (ActivityStatus.ON_TRACK, 40)
    before = objective_rollup(workplan, plan["data"])
    assert before == ("40%", "On track"), before

    # --- the focal point of agency A: the dashboard --------------------------------------
    focal = new_context().new_page()
    sign_in(focal, live_server, focal_a.email, f.PASSWORD)
    waiting = focal.locator(".card").filter(has=focal.get_by_text(f"Progress to log for {now}"))
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text("Regional labour migration data portal")
    expect(waiting).to_contain_text("Survey of recruitment costs")  # AAA is a partner
    expect(waiting).not_to_contain_text("Training of statisticians")  # updated already
    expect(waiting).not_to_contain_text("Joint policy brief on return")  # BBB's alone
    if now.quarter > 1:  # 2.1 ran in the first quarter only
        expect(waiting).not_to_contain_text("Launch workshop")
    shot(focal, screenshot_dir, "w01-focal-dashboard.png")

    waiting.get_by_role("listitem").filter(
        has_text="Regional labour migration data portal"
    ).get_by_role("link", name="Log progress").click()
    expect(focal).to_have_url(re.compile(rf"/activities/{a11.pk}/progress/new/$"))
    expect(focal.get_by_role("heading", level=1)).to_have_text("Log progress")
    expect(focal.locator("main")).to_contain_text("You report for AAA.")
    expect(field(focal, "Year")).to_have_value(str(now.year))
    expect(field(focal, "Quarter")).to_have_value(str(now.quarter))
    expect(field(focal, "Percent complete")).to_have_value("40")
    expect(field(focal, "Status")).to_have_value(ActivityStatus.ON_TRACK)
    shot(focal, screenshot_dir, "w02-progress-form.png")

    # --- bad input: 120 % ----------------------------------------------------------------
    field(focal, "Percent complete").fill("120")
    field(focal, "What was done in the quarter").fill(NARRATIVE)
    focal.get_by_role("button", name="Log progress").click()
    expect(field(focal, "Percent complete")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(focal.locator("#error_1_id_percent_complete")).to_contain_text(
        "less than or equal to 100"
    )
    expect(field(focal, "What was done in the quarter")).to_have_value(NARRATIVE)
    expect(field(focal, "Percent complete")).to_have_value("120")
    shot(focal, screenshot_dir, "w03-error-over-100.png")

    # --- bad input: completed at 40 % ----------------------------------------------------
    field(focal, "Percent complete").fill("40")
    field(focal, "Status").select_option(label="Completed")
    focal.get_by_role("button", name="Log progress").click()
    expect(focal.locator("#error_1_id_percent_complete")).to_contain_text(
        "A completed activity is at 100%"
    )
    expect(field(focal, "What was done in the quarter")).to_have_value(NARRATIVE)
    expect(field(focal, "Status")).to_have_value(ActivityStatus.COMPLETED)
    shot(focal, screenshot_dir, "w04-error-completed-at-40.png")
    assert not a11.updates.filter(year=now.year, quarter=now.quarter).exists()

    # --- a valid update ------------------------------------------------------------------
    field(focal, "Percent complete").fill("55")
    field(focal, "Status").select_option(label="At risk")
    field(focal, "Evidence (link)").fill(EVIDENCE)
    shot(focal, screenshot_dir, "w05-progress-filled.png")
    focal.get_by_role("button", name="Log progress").click()

    expect(focal).to_have_url(re.compile(rf"/activities/{a11.pk}/$"))
    expect(
        focal.get_by_text(f"Thank you: the progress of 1.1 for {now} is logged.")
    ).to_be_visible()
    header = focal.locator(".page-header")
    expect(header.locator(".badge")).to_have_text("At risk")
    expect(header).to_contain_text("55% complete")
    expect(focal.get_by_text(f"No progress is logged for {now} yet.")).to_have_count(0)
    newest = focal.locator("#progress-history tbody tr").first
    expect(newest).to_contain_text(str(now))
    expect(newest).to_contain_text("At risk")
    expect(newest.locator("td").nth(2)).to_have_text("55")
    expect(newest).to_contain_text("The data portal's beta went live")
    expect(newest).to_contain_text("Amina Diallo")
    expect(newest.get_by_role("link", name="link")).to_have_attribute("href", EVIDENCE)
    # The chart: an SVG with a point for the update, at 55 %, in this quarter's band.
    chart = focal.locator("svg#progress-chart")
    expect(chart).to_be_visible()
    point = chart.locator("circle.progress-point[data-status=at_risk]")
    expect(point).to_have_count(1)
    expect(point.locator("title")).to_have_text(f"{now} · 55% · At risk · AAA")
    cy = float(point.get_attribute("cy"))
    assert abs(cy - (CHART_TOP + CHART_PLOT_H * 0.45)) < 0.2, cy
    band = chart.locator("rect").filter(has=focal.locator("title", has_text="Current quarter"))
    x, width = float(band.get_attribute("x")), float(band.get_attribute("width"))
    assert x <= float(point.get_attribute("cx")) <= x + width
    focal.locator("#progress-heading").scroll_into_view_if_needed()
    shot(focal, screenshot_dir, "w06-activity-with-update.png")
    chart.screenshot(path=str(screenshot_dir / "w-chart.png"))  # close up, to look at

    update = ProgressUpdate.objects.get(activity=a11, year=now.year, quarter=now.quarter)
    assert (update.percent_complete, update.status, update.organization) == (
        55,
        ActivityStatus.AT_RISK,
        agency_a,
    )
    assert (update.evidence_url, update.reported_by) == (EVIDENCE, focal_a)
    a11.refresh_from_db()
    assert (a11.status, a11.percent_complete) == (ActivityStatus.AT_RISK, 55)

    # --- the secretariat monitors the workplan ------------------------------------------
    sec = new_context().new_page()
    sign_in(sec, live_server, secretariat.email, f.PASSWORD)
    sec.locator("nav").get_by_role("link", name="Workplans").click()
    expect(sec.get_by_role("row").filter(has_text=PLAN)).to_contain_text("Approved")
    shot(sec, screenshot_dir, "w07-workplans-list.png")
    sec.get_by_role("row").filter(has_text=PLAN).get_by_role("link", name=PLAN).click()
    expect(sec.get_by_role("heading", level=1)).to_contain_text(PLAN)

    row = sec.locator(f"#activity-{a11.pk}")
    expect(row.locator(".wp-percent")).to_have_text("55%")
    badge = row.locator(".wp-badge")
    expect(badge).to_have_text("At risk")
    expect(badge).to_have_class(re.compile(r"\bwp-status-at_risk\b"))
    expect(badge).to_have_css("background-color", "rgb(224, 161, 0)")
    expect(row).to_contain_text(str(now))  # the latest update
    expect(sec.locator(f"#activity-{a12.pk} .wp-badge")).to_have_text("On track")

    after = objective_rollup(workplan, plan["data"])
    assert after == ("45%", "At risk"), after
    objective = sec.locator(f"#objective-{plan['data'].pk} .card-header")
    expect(objective.locator(".wp-percent")).to_have_text("45%")
    expect(objective.locator(".wp-badge")).to_have_text("At risk")
    expect(objective.locator(".wp-badge")).not_to_have_text(before[1])

    timeline = sec.locator("#timeline")
    bar_row = timeline.locator(".gantt-row.activity").filter(has_text="1.1 Regional labour")
    expect(bar_row).to_have_count(1)
    bar = bar_row.locator(".gantt-bar")
    expect(bar).to_have_class(re.compile(r"\bwp-status-at_risk\b"))
    expect(bar.locator(".gantt-fill")).to_have_attribute("style", re.compile(r"width: 55%"))
    expect(bar_row.locator(".gantt-pct")).to_have_text("55%")
    expect(bar).to_be_visible()
    assert bar.bounding_box()["width"] > 100
    shot(sec, screenshot_dir, "w08-workplan-monitoring.png")
    # The timeline, close up, to look at (not numbered: not a step).
    timeline.screenshot(path=str(screenshot_dir / "w-timeline.png"))

    # --- filtered by status "At risk" -----------------------------------------------------
    sec.get_by_label("Status", exact=True).select_option(label="At risk")
    sec.get_by_role("button", name="Filter").click()
    expect(sec).to_have_url(re.compile(r"[?&]status=at_risk(&|$)"))
    expect(sec.locator(f"#activity-{a11.pk}")).to_be_visible()
    expect(sec.locator("tr.wp-target")).to_have_count(1)
    expect(sec.locator("main")).to_contain_text("The activities filtered · 1 of 5")
    expect(sec.locator("#timeline .gantt-row.activity")).to_have_count(1)
    shot(sec, screenshot_dir, "w09-filtered-at-risk.png")

    # The CSV export of the filtered list, downloaded with the button.
    with sec.expect_download() as download:
        sec.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith("-activities.csv")
    with open(download.value.path(), "rb") as handle:
        [exported] = csv_rows(handle.read())
    assert (exported["Activity code"], exported["Status"], exported["Percent complete"]) == (
        "1.1",
        "At risk",
        "55",
    )
    assert exported["Latest update"] == str(now)
    assert exported["Lead"] == "AAA"
    # And the whole plan, unfiltered.
    response = sec.request.get(f"{live_server.url}/workplans/{workplan.pk}/activities.csv")
    assert response.status == 200
    everything = {
        r["Activity code"]: (r["Status"], r["Percent complete"]) for r in csv_rows(response.body())
    }
    assert everything == {
        "1.1": ("At risk", "55"),
        "1.2": ("On track", "60"),
        "1.3": ("On track", "20"),
        "2.1": ("Completed", "100"),
        "2.2": ("On track", "50"),
    }, everything

    # --- a focal point of agency B may not log progress for A's activity ---------------
    other = new_context().new_page()
    sign_in(other, live_server, focal_b.email, f.PASSWORD)
    log_url = f"{live_server.url}/activities/{a11.pk}/progress/new/"
    response = other.goto(log_url)
    assert response.status == 403, response.status
    shot(other, screenshot_dir, "w10-focal-b-forbidden.png")
    csrf = next(c["value"] for c in other.context.cookies() if c["name"] == "csrftoken")
    response = other.request.post(
        log_url,
        form={
            "organization": str(agency_b.pk),
            "year": str(now.year),
            "quarter": str(now.quarter),
            "percent_complete": "90",
            "status": ActivityStatus.ON_TRACK,
            "narrative": "Not ours to report.",
        },
        headers={"X-CSRFToken": csrf, "Referer": log_url},
    )
    assert response.status == 403, response.status
    assert not ProgressUpdate.objects.filter(activity=a11, narrative="Not ours to report.").exists()
    # The activity page itself stays open to B, without the button.
    other.goto(f"{live_server.url}/activities/{a11.pk}/")
    expect(other.get_by_role("heading", level=1)).to_contain_text("Regional labour migration")
    expect(other.get_by_role("link", name="Log progress")).to_have_count(0)


def test_progress_that_goes_down_asks_why_and_the_chart_says_it(
    live_server, new_context, agency_a, focal_a, plan, screenshot_dir
):
    """1.2 is at 60% this quarter: typing 30 opens the "why did progress go
    down?" box at once (static/js/progress.js); the reason is logged with the
    update and the chart marks the point with it."""
    now = Period.current()
    a12 = plan["1.2"]
    reason = "The second training was cancelled and has to be held again."
    page = new_context().new_page()
    sign_in(page, live_server, focal_a.email, f.PASSWORD)
    page.goto(f"{live_server.url}/activities/{a12.pk}/progress/new/")

    box = page.locator("#decrease-reason")
    expect(box).to_be_hidden()
    field(page, "Percent complete").fill("30")
    expect(box).to_be_visible()
    expect(box).to_contain_text(f"Progress goes down from 60% ({now}) to 30%: say why")
    field(page, "Percent complete").fill("70")
    expect(box).to_be_hidden()

    # Without a reason the server asks again and keeps what was typed.
    field(page, "Percent complete").fill("30")
    field(page, "What was done in the quarter").fill("One training only.")
    page.get_by_role("button", name="Log progress").click()
    expect(page.get_by_text(f"Progress would go down from 60% ({now}) to 30%.")).to_be_visible()
    expect(field(page, "What was done in the quarter")).to_have_value("One training only.")
    shot(page, screenshot_dir, "w11-progress-goes-down.png")

    field(page, "Why did progress go down?").fill(reason)
    page.get_by_role("button", name="Log progress").click()
    expect(page).to_have_url(re.compile(rf"/activities/{a12.pk}/$"))
    marker = page.locator("svg#progress-chart text.progress-decrease")
    expect(marker).to_have_count(1)
    expect(marker.locator("title")).to_contain_text(f"down from 60%: {reason}")
    expect(page.locator("#progress-decreases")).to_contain_text(reason)
    page.locator("#progress-heading").scroll_into_view_if_needed()
    shot(page, screenshot_dir, "w12-chart-with-decrease.png")
    assert a12.updates.latest("pk").decrease_reason == reason
