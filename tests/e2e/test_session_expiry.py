"""End to end, in a real browser: a session about to end warns first, "Stay
signed in" and typing keep it, and minutes typed while it ended are not lost
(sign in again, the page offers them back).

The server's clocks are moved by rewriting the stored session (its last-seen
and sign-in times, as accounts.middleware reads them); the browser's clock by
Playwright's page.clock. Screenshots go to test-artifacts/screenshots/
(s01-… to s05-…).
"""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import User
from meetings.models import MeetingStatus, Minutes
from tests import factories as f
from tests.e2e.conftest import sign_in
from tests.e2e.test_application_flow import field, shot
from tests.meetings.conftest import make_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHAIR = "chair@agency-a.example.org"
TYPED = (
    "## 1. Adoption of the agenda\n"
    "The agenda was adopted without change.\n\n"
    "## 2. Regional report on labour migration data\n"
    "Members welcomed the report and asked for data by sex and age.\n"
)


@pytest.fixture
def held_meeting(network, agency_a, chair):
    return make_meeting(
        network, days=-2, title="Autumn working-level meeting", status=MeetingStatus.HELD
    )


def edit_url(live_server, meeting) -> str:
    return f"{live_server.url}/meetings/{meeting.pk}/minutes/edit/"


def stored_session(email: str) -> SessionStore:
    """The one stored session of the user with this e-mail."""
    user_id = str(User.objects.get(email=email).pk)
    keys = [
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == user_id
    ]
    assert len(keys) == 1, keys
    return SessionStore(session_key=keys[0])


def move_server_clock(email: str, *, idle_for: int | None = None, signed_in_for: int | None = None):
    """Make the server see the session as idle for `idle_for` seconds and/or
    signed in `signed_in_for` seconds ago."""
    session = stored_session(email)
    now = int(time.time())
    if idle_for is not None:
        session[LAST_SEEN_AT] = now - idle_for
    if signed_in_for is not None:
        session[SIGNED_IN_AT] = now - signed_in_for
    session.save()


def last_seen_ago(email: str) -> int:
    return int(time.time()) - stored_session(email)[LAST_SEEN_AT]


NO_DRAFTS = "() => !Object.keys(localStorage).some((k) => k.startsWith('sec-draft:'))"


def drafts(page) -> list[str]:
    return page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('sec-draft:'))"
    )


def test_the_idle_warning_and_stay_signed_in(page, live_server, held_meeting, screenshot_dir):
    """Five minutes before the idle deadline an alert says so; "Stay signed
    in" restarts the server's idle clock and hides the alert; typing in the
    form after five quiet minutes calls the keep-alive too; once the deadline
    has passed the page says the session ended and links to the sign-in."""
    page.clock.install()
    sign_in(page, live_server, CHAIR, f.PASSWORD)
    page.goto(edit_url(live_server, held_meeting))
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the minutes")
    notice = page.get_by_role("alert").filter(has_text="because of inactivity")
    expect(notice).to_have_count(0)

    # An hour and 55 minutes without a request, on both sides.
    move_server_clock(CHAIR, idle_for=115 * 60)
    page.clock.fast_forward("01:55:10")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Your session will end in 5 minutes because of inactivity.")
    shot(page, screenshot_dir, "s01-idle-warning.png")

    with page.expect_response(re.compile(r"/accounts/session/keepalive/$")) as answer:
        notice.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    expect(notice).to_have_count(0)
    assert last_seen_ago(CHAIR) <= 5

    # Six quiet minutes, then the chair types: that is activity as well.
    move_server_clock(CHAIR, idle_for=6 * 60)
    page.clock.fast_forward("06:00")
    with page.expect_response(re.compile(r"/accounts/session/keepalive/$")) as answer:
        field(page, "Minutes").press_sequentially("The chair")
    assert answer.value.status == 204
    assert last_seen_ago(CHAIR) <= 5
    expect(notice).to_have_count(0)

    # Away for longer than the idle time: the page says the session is over.
    move_server_clock(CHAIR, idle_for=3 * 3600)
    page.clock.fast_forward("02:00:10")
    ended = page.get_by_role("alert").filter(has_text="Your session has ended")
    expect(ended).to_be_visible()
    expect(ended.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", f"/accounts/login/?next=%2Fmeetings%2F{held_meeting.pk}%2Fminutes%2Fedit%2F"
    )
    shot(page, screenshot_dir, "s02-session-ended.png")


def test_the_end_of_the_lifetime_is_announced_and_cannot_be_extended(
    page, live_server, held_meeting
):
    """Five minutes before the end of the twelve hours the page says when the
    session ends and to save now, with no "Stay signed in" (nothing extends
    it) and no idle warning that would promise more."""
    sign_in(page, live_server, CHAIR, f.PASSWORD)
    move_server_clock(CHAIR, signed_in_for=12 * 3600 - 5 * 60)
    page.goto(edit_url(live_server, held_meeting))
    notice = page.get_by_role("alert").filter(has_text="Your session ends at")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(
        re.compile(r"Your session ends at \d{1,2}:\d{2}( [AP]M)?\. Save your work now\.")
    )
    expect(page.get_by_role("button", name="Stay signed in")).to_have_count(0)
    expect(page.get_by_text("because of inactivity")).to_have_count(0)


