"""End to end, in a real browser: a meeting from the agenda to the approved
minutes, as a member agency's focal point and the chair see it; and two tabs
of the chair saving the same minutes at once.

Screenshots of every step go to test-artifacts/screenshots/ (m01-… to m20-…),
with the agenda and minutes PDFs as PNG pages (m-agenda-*, m-minutes-*).
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from meetings.models import (
    ActionPoint,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Meeting,
    MeetingLevel,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from meetings.services import agenda as agenda_service
from meetings.services import minutes as minutes_service
from members.models import Person, PersonLevel
from tests import factories as f
from tests.e2e.conftest import sign_in
from tests.e2e.test_application_flow import field, shot, small_pdf
from tests.meetings.conftest import make_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Spring meeting of the principals"
# The three regular items; X is the focal point's, proposed in the browser.
X = "Regional report on labour migration data"
Y = "Joint statement for the regional review"
Z = "Workplan and budget 2027"


# --- helpers -----------------------------------------------------------------------


def name_people(**names: tuple) -> None:
    """Give the fixtures' users and their Person rows readable names, by
    e-mail: {email: (first, last[, honorific])}."""
    for email, (first, last, *honorific) in names.items():
        User.objects.filter(email=email).update(first_name=first, last_name=last)
        Person.objects.filter(email=email).update(
            name=f"{first} {last}", honorific=honorific[0] if honorific else ""
        )


def person_with_account(org, level, email, first, last, honorific=""):
    user = f.UserFactory(email=email, first_name=first, last_name=last)
    f.PersonFactory(
        organization=org,
        level=level,
        user=user,
        email=email,
        name=f"{first} {last}",
        honorific=honorific,
    )
    return user


def agenda_titles(page):
    """The regular items of the agenda as the chair orders them."""
    return page.locator("#agenda-order li[data-item] .fw-semibold")


def status_badge(page):
    return page.locator(".page-header .badge").first


def pdf_text(path) -> str:
    """The PDF's text as pdftotext lays it out."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    """Every run of white space made one space."""
    return re.sub(r"\s+", " ", text)


def save_pdf(page, url: str, folder, name: str) -> str:
    """Download a PDF as the signed-in user, keep it next to the screenshots
    (as PNG pages too) and return its text."""
    response = page.request.get(url)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    path = folder.parent / f"{name}.pdf"
    path.write_bytes(body)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(folder / name)], check=True)
    return pdf_text(path)


def in_order(text: str, *parts: str) -> bool:
    positions = [text.find(p) for p in parts]
    return -1 not in positions and positions == sorted(positions)


def mail_to(address: str, starting: str) -> list:
    return [m for m in mail.outbox if address in m.to and m.subject.startswith(starting)]


# --- the fixtures of both tests ------------------------------------------------------


@pytest.fixture
def agency_c(network):
    org = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def principals(agency_a, agency_b, agency_c, principal_a):
    """The heads of the three member agencies (a principals' meeting invites them)."""
    name_people(**{principal_a.email: ("Amara", "Okafor", "Ambassador")})
    b = person_with_account(
        agency_b, PersonLevel.PRINCIPAL, "head@agency-b.example.org", "Bruno", "Keller", "Dr."
    )
    c = person_with_account(
        agency_c, PersonLevel.PRINCIPAL, "head@agency-c.example.org", "Carmen", "Ruiz"
    )
    return principal_a, b, c


# --- 1. from the agenda to the approved minutes ------------------------------------------


