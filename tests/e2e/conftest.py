"""Browser fixtures for the end-to-end tests (pytest-playwright + pytest-django's
live_server), run in the Debian Chromium at /usr/bin/chromium.

Never run `playwright install` here: the machine has no network; the launch
arguments below point Playwright at the system Chromium instead.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django then
# refuses ORM calls from that thread unless told they are safe (they are: the
# loop is Playwright's, not ours). Must be set before any test touches the DB.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
CHROMIUM = shutil.which("chromium")
SKIP_REASON = (
    "end-to-end tests need the Debian Chromium (`chromium` on PATH, normally /usr/bin/chromium); "
    "it was not found. Install the `chromium` package; do not run `playwright install`."
)


def pytest_collection_modifyitems(config, items):
    """Skip every test of this package, with a reason, when there is no browser."""
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


# --- the browser --------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A laptop-sized window: the navbar is expanded (Bootstrap's lg breakpoint).
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def new_context(new_context, csp_violations):
    """Every browser context fails in seconds, not the default 30 s, when an
    element never shows up, and reports what the Content-Security-Policy
    blocked into `csp_violations`. `context` and `page` are built through
    this too."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
        _watch_csp(context, csp_violations)
        return context

    return make


# --- the Content-Security-Policy ----------------------------------------------

# Runs in every page before its own scripts: each `securitypolicyviolation`
# event (the browser blocked an inline script, handler or style, or a load
# from elsewhere) goes to the test, and stays in window.__cspViolations.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var violation = {
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    where: event.sourceFile ? event.sourceFile + ":" + event.lineNumber : "",
    sample: event.sample,
    page: location.href,
  };
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) window.__reportCspViolation(violation);
}, true);
"""


def _watch_csp(context, violations: list[str]) -> None:
    def report(violation: dict) -> None:
        violations.append(
            "{directive} blocked {blocked} on {page} {where} {sample}".format(**violation).strip()
        )

    def console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    context.expose_function("__reportCspViolation", report)
    context.add_init_script(_CSP_LISTENER)
    context.on("console", console)


@pytest.fixture(autouse=True)
def csp_violations(request):
    """What the browser's Content-Security-Policy blocked during the test.
    Any at all fails the test, at teardown: every page of the app must work
    under the policy (config/settings.py). A test that provokes a violation
    on purpose checks this list and empties it."""
    violations: list[str] = []
    yield violations
    if violations:
        pytest.fail(
            "the browser reported Content-Security-Policy violations:\n"
            + "\n".join(sorted(set(violations))),
            pytrace=False,
        )


# --- the live server ----------------------------------------------------------


@pytest.fixture(scope="session")
def _plain_http_server_settings():
    """Settings the live server reads once, when its middleware is built.

    live_server is session-scoped, so it starts before the function-scoped
    autouse fixture of tests/conftest.py switches SECURE_SSL_REDIRECT off;
    SecurityMiddleware reads that setting in its __init__, and without this
    the server would answer every http:// request with a redirect to https://.
    """
    from django.test.utils import override_settings

    override = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def live_server(_plain_http_server_settings, live_server):
    return live_server


# --- artifacts and helpers ------------------------------------------------------


@pytest.fixture
def screenshot_dir() -> Path:
    """test-artifacts/screenshots/ under the repository root (git-ignored)."""
    folder = REPO_ROOT / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, live_server, email: str, password: str) -> None:
    """Sign in the way a person does: the navbar's "Sign in" link, then the form."""
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    page.locator("nav").get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav")).to_contain_text(email)


# --- the demo, for the tests that walk every page ------------------------------

DEMO_PASSWORD = "demo-password-2026"
DEMO_ROLES = ("admin", "secretariat", "chair", "focal", "principal", "applicant")


def demo_email(role: str) -> str:
    return f"{role}@demo.example.org"