def test_typed_minutes_survive_an_ended_session(page, live_server, held_meeting, screenshot_dir):
    """The chair types the minutes, the session ends meanwhile, Save leads to
    the sign-in page; after signing in again the chair is back on the form,
    which offers the text back; restored and saved, the minutes hold it and
    the browser keeps no draft any more."""
    sign_in(page, live_server, CHAIR, f.PASSWORD)
    page.goto(edit_url(live_server, held_meeting))
    field(page, "Minutes").fill(TYPED)
    page.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('sec-draft:'))"
    )

    move_server_clock(CHAIR, idle_for=3 * 3600)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("You were signed out after 2 hours without activity.")).to_be_visible()
    assert not Minutes.objects.filter(meeting=held_meeting).exists()
    shot(page, screenshot_dir, "s03-signed-out.png")

    page.get_by_label("E-mail").fill(CHAIR)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(edit_url(live_server, held_meeting))
    minutes = field(page, "Minutes")
    # Never overwritten without asking: the field shows what the server
    # sent (for empty minutes, the draft built from the meeting).
    expect(minutes).to_have_value(re.compile(r"^## Attendance\n"))
    offer = page.get_by_role("status").filter(has_text="was not saved")
    expect(offer).to_be_visible()
    shot(page, screenshot_dir, "s04-restore-offer.png")

    offer.get_by_role("button", name="Restore your unsaved text").click()
    expect(minutes).to_have_value(TYPED)
    expect(offer).to_have_count(0)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The minutes were saved as version 1.")).to_be_visible()
    saved = Minutes.objects.get(meeting=held_meeting)
    assert saved.body.strip() == TYPED.strip()
    # The page may show before its deferred script has dropped the draft.
    page.wait_for_function(NO_DRAFTS)
    shot(page, screenshot_dir, "s05-saved.png")

    page.goto(edit_url(live_server, held_meeting))
    expect(page.get_by_role("status").filter(has_text="was not saved")).to_have_count(0)


def test_text_left_unsaved_is_offered_back_and_can_be_discarded(page, live_server, held_meeting):
    """Typed, then left without saving (Cancel): back on the form the text is
    offered, not put back by itself; "Discard it" forgets it for good."""
    sign_in(page, live_server, CHAIR, f.PASSWORD)
    page.goto(edit_url(live_server, held_meeting))
    field(page, "Decisions taken").fill("- The workplan 2027 is approved.")
    page.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('sec-draft:'))"
    )
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn working-level meeting")

    page.goto(edit_url(live_server, held_meeting))
    offer = page.get_by_role("status").filter(has_text="was not saved")
    expect(offer).to_have_count(1)
    expect(field(page, "Decisions taken")).to_have_value("")
    offer.get_by_role("button", name="Discard it").click()
    expect(offer).to_have_count(0)
    assert drafts(page) == []
    page.reload()
    expect(page.get_by_role("status").filter(has_text="was not saved")).to_have_count(0)


def test_a_form_back_with_errors_keeps_the_draft(page, live_server, held_meeting):
    """Saved with a mistake (an action point without its owner), the form
    comes back with the text and an error: the draft stays, so leaving the
    page without fixing it still does not lose the text."""
    sign_in(page, live_server, CHAIR, f.PASSWORD)
    page.goto(edit_url(live_server, held_meeting))
    field(page, "Minutes").fill(TYPED)
    page.locator("[name=ap-0-description]").fill("Circulate the annex")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    expect(field(page, "Minutes")).to_have_value(TYPED)
    assert not Minutes.objects.filter(meeting=held_meeting).exists()
    assert len(drafts(page)) == 1

    page.get_by_role("link", name="Cancel").click()
    page.goto(edit_url(live_server, held_meeting))
    offer = page.get_by_role("status").filter(has_text="was not saved")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Restore your unsaved text").click()
    expect(field(page, "Minutes")).to_have_value(TYPED)


def test_signing_out_forgets_the_drafts(page, live_server, held_meeting):
    """Text typed and left unsaved, then "Sign out" on purpose: the drafts go
    with the session, so the next person at a shared computer finds none."""
    sign_in(page, live_server, CHAIR, f.PASSWORD)
    page.goto(edit_url(live_server, held_meeting))
    field(page, "Minutes").fill(TYPED)
    page.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('sec-draft:'))"
    )
    # The menu may be folded at this width: press the button as a click would.
    with page.expect_navigation():
        page.locator("form[data-sign-out] button").evaluate("(b) => b.click()")
    expect(page.locator("form[data-sign-out]")).to_have_count(0)
    page.wait_for_load_state("load")
    assert drafts(page) == []