def test_meeting_from_agenda_to_approved_minutes(
    live_server,
    new_context,
    network,
    agency_a,
    agency_b,
    agency_c,
    current_term,
    chair,
    focal_b,
    principals,
    screenshot_dir,
):
    today = timezone.localdate()
    name_people(
        **{
            chair.email: ("Chiara", "Rossi"),
            focal_b.email: ("Boris", "Novak"),
        }
    )
    guest = f.OrganizationFactory(acronym="OBS", name="Observatory of Mobility", slug="obs")

    # An earlier principals' meeting, closed, with an action point still open:
    # the standing items of the new agenda come from it.
    previous = make_meeting(
        network,
        days=-90,
        level=MeetingLevel.PRINCIPALS,
        title="Winter meeting of the principals",
        status=MeetingStatus.MINUTES_APPROVED,
    )
    ActionPoint.objects.create(
        meeting=previous,
        description="Share the draft terms of reference of the data task team",
        owner=agency_b,
        due=today + timedelta(days=10),
    )

    # The upcoming meeting: planned, in three weeks, proposals open ten more days.
    meeting = make_meeting(
        network,
        days=21,
        level=MeetingLevel.PRINCIPALS,
        title=TITLE,
        venue="Palais des Nations",
        chair_term=current_term,
    )
    meeting.proposals_deadline = meeting.start - timedelta(days=11)
    meeting.save(update_fields=["proposals_deadline"])
    assert meeting.accepts_proposals()

    # Two proposals already in, from agencies A and C.
    agenda_service.agenda_item_propose(
        meeting=meeting,
        title=Y,
        purpose="To adopt the network's joint statement.",
        presenter=agency_a,
        minutes_wanted=30,
        by=chair,
        organization=agency_a,
    )
    agenda_service.agenda_item_propose(
        meeting=meeting,
        title=Z,
        purpose="To approve the workplan and the budget.",
        presenter=agency_c,
        minutes_wanted=20,
        organization=agency_c,
    )

    # --- the focal point of agency B proposes an item ---------------------------------
    focal = new_context().new_page()
    sign_in(focal, live_server, focal_b.email, f.PASSWORD)
    next_meetings = focal.locator(".card").filter(has=focal.get_by_text("Next meetings"))
    expect(next_meetings).to_contain_text(TITLE)
    shot(focal, screenshot_dir, "m01-focal-dashboard.png")
    next_meetings.get_by_role("link", name=TITLE).click()
    expect(focal.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(status_badge(focal)).to_have_text("Planned")

    focal.locator("#agenda").get_by_role("link", name="Propose an item").click()
    expect(focal.get_by_role("heading", level=1)).to_have_text(f"Propose an item for {TITLE}")
    expect(field(focal, "Presented by")).to_have_value(str(agency_b.pk))
    field(focal, "Title").fill(X)
    field(focal, "Purpose: what the meeting is asked to do").fill(
        "To take note of the regional report and agree how members use its data."
    )
    field(focal, "Time wanted (minutes)").fill("25")
    paper = small_pdf("Regional report on labour migration data")
    field(focal, "Paper").set_input_files(
        files=[{"name": "regional-report.pdf", "mimeType": "application/pdf", "buffer": paper}]
    )
    shot(focal, screenshot_dir, "m02-propose-form.png")
    focal.get_by_role("button", name="Save").click()

    expect(focal).to_have_url(re.compile(rf"/meetings/{meeting.pk}/#agenda$"))
    expect(focal.get_by_text("Thank you: your proposal was sent to the chair.")).to_be_visible()
    item_x = AgendaItem.objects.get(meeting=meeting, title=X)
    proposal = focal.locator(f"#agenda-item-{item_x.pk}")
    expect(proposal).to_contain_text("presented by BBB")
    expect(proposal).to_contain_text("25 minutes")
    expect(proposal).to_contain_text("Awaiting the chair's decision.")
    expect(proposal.get_by_role("link", name="regional-report.pdf")).to_be_visible()
    expect(focal.locator("#agenda")).to_contain_text("3 proposals awaiting the chair")
    shot(focal, screenshot_dir, "m03-focal-proposed.png")
    assert item_x.status == AgendaItemStatus.PROPOSED
    assert item_x.proposed_by_org == agency_b
    assert item_x.paper.read() == paper

    # --- the chair decides on the three proposals ----------------------------------------
    chair_page = new_context().new_page()
    sign_in(chair_page, live_server, chair.email, f.PASSWORD)
    chair_page.locator("nav").get_by_role("link", name="Meetings").click()
    chair_page.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name=TITLE).click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    agenda = chair_page.locator("#agenda")
    # The standing items came by themselves, on top.
    expect(agenda).to_contain_text("Approval of the previous minutes")
    expect(agenda).to_contain_text("Share the draft terms of reference of the data task team")
    shot(chair_page, screenshot_dir, "m04-chair-proposals.png")

    note = "Accepted: please keep the presentation to ten minutes and leave time for questions."
    for item_id, title, with_note in [
        (item_x.pk, X, True),
        (AgendaItem.objects.get(title=Y).pk, Y, False),
        (AgendaItem.objects.get(title=Z).pk, Z, False),
    ]:
        row = chair_page.locator(f"#agenda-item-{item_id}")
        if with_note:
            row.get_by_label("Note from the chair (shown with the item)").fill(note)
        row.get_by_role("button", name="Accept").click()
        expect(chair_page.get_by_text(f"“{title}” is on the agenda.")).to_be_visible()
    expect(agenda_titles(chair_page)).to_have_text([X, Y, Z])
    expect(chair_page.locator(f"#agenda-item-{item_x.pk}")).to_contain_text(
        f"Note from the chair: {note}"
    )
    expect(agenda).not_to_contain_text("awaiting the chair")
    shot(chair_page, screenshot_dir, "m05-chair-accepted.png")

    # The proposer sees the decision and the note.
    focal.reload()
    expect(focal.locator(f"#agenda-item-{item_x.pk}")).to_contain_text(note)

    # Ordering, without a page reload: the marker survives each move.
    chair_page.evaluate("window.__marker = 1")
    chair_page.get_by_role("button", name=f"Move “{Z}” up").click()
    expect(agenda_titles(chair_page)).to_have_text([X, Z, Y])
    expect(chair_page.locator("#agenda-status")).to_have_text(f"“{Z}” is now item 4.")
    chair_page.get_by_role("button", name=f"Move “{X}” down").click()
    expect(agenda_titles(chair_page)).to_have_text([Z, X, Y])
    expect(chair_page.locator("#agenda-status")).to_have_text(f"“{X}” is now item 4.")
    # And by dragging: Y, by its handle, onto the top half of the first item.
    item_y = AgendaItem.objects.get(title=Y)
    item_z = AgendaItem.objects.get(title=Z)
    chair_page.locator(f"#agenda-item-{item_y.pk} .agenda-handle").drag_to(
        chair_page.locator(f"#agenda-item-{item_z.pk}"), target_position={"x": 40, "y": 5}
    )
    expect(agenda_titles(chair_page)).to_have_text([Y, Z, X])
    expect(chair_page.locator("#agenda-status")).to_have_text("The agenda order was saved.")
    assert chair_page.evaluate("window.__marker") == 1, "the page was reloaded"
    shot(chair_page, screenshot_dir, "m06-agenda-reordered.png")
    positions = dict(
        AgendaItem.objects.filter(meeting=meeting, title__in=[X, Y, Z]).values_list(
            "title", "position"
        )
    )
    assert positions[Y] < positions[Z] < positions[X]

    # A reload shows the order kept.
    chair_page.reload()
    assert chair_page.evaluate("window.__marker") is None
    expect(agenda_titles(chair_page)).to_have_text([Y, Z, X])
    expect(chair_page.get_by_role("button", name=f"Move “{Y}” up")).to_be_disabled()
    expect(chair_page.get_by_role("button", name=f"Move “{X}” down")).to_be_disabled()

    # --- invitations, then the agenda goes out -------------------------------------------
    chair_page.locator(".page-header").get_by_role("link", name="Invite").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Invite participants")
    field(chair_page, "Guest organizations").select_option(label=f"{guest.acronym} — {guest.name}")
    shot(chair_page, screenshot_dir, "m07-invite.png")
    chair_page.get_by_role("button", name="Invite", exact=True).click()
    expect(chair_page.get_by_text("4 new invitations.")).to_be_visible()
    participants = chair_page.locator(".card").filter(
        has=chair_page.get_by_text("Participants", exact=True)
    )
    for name in ("Amara Okafor", "Bruno Keller", "Carmen Ruiz", "OBS"):
        expect(participants).to_contain_text(name)
    # A principals' meeting invites the principals, not the focal points.
    expect(participants).not_to_contain_text("Boris Novak")

    chair_page.locator("#agenda").get_by_role("link", name="Circulate the agenda").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Circulate the agenda")
    expect(chair_page.locator("main")).to_contain_text("to the 3 invited participants")
    circulated_items = chair_page.locator("main ol.list-group > li .fw-semibold")
    expect(circulated_items).to_have_text(
        ["Approval of the previous minutes", "Open action points", Y, Z, X]
    )
    chair_page.get_by_text("Who receives it").click()
    shot(chair_page, screenshot_dir, "m08-circulate-agenda.png")
    assert not [m for m in mail.outbox if m.subject.startswith("[GTN] Agenda")]
    chair_page.get_by_role("button", name="Circulate now").click()

    expect(chair_page.get_by_text("The agenda was circulated to 3 participants.")).to_be_visible()
    expect(status_badge(chair_page)).to_have_text("Agenda circulated")
    expect(chair_page.locator("#agenda")).to_contain_text("Circulated on")
    expect(chair_page.get_by_role("button", name=f"Move “{Z}” up")).to_have_count(0)
    shot(chair_page, screenshot_dir, "m09-agenda-circulated.png")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_CIRCULATED
    for principal in principals:
        [message] = mail_to(principal.email, f"[GTN] Agenda: {TITLE}")
        assert in_order(message.body, Y, Z, X), message.body
    assert len([m for m in mail.outbox if m.subject.startswith("[GTN] Agenda")]) == 3

    # The agenda PDF, in the new order.
    agenda_pdf = chair_page.locator("#agenda").get_by_role("link", name="PDF", exact=True)
    text = flat(
        save_pdf(
            chair_page,
            live_server.url + agenda_pdf.get_attribute("href"),
            screenshot_dir,
            "m-agenda",
        )
    )
    assert TITLE in text
    assert "Provisional agenda" in text
    assert in_order(
        text, "1. Approval of the previous minutes", "2. Open action points", f"3. {Y}", f"4. {Z}"
    ), text
    assert in_order(text, f"4. {Z}", f"5. {X}"), text
    assert "regional-report.pdf" in text
    assert "Presented by Agency B (BBB)" in text
    assert "Share the draft terms of reference" in text

    # --- time passes ---------------------------------------------------------------------
    # The meeting took place three days ago. No page moves a meeting through
    # time, so it is moved into the past directly in the database.
    start = meeting.start - timedelta(days=24)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=start, end=start + timedelta(hours=2), proposals_deadline=start - timedelta(days=11)
    )

    # --- attendance, in one form ---------------------------------------------------------
    chair_page.reload()
    chair_page.locator(".page-header").get_by_role("link", name="Record attendance").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text(f"Attendance: {TITLE}")
    attendance = {
        "Amara Okafor": "Present",
        "Bruno Keller": "Apologies",
        "Carmen Ruiz": "Present",
        "OBS": "Present",
    }
    for who, value in attendance.items():
        chair_page.get_by_role("row").filter(has_text=who).get_by_label(value, exact=True).check()
    shot(chair_page, screenshot_dir, "m10-attendance.png")
    chair_page.get_by_role("button", name="Record attendance").click()

    expect(chair_page.get_by_text("Attendance was recorded.")).to_be_visible()
    expect(status_badge(chair_page)).to_have_text("Held")
    participants = chair_page.locator(".card").filter(
        has=chair_page.get_by_text("Participants", exact=True)
    )
    expect(participants).to_contain_text("The meeting was attended by 2 principals (AAA, CCC).")
    expect(participants.get_by_role("listitem").filter(has_text="Bruno Keller")).to_contain_text(
        "Apologies"
    )
    shot(chair_page, screenshot_dir, "m11-meeting-held.png")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert dict(meeting.participants.values_list("organization__acronym", "attendance")) == {
        "AAA": Attendance.PRESENT,
        "BBB": Attendance.APOLOGIES,
        "CCC": Attendance.PRESENT,
        "OBS": Attendance.PRESENT,
    }

    # --- the minutes: drafted, revised, compared -----------------------------------------
    body_v1 = (
        "## 3. Joint statement for the regional review\n"
        "The chair introduced the draft statement. Members agreed on the text with two changes:\n"
        "\n"
        "- a paragraph on return and reintegration;\n"
        "- a reference to the regional data report.\n"
        "\n"
        "## 5. Regional report on labour migration data\n"
        "BBB sent the report in writing; members welcomed it.\n"
    )
    decisions = (
        "- The joint statement for the regional review is adopted as amended.\n"
        "- The workplan and budget 2027 are approved.\n"
    )
    action = "Circulate the annex of the regional report to all members"
    due = today + timedelta(days=30)

    minutes_section = chair_page.locator("#minutes")
    expect(minutes_section).to_contain_text("No minutes yet.")
    minutes_section.get_by_role("link", name="Write the minutes").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Write the minutes")
    field(chair_page, "Minutes").fill(body_v1)
    field(chair_page, "Decisions taken").fill(decisions)
    chair_page.locator("[name=ap-0-description]").fill(action)
    chair_page.locator("[name=ap-0-owner]").select_option(label="BBB — Agency B")
    chair_page.locator("[name=ap-0-due]").fill(due.isoformat())
    shot(chair_page, screenshot_dir, "m12-minutes-edit.png")
    chair_page.get_by_role("button", name="Save").click()
    expect(chair_page.get_by_text("The minutes were saved as version 1.")).to_be_visible()

    minutes_section.get_by_role("link", name="Edit").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Edit the minutes")
    expect(field(chair_page, "Minutes")).to_have_value(body_v1.strip())
    expect(chair_page.locator("[name=ap-0-description]")).to_have_value(action)
    body_v2 = body_v1.replace(
        "BBB sent the report in writing; members welcomed it.",
        "BBB presented the report; members welcomed it and asked for data by sex and age.",
    )
    field(chair_page, "Minutes").fill(body_v2)
    chair_page.get_by_role("button", name="Save").click()
    expect(chair_page.get_by_text("The minutes were saved as version 2.")).to_be_visible()
    expect(minutes_section).to_contain_text("Draft")
    expect(minutes_section).to_contain_text("version 2")
    expect(minutes_section.get_by_role("heading", name="3. Joint statement")).to_be_visible()
    expect(
        minutes_section.get_by_role("listitem").filter(has_text="return and reintegration")
    ).to_be_visible()
    expect(minutes_section.get_by_role("row").filter(has_text=action)).to_contain_text("BBB")
    minutes_section.scroll_into_view_if_needed()
    shot(chair_page, screenshot_dir, "m13-minutes-draft.png")

    # The focal point does not see the draft yet.
    focal.reload()
    expect(focal.locator("#minutes")).to_contain_text("The chair is preparing the minutes")
    expect(focal.locator("#minutes")).not_to_contain_text("Joint statement")

    minutes_section.get_by_role("link", name="Versions").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Versions of the minutes")
    versions = chair_page.locator("main table tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("current")
    expect(versions.first).to_contain_text("Chiara Rossi")
    shot(chair_page, screenshot_dir, "m14-minutes-versions.png")
    versions.first.get_by_role("link", name="Compare with the one before").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Version 1 → version 2")
    diff = chair_page.locator("table.diff")
    expect(diff).to_have_count(1)
    expect(diff.locator("ins")).to_contain_text(["presented"])
    expect(diff.locator("del")).to_contain_text(["sent"])
    expect(chair_page.locator("main")).to_contain_text("no change")  # the decisions
    shot(chair_page, screenshot_dir, "m15-minutes-diff.png")

    # --- circulated for comment; the focal point comments -------------------------------------
    chair_page.get_by_role("link", name=TITLE).first.click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    chair_page.locator("#minutes").get_by_role("link", name="Circulate for comment").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text(
        "Circulate the minutes for comment"
    )
    deadline = today + timedelta(days=7)
    field(chair_page, "Comments until").fill(f"{deadline.isoformat()}T17:00")
    shot(chair_page, screenshot_dir, "m16-circulate-minutes.png")
    chair_page.get_by_role("button", name="Circulate").click()
    expect(
        chair_page.get_by_text("The minutes were circulated: the participants get an e-mail.")
    ).to_be_visible()
    expect(chair_page.locator("#minutes")).to_contain_text("Circulated for comment")
    for principal in principals:
        assert len(mail_to(principal.email, f"[GTN] Draft minutes for comment: {TITLE}")) == 1

    focal.reload()
    focal_minutes = focal.locator("#minutes")
    expect(focal_minutes).to_contain_text("Circulated for comment")
    expect(focal_minutes).to_contain_text(f"Comments until {deadline:%A} {deadline.day}")
    expect(focal_minutes).to_contain_text("The joint statement for the regional review is adopted")
    comment = "Item 5: please add that BBB will publish the country tables in June."
    focal_minutes.get_by_label("Your comment").fill(comment)
    focal_minutes.get_by_role("button", name="Send the comment").click()
    expect(focal.get_by_text("Thank you: your comment was recorded.")).to_be_visible()
    comments = focal.locator("#minutes-comments")
    expect(comments).to_contain_text(comment)
    expect(comments).to_contain_text("Boris Novak (BBB)")
    expect(comments).to_contain_text("on version 2")
    comments.scroll_into_view_if_needed()
    shot(focal, screenshot_dir, "m17-focal-commented.png")

    # --- the chair approves ----------------------------------------------------------------
    chair_page.reload()
    expect(chair_page.locator("#minutes-comments")).to_contain_text(comment)
    chair_page.locator("#minutes").get_by_role("link", name="Approve").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Approve the minutes")
    expect(chair_page.locator("main")).to_contain_text("You approve version 2")
    expect(chair_page.locator(".alert-warning")).to_contain_text("approving now closes them early")
    shot(chair_page, screenshot_dir, "m18-approve-minutes.png")
    chair_page.get_by_role("button", name="Approve the minutes").click()

    expect(
        chair_page.get_by_text("The minutes are approved and the meeting is closed.")
    ).to_be_visible()
    expect(status_badge(chair_page)).to_have_text("Minutes approved")
    expect(chair_page.locator("#minutes")).to_contain_text("Approved on")
    expect(chair_page.locator("#minutes").get_by_role("link", name="Edit")).to_have_count(0)
    shot(chair_page, screenshot_dir, "m19-minutes-approved.png")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.status, minutes.version, minutes.approved_by) == (
        MinutesStatus.APPROVED,
        2,
        chair,
    )
    for principal in principals:
        assert len(mail_to(principal.email, f"[GTN] Minutes approved: {TITLE}")) == 1

    # The minutes PDF: title, decisions, action point and who was there.
    minutes_pdf = chair_page.locator("#minutes").get_by_role("link", name="PDF")
    layout = save_pdf(
        chair_page,
        live_server.url + minutes_pdf.get_attribute("href"),
        screenshot_dir,
        "m-minutes",
    )
    text = flat(layout)
    assert f"Minutes: {TITLE}" in text
    assert "Approved minutes" in text and "(version 2)" in text
    assert "DRAFT" not in text
    assert "The joint statement for the regional review is adopted as amended." in text
    assert "The workplan and budget 2027 are approved." in text
    # The action point's row: its action, owner, due date and status side by side
    # (the action and the date wrap onto a second line of the table).
    [row] = [line for line in layout.splitlines() if "Circulate the annex" in line]
    assert re.search(rf"BBB\s+{due.day} {due:%b}( {due.year})?\s+Open", row), row
    assert "Agency B" in text and "report to all members" in text
    assert "Ambassador Amara Okafor (AAA)" in text
    assert "Carmen Ruiz (CCC)" in text
    assert "Observatory of Mobility (OBS)" in text
    assert in_order(text, "Present", "Amara Okafor", "Apologies", "Bruno Keller"), text
    assert "by Chiara Rossi (version 2)" in text


