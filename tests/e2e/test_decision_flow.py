"""End to end, in a real browser: a silence procedure from the draft to the
adopted decision and its follow-up.

The chair (the coordinator) writes a decision of the executive committee
(agencies A and B) and opens it under silence procedure; agency A's
principal supports it, agency B's focal point objects (the chair is told at
once); the chair revises the text and reopens it, so B's objection stands on
the earlier version only; A supports the new text; the deadline passes (the
closing job runs with the clock moved past it, as beat would run it then);
the decision is adopted with its reference number; the chair assigns a
follow-up action to agency B, whose focal point marks it done from the
dashboard; the register lists it and the record's PDF shows it all.

Screenshots go to test-artifacts/screenshots/ (d01-… to d12-…), the PDF's
pages as PNG (d-record-*)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from core.timezones import zone_of
from decisions.models import Decision, DecisionStatus, Position
from meetings.models import ActionPointStatus
from members.models import Membership
from tests.e2e.conftest import sign_in
from tests.e2e.test_application_flow import field, shot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Terms of reference of the working group on returns"
TEXT_1 = "The Executive Committee adopts the terms of reference of the working group."
TEXT_2 = (
    "The Executive Committee adopts the terms of reference of the working group, "
    "with a budget line for its first year."
)
OBJECTION = "The terms of reference have no budget line."
ACTION = "Circulate the terms of reference to the regional networks"


def local_input(network, moment) -> str:
    """A moment as a datetime-local input takes it, in the network's zone."""
    return timezone.localtime(moment, zone_of(network.time_zone)).strftime("%Y-%m-%dT%H:%M")


def decision_page(context, live_server, email):
    page = context.new_page()
    sign_in(page, live_server, email, PASSWORD)
    return page


