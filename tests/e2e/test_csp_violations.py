"""End to end: the browser enforces the Content-Security-Policy, and the
watch of tests/e2e/conftest.py (which fails every end-to-end test on a
violation) does see one when it happens."""

from __future__ import annotations

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_injected_inline_script_and_style_are_blocked_and_reported(
    live_server, page, csp_violations
):
    """A script and a style attribute slipped into a page (as an XSS would)
    do not take effect, and both violations reach the test (the event and the
    console), so the watch that fails the other tests is not blind."""
    f.NetworkFactory()
    page.goto(live_server.url + "/")
    assert csp_violations == []  # the page itself needs nothing the policy forbids

    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.__injected = true";
                document.body.appendChild(script);
                document.body.setAttribute("style", "background: red");
            }"""
        )
    page.wait_for_function("window.__cspViolations.length >= 2")

    assert page.evaluate("window.__injected") is None  # the script never ran
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    directives = page.evaluate("window.__cspViolations.map(v => v.directive)")
    assert set(directives) == {"script-src-elem", "style-src-attr"}
    reported = " ".join(csp_violations)
    assert "script-src-elem" in reported and "style-src-attr" in reported
    assert any(v.startswith("console: ") for v in csp_violations)
    csp_violations.clear()  # provoked on purpose: not a failure of the app
