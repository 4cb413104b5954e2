"""Every demo account follows every link of its menu and of its dashboard:
none answers 404 or 500, and none opens an empty list of one network while
the user's rows are in another without saying so (members.scope).

The demo is loaded (seed_demo, as a new user would have it) in each test's
transaction; each account signs in through the login form, so it starts on
its own network."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from members.models import Network

PASSWORD = "demo-password-2026"
ACCOUNTS = ["admin", "secretariat", "chair", "focal", "principal", "applicant"]
# Links that change state or leave the pages (sign-out is a POST form; the
# calendar feed and downloads are files, followed but not parsed).
NOT_FOLLOWED = ("/accounts/logout/",)


class _Links(HTMLParser):
    """The hrefs inside <nav> (the menu) and <main> (the dashboard), and the
    markers of the network scope."""

    def __init__(self) -> None:
        super().__init__()
        self.menu: list[str] = []
        self.main: list[str] = []
        self.markers: set[str] = set()
        self.all_networks: str | None = None
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("nav", "main"):
            self._in.append(tag)
        for marker in ("data-empty-list", "data-elsewhere", "data-network-scope"):
            if marker in attrs:
                self.markers.add(marker)
        if tag == "a" and attrs.get("href"):
            if "data-all-networks" in attrs:
                self.all_networks = attrs["href"]
            if "nav" in self._in:
                self.menu.append(attrs["href"])
            elif "main" in self._in:
                self.main.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("nav", "main") and self._in and self._in[-1] == tag:
            self._in.pop()


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _internal(base: str, hrefs: list[str]) -> list[str]:
    out = []
    for href in hrefs:
        if href.startswith(("mailto:", "tel:", "#", "javascript:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(NOT_FOLLOWED):
            out.append(path)
    return list(dict.fromkeys(out))


@pytest.fixture
def demo(db, settings):
    call_command("seed_demo", verbosity=0)


def _signed_in(account: str) -> Client:
    client = Client()
    if account != "public":
        response = client.post(
            "/accounts/login/",
            {"username": f"{account}@demo.example.org", "password": PASSWORD},
        )
        assert response.status_code == 302, account
    return client


def test_every_menu_and_dashboard_link_opens_and_says_where_the_rows_are(demo):
    problems = []
    for account in [*ACCOUNTS, "public"]:
        problems += [f"{account} {p}" for p in _walk(account)]
    assert not problems, "\n".join(problems)


def _walk(account: str) -> list[str]:
    client = _signed_in(account)
    home = client.get("/")
    assert home.status_code == 200
    links = _parse(home.content.decode())
    assert links.menu, "the menu has no link"
    targets = _internal("/", links.menu) + _internal("/", links.main)
    problems = []
    for url in dict.fromkeys(targets):
        response = client.get(url)
        if response.status_code in (404, 500) or response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _parse(response.content.decode())
        if "data-empty-list" in page.markers and "data-network-scope" not in page.markers:
            problems.append(f"{url}: an empty list that does not say which network it shows")
            continue
        if "data-empty-list" in page.markers:
            if page.all_networks is None:
                continue  # already all networks
            everywhere = client.get(urljoin(url, page.all_networks))
            elsewhere = _parse(everywhere.content.decode())
            if "data-empty-list" not in elsewhere.markers and "data-elsewhere" not in page.markers:
                problems.append(f"{url}: empty here, rows elsewhere, and it does not say so")
    return problems


def test_each_account_starts_on_its_own_network(demo):
    """The focal point (UNHCR) has progress to log in Asia-Pacific: it starts
    there; the chair (IOM, which coordinates UNNM) starts on UNNM, the first of
    its networks where work waits (a decision in escalation, a silence
    procedure IOM has not answered; decisions/demo.py); the public and the
    applicant start on the first network."""
    expected = {
        "focal": "asia-pacific",
        "chair": "unnm",
        "applicant": Network.objects.in_display_order().first().slug,
        "public": Network.objects.in_display_order().first().slug,
    }
    for account, slug in expected.items():
        response = _signed_in(account).get("/")
        assert response.context["network"].slug == slug, account


def test_the_applicant_menu_has_no_dead_end(demo):
    menu = _parse(_signed_in("applicant").get("/").content.decode()).menu
    assert "/task-teams/" not in menu
    assert "/workplans/" not in menu