def test_silence_procedure_from_draft_to_done(
    live_server,
    new_context,
    screenshot_dir,
    network,
    agency_a,
    agency_b,
    chair,
    principal_a,
    focal_b,
    secretariat,
):
    Membership.objects.filter(network=network, organization__in=[agency_a, agency_b]).update(
        executive_committee=True
    )
    now = timezone.now()

    # --- the chair drafts and opens the silence procedure ---------------------------
    chair_page = decision_page(new_context(), live_server, chair.email)
    chair_page.goto(f"{live_server.url}/networks/{network.slug}/decisions/")
    chair_page.get_by_role("link", name=re.compile("New decision")).first.click()
    field(chair_page, "Deciding body").select_option(label="Executive committee")
    field(chair_page, "Procedure").select_option(label="Silence procedure")
    field(chair_page, "Title").fill(TITLE)
    field(chair_page, "Text (Markdown)").fill(TEXT_1)
    shot(chair_page, screenshot_dir, "d01-new-decision.png")
    chair_page.get_by_role("button", name="Save").click()
    expect(chair_page.locator("h1")).to_have_text(TITLE)
    decision = Decision.objects.get(title=TITLE)
    assert decision.status == DecisionStatus.DRAFT

    chair_page.get_by_role("link", name="Open for positions").click()
    deadline_1 = now + timedelta(days=4)
    field(chair_page, "Deadline").fill(local_input(network, deadline_1))
    chair_page.get_by_role("button", name="Save").click()
    expect(chair_page.locator("[data-deadline]")).to_contain_text("Silence procedure under way")
    shot(chair_page, screenshot_dir, "d02-silence-open.png")

    # --- A supports, B objects --------------------------------------------------------
    principal_page = decision_page(new_context(), live_server, principal_a.email)
    principal_page.goto(live_server.url + decision.get_absolute_url())
    principal_page.get_by_role("link", name="State your agency's position").click()
    expect(principal_page.locator("[data-answer-for]")).to_contain_text(agency_a.acronym)
    principal_page.get_by_label("Support", exact=True).check()
    principal_page.get_by_role("button", name="Save").click()
    expect(principal_page.locator(f'tr[data-agency="{agency_a.acronym}"]')).to_contain_text(
        "Support"
    )

    focal_page = decision_page(new_context(), live_server, focal_b.email)
    focal_page.goto(live_server.url + decision.get_absolute_url())
    focal_page.get_by_role("link", name="State your agency's position").click()
    focal_page.get_by_label("Object", exact=True).check()
    field(focal_page, "Statement").fill(OBJECTION)
    focal_page.get_by_role("button", name="Save").click()
    expect(focal_page.locator(f'tr[data-agency="{agency_b.acronym}"]')).to_contain_text(OBJECTION)
    shot(focal_page, screenshot_dir, "d03-objection.png")
    # Silence is broken: the chair and the secretariat are told at once.
    told = [m for m in mail.outbox if "objects to" in m.subject]
    assert told and {chair.email, secretariat.email} <= {a for m in told for a in m.to}

    # --- the chair revises and reopens -------------------------------------------------
    chair_page.reload()
    expect(chair_page.locator("[data-positions]")).to_contain_text("1 objected")
    chair_page.get_by_role("link", name="Revise the text").click()
    field(chair_page, "Text (Markdown)").fill(TEXT_2)
    field(chair_page, "What changed in this version").fill("A budget line is added.")
    deadline_2 = now + timedelta(days=5)
    field(chair_page, "New deadline").fill(local_input(network, deadline_2))
    chair_page.get_by_role("button", name="Save").click()
    expect(chair_page.locator(".page-header")).to_contain_text("Version 2")
    expect(
        chair_page.locator(f'tr[data-agency="{agency_b.acronym}"] [data-earlier]')
    ).to_be_visible()
    shot(chair_page, screenshot_dir, "d04-revised.png")

    principal_page.reload()
    principal_page.get_by_role("link", name="Change your agency's position").click()
    principal_page.get_by_label("Support", exact=True).check()
    principal_page.get_by_role("button", name="Save").click()
    expect(principal_page.locator(f'tr[data-agency="{agency_a.acronym}"]')).not_to_contain_text(
        "earlier version"
    )
    assert set(Position.objects.filter(decision=decision).values_list("version", flat=True)) == {
        1,
        2,
    }

    # --- the deadline passes: the closing job, with the clock moved ---------------------
    decision.refresh_from_db()
    moved = decision.deadline + timedelta(seconds=1)
    call_command("close_consultations", now=moved.isoformat())
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    year = decision.decided_on.year
    assert decision.reference == f"{network.short_name}/EC/{year}/01"
    chair_page.reload()
    expect(chair_page.locator("[data-reference]")).to_have_text(decision.reference)
    shot(chair_page, screenshot_dir, "d05-adopted.png")
    assert any(decision.reference in m.subject for m in mail.outbox)

    # --- a follow-up action for agency B ------------------------------------------------
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    follow_up = chair_page.locator("#follow-up")
    field(follow_up, "Action").fill(ACTION)
    field(follow_up, "Owner").select_option(label=f"{agency_b.acronym} — {agency_b.name}")
    field(follow_up, "Due").fill(due)
    follow_up.get_by_role("button", name="Add a follow-up action").click()
    expect(chair_page.locator("#decision-actions")).to_contain_text(ACTION)
    shot(chair_page, screenshot_dir, "d06-action-assigned.png")

    # --- B's focal point marks it done from the dashboard -------------------------------
    focal_page.goto(live_server.url + "/?all=1")
    focal_page.get_by_role("link", name=ACTION).click()
    shot(focal_page, screenshot_dir, "d07-action-page.png")
    field(focal_page, "Status").select_option(label="Done")
    field(focal_page, "Progress note").fill("Sent to the five regional networks on Monday.")
    focal_page.get_by_role("button", name="Save").click()
    expect(focal_page.get_by_text("Sent to the five regional networks on Monday.")).to_be_visible()
    link = decision.action_links.select_related("action").get()
    assert link.action.status == ActionPointStatus.DONE

    chair_page.reload()
    expect(chair_page.locator("#decision-actions")).to_contain_text("Done")

    # --- the register and the record's PDF ----------------------------------------------
    chair_page.goto(f"{live_server.url}/networks/{network.slug}/decisions/")
    row = chair_page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(decision.reference)
    expect(row).to_contain_text("Adopted")
    shot(chair_page, screenshot_dir, "d08-register.png")

    chair_page.goto(live_server.url + decision.get_absolute_url())
    with chair_page.expect_download() as download:
        chair_page.get_by_role("link", name=re.compile("PDF")).first.click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in (
        decision.reference,
        TITLE,
        "with a budget line for its first year",
        agency_a.acronym,
        agency_b.acronym,
        OBJECTION,
        ACTION,
    ):
        assert expected in text, expected
    if shutil.which("pdftoppm"):
        target = screenshot_dir / "d-record.pdf"
        target.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(target), str(screenshot_dir / "d-record")],
            check=True,
        )

    # The decision page at a phone's width.
    chair_page.set_viewport_size({"width": 360, "height": 800})
    chair_page.reload()
    shot(chair_page, screenshot_dir, "d09-adopted-360.png")