# --- 2. two tabs, one version: the second save is refused ---------------------------------------


def test_a_second_tab_saving_old_minutes_is_refused_and_keeps_its_text(
    live_server, context, network, agency_a, current_term, chair, screenshot_dir
):
    name_people(**{chair.email: ("Chiara", "Rossi")})
    meeting = make_meeting(
        network, days=-2, title="Working-level meeting", status=MeetingStatus.HELD
    )
    minutes_service.minutes_save(
        meeting=meeting,
        body="## 1. Opening\nThe chair opened the meeting.\n",
        decisions="- None.\n",
        base_version=0,
        by=chair,
    )
    edit_url = f"{live_server.url}/meetings/{meeting.pk}/minutes/edit/"

    first = context.new_page()
    sign_in(first, live_server, chair.email, f.PASSWORD)
    second = context.new_page()  # the same browser: the same session, another tab
    first.goto(edit_url)
    second.goto(edit_url)
    for tab in (first, second):
        expect(tab.get_by_role("heading", level=1)).to_have_text("Edit the minutes")
        expect(tab.locator("#id_body")).to_have_value(re.compile("The chair opened the meeting"))

    first.locator("#id_body").fill("## 1. Opening\nThe chair opened the meeting at 10:05.\n")
    first.get_by_role("button", name="Save").click()
    expect(first.get_by_text("The minutes were saved as version 2.")).to_be_visible()

    mine = "## 1. Opening\nThe chair welcomed the new members and opened the meeting.\n"
    second.locator("#id_body").fill(mine)
    second.get_by_role("button", name="Save").click()
    conflict = second.get_by_role("alert").filter(
        has_text="Someone else saved these minutes while you were editing"
    )
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("you started from version 1; they are now at version 2")
    expect(conflict).to_contain_text("Nothing of yours was saved")
    expect(second.locator("#id_body")).to_have_value(mine)
    expect(conflict.get_by_role("link", name="What changed from version 1 to 2")).to_be_visible()
    shot(second, screenshot_dir, "m20-minutes-conflict.png")

    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.version == 2
    assert "10:05" in minutes.body
    assert "welcomed" not in minutes.body
