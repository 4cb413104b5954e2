"""End to end: every main page fits a phone (360 px) and a laptop (1280 px)
without running past the window sideways, and the header folds its menu on
the phone (issue 9).

Screenshots of the dashboard, a meeting, the workplan, the members
directory, an unsaved minutes draft, the year's meetings and the
applications, a decision's action and the implementation page as the
secretariat, and of the dashboard, My activities, the action and the
implementation page as a focal point, at both widths, go to test-artifacts/screenshots/screens/ (git-ignored), to be looked
at after a change of layout.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import horizontal_overflow, sign_in_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
SHOTS = {
    "secretariat": (
        "dashboard",
        "meeting",
        "workplan",
        "members directory",
        "minutes draft",
        "meetings year",
        "applications",
        "action",
        "implementation",
    ),
    "focal": ("dashboard", "my activities", "action", "implementation"),
}
# Every page the secretariat opens, checked for overflow at both widths.
PAGES = (
    "dashboard",
    "meetings",
    "meeting",
    "agenda proposal",
    "minutes",
    "minutes editor",
    "minutes versions",
    "minutes draft",
    "meetings year",
    "my activities",
    "applications",
    "workplans",
    "workplan",
    "activity",
    "members directory",
    "network",
    "organization",
    "task teams",
    "task team",
    "application form",
    "application",
    "account",
    "calendar subscription",
    "action",
    "implementation",
)


@pytest.fixture
def folder(screenshot_dir):
    path = screenshot_dir / "screens"
    path.mkdir(exist_ok=True)
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_runs_past_the_window(width, live_server, new_context, demo_pages, folder):
    """At this width no main page is wider than the window (a table scrolls
    inside its card instead); the screenshots are taken on the way."""
    too_wide = []
    for role in ("secretariat", "focal"):
        context = new_context()
        page = sign_in_demo(context, live_server, role)
        page.set_viewport_size({"width": width, "height": 800})
        names = PAGES if role == "secretariat" else SHOTS[role]
        for name in names:
            response = page.goto(live_server.url + demo_pages[name])
            assert response.status == 200, f"{role} gets {response.status} on {name}"
            extra = horizontal_overflow(page)
            if extra > 0:
                too_wide.append(f"{name} as {role}: {extra} px too wide")
            if name in SHOTS.get(role, ()):
                slug = name.replace(" ", "-")
                page.screenshot(path=str(folder / f"{role}-{slug}-{width}.png"), full_page=True)
        context.close()
    assert not too_wide, f"at {width} px:\n" + "\n".join(too_wide)


def test_the_menu_folds_on_a_phone_and_the_network_selector_stays(
    live_server, new_context, demo_pages
):
    """At 360 px the menu is behind the toggler, which opens it; the network
    selector is on its own row, outside the menu, usable without opening it."""
    context = new_context()
    page = sign_in_demo(context, live_server, "secretariat")
    page.set_viewport_size({"width": 360, "height": 800})
    nav = page.locator("nav")
    expect(nav.get_by_role("link", name="Meetings")).to_be_hidden()
    expect(page.get_by_label("Network", exact=True)).to_be_visible()
    nav.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Meetings")).to_be_visible()
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("width", (1200, 1280, 1440))
def test_the_secretariats_menu_fits_one_row_beside_the_account(
    width, live_server, new_context, demo_pages
):
    """From the xl breakpoint up (below it, the menu folds behind its
    toggler, as on a phone), the secretariat's menu (the longest) sits on
    one row: every entry at the same height, none overlapping the next or the
    account menu, and the network selector below it."""
    context = new_context()
    page = sign_in_demo(context, live_server, "secretariat")
    page.set_viewport_size({"width": width, "height": 800})
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('#mainnav .nav-link')).map(a => {
            const r = a.getBoundingClientRect();
            return {text: a.textContent.trim(), top: r.top, left: r.left, right: r.right};
        })"""
    )
    assert len(boxes) >= 8  # seven entries and the account menu
    assert len({round(b["top"]) for b in boxes}) == 1, boxes
    for before, after in zip(boxes, boxes[1:], strict=False):
        assert before["right"] <= after["left"], (before, after)
    bar = page.locator(".network-bar").bounding_box()
    menu = page.locator("nav").bounding_box()
    assert bar["y"] >= menu["y"] + menu["height"] - 1
    assert horizontal_overflow(page) <= 0