@pytest.fixture
def demo_pages(transactional_db) -> dict[str, str]:
    """`seed_demo` once for the test, plus a set of minutes (the demo has
    none), and the path of each main page: {name: path}. The walk through
    the pages of one role (or one screen width) reuses it and one signed-in
    browser context, so nothing is seeded per page."""
    from django.apps import apps as django_apps
    from django.core.management import call_command
    from django.db.models import Count
    from django.urls import reverse

    from meetings.models import (
        ActionPoint,
        AgendaItem,
        AgendaItemStatus,
        Meeting,
        MeetingStatus,
    )
    from meetings.services import minutes as minutes_service
    from members.models import MembershipApplication, Network, Organization
    from taskteams.models import TaskTeam
    from workplans.models import Activity, Workplan

    # The flush after an earlier transactional test took the reference rows
    # that a data migration loads (the GCM objectives, the document kinds):
    # load them again.
    importlib.import_module("workplans.migrations.0002_framework_objectives").load(
        django_apps, None
    )
    importlib.import_module("documents.migrations.0002_standard_kinds").add_kinds(django_apps, None)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    upcoming = (
        Meeting.objects.filter(agenda_items__isnull=False).distinct().order_by("start").last()
    )
    proposal = AgendaItem.objects.filter(meeting=upcoming, status=AgendaItemStatus.PROPOSED).first()
    held = Meeting.objects.filter(status=MeetingStatus.HELD).order_by("start").last()
    minutes_service.minutes_save(
        meeting=held,
        body="## 1. Opening\nThe chair opened the meeting and welcomed the members.\n\n"
        "## 2. Workplan\nThe members reviewed https://example.org/a-very-long-link/"
        "that-has-no-spaces-at-all/and-must-wrap-on-a-phone-screen-instead-of-running-off.\n",
        decisions="- The workplan is endorsed.\n",
        base_version=0,
        by=None,
    )
    # A held meeting with no minutes yet: its editor opens on the draft made
    # from the meeting (the attendance, the agenda), not saved.
    unwritten = (
        Meeting.objects.filter(
            status=MeetingStatus.HELD, network=held.network, minutes__isnull=True
        )
        .annotate(people=Count("participants"))
        .order_by("-people", "-start")
        .first()
    )
    workplan = Workplan.objects.order_by("pk").first()
    activity = Activity.objects.filter(objective__workplan=workplan).order_by("pk").first()
    team = TaskTeam.objects.select_related("network").order_by("pk").first()
    network = Network.objects.get(slug="asia-pacific")
    submitted = MembershipApplication.objects.filter(status="submitted").first()
    action = _decision_action(ActionPoint, Count)
    return {
        "login": reverse("login"),
        "dashboard": reverse("home"),
        "meetings": reverse("meetings:list"),
        "meeting": reverse("meetings:detail", args=[upcoming.pk]),
        "agenda proposal": reverse("meetings:agenda_propose", args=[upcoming.pk]),
        "agenda decision": reverse("meetings:agenda_decide", args=[upcoming.pk, proposal.pk]),
        "minutes": reverse("meetings:detail", args=[held.pk]),
        "minutes editor": reverse("meetings:minutes_edit", args=[held.pk]),
        "minutes versions": reverse("meetings:minutes_versions", args=[held.pk]),
        "minutes draft": reverse("meetings:minutes_edit", args=[unwritten.pk]),
        "meetings year": reverse("meetings:year"),
        "my activities": reverse("workplans:mine"),
        "applications": reverse("members:application_list"),
        "workplans": reverse("workplans:list"),
        "workplan": reverse("workplans:detail", args=[workplan.pk]),
        "activity": reverse("workplans:activity", args=[activity.pk]),
        "members directory": reverse("members:directory"),
        "network": reverse("members:network_detail", args=[network.slug]),
        "organization": reverse(
            "members:organization_detail", args=[Organization.objects.get(acronym="IOM").slug]
        ),
        "task teams": reverse("taskteams:list", args=[team.network.slug]),
        "task team": reverse("taskteams:detail", args=[team.network.slug, team.slug]),
        "application form": reverse("members:apply_form", args=[network.slug]),
        "application": reverse("members:application_detail", args=[submitted.pk]),
        "application status": reverse("members:application_status", args=[submitted.access_token]),
        "account": reverse("password_change"),
        "calendar subscription": reverse("meetings:calendar_feed"),
        "action": reverse("meetings:action", args=[action.pk]),
        "implementation": reverse("decisions:implementation", args=[action.network.slug]),
    }


def _decision_action(ActionPoint, Count):  # noqa: N803 - the model, imported by the caller
    """A decision's action owned by the focal point's agency (UNHCR), the one
    with the most progress notes. Until the demo has decisions with actions,
    one is made here: an adopted decision of the UN Network with four
    actions (overdue, in progress with notes, done, dropped)."""
    from datetime import timedelta

    from django.utils import timezone

    from decisions.models import Procedure
    from decisions.services import follow_up, register
    from meetings.services import actions
    from members.models import Network, Organization

    found = (
        ActionPoint.objects.filter(decision_link__isnull=False, owner__acronym="UNHCR")
        .annotate(n=Count("notes"))
        .order_by("-n", "pk")
        .first()
    )
    if found is not None:
        return found
    network = Network.objects.get(slug="unnm")
    today = timezone.localdate()
    decision = register.decision_create(
        network=network,
        body="executive_committee",
        procedure=Procedure.MEETING,
        by=None,
        title="Joint guidance on bilateral labour migration agreements",
        text="The Executive Committee endorses the guidance and asks for its roll-out.",
    )
    register.decision_record_adopted(decision=decision, on=today - timedelta(days=40), by=None)
    unhcr, ilo = (Organization.objects.get(acronym=a) for a in ("UNHCR", "ILO"))
    rows = [
        (
            unhcr,
            "Translate the guidance into French and Spanish and circulate it to "
            "the country networks, with a note on the regional consultations",
            -12,
            "in_progress",
        ),
        (ilo, "Organise the roll-out webinar for the regional networks", -3, "open"),
        (unhcr, "Share the draft with the protection cluster", -30, "done"),
        (ilo, "Print copies for the regional review", 20, "dropped"),
    ]
    from accounts.models import User

    focal = User.objects.filter(email="focal@demo.example.org").first()
    points = []
    for owner, text, days, status in rows:
        point = follow_up.decision_action_create(
            decision=decision,
            description=text,
            owner=owner,
            due=today + timedelta(days=days),
            by=None,
        )
        if status != "open":
            actions.action_update(
                action=point,
                status=status,
                note="The French version is with the translators; Spanish follows next month.",
                drop_reason="Published online only." if status == "dropped" else "",
                by=focal if owner == unhcr else None,
                organization_id=owner.pk,
            )
        points.append(point)
    actions.action_update(
        action=points[0],
        status="in_progress",
        note="Country networks told to expect it.",
        by=focal,
        organization_id=unhcr.pk,
    )
    return points[0]


def sign_in_demo(context, live_server, role: str):
    """A page of `context` signed in as the demo account of `role` (the
    login form itself, without the navbar: the walk starts on the form)."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(demo_email(role))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav")).to_contain_text(demo_email(role))
    return page


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
