"""The chair's summary report, end to end in Chromium with a real worker:
the chair finds the report on the dashboard, completes the narrative of the
term, asks for the build on the network's reports page, waits on the build's
page (which follows the worker by itself, without a reload), downloads the
PDF and it holds the narrative. The build is made by a Celery worker on the
embedded filesystem broker (`filesystem_worker`), as in a deployment."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from reports.models import BuildStatus, ReportBuild
from reports.tasks import build_report
from tests.core import test_celery as harness
from tests.e2e.conftest import horizontal_overflow, sign_in
from tests.e2e.test_accessibility import BLOCKING, _axe
from tests.e2e.test_application_flow import field, shot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

filesystem_worker = harness.filesystem_worker

ACHIEVED = "Convened the principals twice and agreed a joint workplan on labour mobility."
CHALLENGE = "The working level met without a standing agenda."
HANDOVER = "Keep the troika meeting monthly."


def _blocking(page) -> list:
    return [v["id"] for v in _axe.run(page).response["violations"] if v["impact"] in BLOCKING]


def test_the_chair_completes_the_narrative_builds_the_summary_and_downloads_it(
    live_server,
    new_context,
    screenshot_dir,
    network,
    chair,
    current_term,
    filesystem_worker,
    tmp_path,
):
    page = new_context().new_page()
    sign_in(page, live_server, chair.email, PASSWORD)

    # --- the dashboard says what is left to complete ----------------------------------
    panel = page.locator("[data-chair-summary-panel]")
    expect(panel).to_contain_text("Still to write in the narrative")
    panel.get_by_role("link", name="Write the narrative").click()
    field(page, "Achievements").fill(ACHIEVED)
    field(page, "Challenges").fill(CHALLENGE)
    field(page, "Recommendations for the handover").fill(HANDOVER)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("narrative for the handover was saved")
    page.goto(live_server.url + "/")
    expect(page.locator("[data-chair-summary-panel]")).to_contain_text("The narrative is written.")

    # --- the build, from the network's reports page ------------------------------------
    page.goto(f"{live_server.url}/networks/{network.slug}/")
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("h1")).to_have_text(f"Reports of {network.short_name}")
    assert _blocking(page) == []
    field(page, "Report").first.select_option(label="Chair's summary report")
    field(page, "Chair term").select_option(value=str(current_term.pk))
    page.get_by_role("button", name="Build").click()
    expect(page.locator(".alert-success")).to_contain_text("The report is being built.")
    status = page.locator("#build-status")
    # Queued or running: the page follows the build by itself.
    expect(status).to_have_attribute("hx-trigger", "every 2s")
    shot(page, screenshot_dir, "rep01-build-queued.png")
    assert filesystem_worker.wait_for(build_report.name) == ("SUCCESS", BuildStatus.READY)
    expect(page.locator("#build-status[data-status='ready']")).to_be_visible(timeout=15_000)
    assert _blocking(page) == []
    shot(page, screenshot_dir, "rep02-build-ready.png")

    # --- the download ---------------------------------------------------------------------
    with page.expect_download() as download:
        page.locator("[data-download]").click()
    target = tmp_path / "summary.pdf"
    download.value.save_as(target)
    text = " ".join(
        subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    for words in (ACHIEVED, CHALLENGE, HANDOVER, "Contents", "AAA chairmanship summary report"):
        assert words in text, words
    build = ReportBuild.objects.get()
    assert build.requested_by == chair and build.status == BuildStatus.READY

    # --- on a phone ------------------------------------------------------------------------
    phone = page
    phone.set_viewport_size({"width": 360, "height": 780})
    phone.goto(live_server.url + build.get_absolute_url())
    expect(phone.locator("[data-download]")).to_be_visible()
    assert horizontal_overflow(phone) == 0
    shot(phone, screenshot_dir, "rep03-build-phone.png")
