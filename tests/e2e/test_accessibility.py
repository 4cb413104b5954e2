"""End to end: axe-core finds no serious or critical accessibility violation
on the main pages, as each demo role and as the public see them (issue 9).

axe-core is the copy bundled in the axe-playwright-python package
(`axe_playwright_python/axe.min.js`, pinned in pyproject.toml), which the
library injects into each page itself; nothing is fetched from the internet:
the browser context refuses, and the test reports, any request that does
not go to the live server.

One seeded demo and one signed-in browser context per role; each page is
loaded once and checked at the default laptop width (1280 px).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import DEMO_ROLES, horizontal_overflow, sign_in_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = ("serious", "critical")

# What anyone may open without signing in (the rest sends them to the form).
PUBLIC_PAGES = (
    "login",
    "dashboard",
    "members directory",
    "network",
    "organization",
    "application form",
    "application status",
)
# Pages every signed-in role opens (what a role may not see is its 403/404
# page, checked too); the sign-in form is checked for the public.
SIGNED_IN_PAGES = (
    "dashboard",
    "meetings",
    "meeting",
    "agenda proposal",
    "agenda decision",
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
    "application status",
    "account",
    "calendar subscription",
)
_axe = Axe()


def report(violations: list[dict]) -> str:
    """Readable lines, one block per rule: its impact and help, then each
    failing element once (a fault of the header shows on every page) with
    what axe says is wrong and the pages it is on."""
    rules: dict[str, dict] = {}
    for v in violations:
        rule = rules.setdefault(v["id"], {"v": v, "nodes": {}})
        for node in v["nodes"]:
            target = ", ".join(str(t) for t in node["target"])
            entry = rule["nodes"].setdefault(target, {"node": node, "pages": []})
            entry["pages"].append(v["page"])
    lines = []
    for rule_id, rule in rules.items():
        v = rule["v"]
        lines.append(f"- [{v['impact']}] {rule_id}: {v['help']} ({v['helpUrl']})")
        for target, entry in rule["nodes"].items():
            why = " ".join(entry["node"].get("failureSummary", "").split())
            lines.append(f"    {target}")
            lines.append(f"      {' '.join(entry['node'].get('html', '').split())[:200]}")
            lines.append(f"      {why}")
            lines.append(f"      on: {'; '.join(entry['pages'])}")
    return "\n".join(lines)


def only_local(context, live_server, outside: list[str]) -> None:
    """Refuse, and note, every request that leaves the live server."""
    host = urlsplit(live_server.url).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == host or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)


def check_pages(page, live_server, pages: dict[str, str], names, role: str) -> list[dict]:
    found = []
    for name in names:
        response = page.goto(live_server.url + pages[name])
        status = response.status if response else 0
        assert status < 500, f"{role}: {name} ({pages[name]}) answered {status}"
        # The secretariat may open every page: a wrong path fails here, not
        # silently as a 404 page that passes axe.
        if role == "secretariat":
            assert status == 200, f"the secretariat gets {status} on {name} ({pages[name]})"
        assert horizontal_overflow(page) <= 0, f"{role}: {name} is wider than 1280 px"
        results = _axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in BLOCKING:
                found.append({**v, "page": f"{name} ({pages[name]}, as {role}, {status})"})
    return found


@pytest.mark.parametrize("role", ("public", *DEMO_ROLES))
def test_the_main_pages_have_no_serious_accessibility_violation(
    role, live_server, new_context, demo_pages
):
    """axe-core (bundled, injected by the library) reports no serious or
    critical violation on any main page for this role; the pages never ask
    for anything outside the app."""
    context = new_context()
    outside: list[str] = []
    only_local(context, live_server, outside)
    if role == "public":
        page = context.new_page()
        names = PUBLIC_PAGES
    else:
        page = sign_in_demo(context, live_server, role)
        names = SIGNED_IN_PAGES

    found = check_pages(page, live_server, demo_pages, names, role)

    assert not outside, "requests left the app: " + ", ".join(sorted(set(outside)))
    assert not found, (
        f"axe-core found {len(found)} serious or critical violation(s) as {role}:\n" + report(found)
    )
