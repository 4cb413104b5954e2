"""Every URL parameter of the URL list, filled with hostile values, answers
something other than a server error: an out-of-range year, a pk past the
64-bit range, a NUL byte, a 300-character slug, unicode, impossible dates.

The test walks django.urls.get_resolver() (our apps and the admin), builds
each URL from its route with one parameter at a time set to a hostile value
(the others point at real demo records, so the view gets past its first
lookup), keeps the URLs the resolver really sends to that view (so the
value passed the converter), and requests each with GET and POST as the
secretariat, the admin and an anonymous visitor. Pages without parameters
get hostile query strings (page, year, quarter, filters) instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from accounts.models import Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = (
    # integers (the int converter lets through only these)
    "0",
    "99999",
    "10000",
    str(2**63),
    str(2**64),
    # strings and slugs
    "a" * 300,
    "ü-名前",
    "%00",
    "%2e%2e",
    "%3Cscript%3E",
    "9999-99-99",
    "A" * 64,
)
QUERY_NAMES = (
    "page", "year", "quarter", "month", "day", "date", "from", "to", "period",
    "organization", "network", "objective", "status", "level", "kind", "q",
    "view", "format", "all", "base", "target", "v1", "v2", "version", "next",
)  # fmt: skip
QUERY_VALUES = ("99999999999999999999", "-1", "0", "9999-99-99", "%00", "1e309")
# Requests that would end the session the test is using.
SKIP = {"accounts/logout/", "admin/logout/"}

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    template: str  # "meetings/{pk}/agenda/items/{item_id}/paper/"
    params: tuple[str, ...]
    callback: object


def _regex_template(regex: str) -> tuple[str, list[str]]:
    """A regex route as a template: each group becomes a placeholder."""
    out, names, depth, i = [], [], 0, 0
    body = regex.lstrip("^").rstrip("$")
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            if depth == 0:
                out.append(body[i + 1])
            i += 2
            continue
        if ch == "(":
            if depth == 0:
                match = re.match(r"\(\?P<(\w+)>", body[i:])
                name = match.group(1) if match else f"arg{len(names)}"
                names.append(name)
                out.append("{" + name + "}")
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
        i += 1
    return "".join(out), names


def _routes(resolver: URLResolver = None, prefix: str = "", params=()) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            template = _PARAM.sub(lambda m: "{" + m["name"] + "}", str(pattern))
            names = [m["name"] for m in _PARAM.finditer(str(pattern))]
        elif isinstance(pattern, RegexPattern):
            template, names = _regex_template(pattern.regex.pattern)
        else:  # pragma: no cover - LocalePrefixPattern is not used
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + template, (*params, *names))
        elif isinstance(entry, URLPattern):
            yield Route(prefix + template, (*params, *names), entry.callback)


def _defaults() -> dict[tuple[str, str], str]:
    """Real records of the demo data for each (first path segment, parameter)."""
    from meetings.models import AgendaItem, CalendarFeed, Meeting, Participant
    from members.models import ChairTerm, Membership, MembershipApplication, Person
    from taskteams.models import TaskTeam
    from workplans.models import Activity, Objective, ProgressUpdate, Workplan

    item = AgendaItem.objects.order_by("pk").first()
    meeting = item.meeting if item else Meeting.objects.order_by("pk").first()
    update = ProgressUpdate.objects.order_by("pk").first()
    activity = update.activity if update else Activity.objects.first()
    team = TaskTeam.objects.select_related("network").first()
    application = MembershipApplication.objects.first()
    feed = CalendarFeed.objects.first()

    def pk(obj) -> str:
        return str(obj.pk) if obj is not None else "1"

    return {
        ("meetings", "pk"): pk(meeting),
        ("meetings", "item_id"): pk(item),
        ("meetings", "year"): str(timezone.localdate().year),
        ("meetings", "token"): feed.token if feed else "a" * 32,
        ("invitations", "pk"): pk(Participant.objects.first()),
        ("action-points", "pk"): "1",
        ("workplans", "pk"): pk(Workplan.objects.first()),
        ("workplans", "fmt"): "csv",
        ("objectives", "pk"): pk(Objective.objects.first()),
        ("activities", "pk"): pk(activity),
        ("activities", "update_id"): pk(update),
        ("networks", "slug"): team.network.slug if team else "unnm",
        ("networks", "network"): team.network.slug if team else "unnm",
        ("networks", "team"): team.slug if team else "x",
        ("organizations", "slug"): Person.objects.first().organization.slug,
        ("people", "pk"): pk(Person.objects.first()),
        ("memberships", "pk"): pk(Membership.objects.first()),
        ("chairs", "pk"): pk(ChairTerm.objects.first()),
        ("applications", "pk"): pk(application),
        ("applications", "doc_id"): "1",
        ("application", "token"): application.access_token if application else "x",
        ("application", "doc_id"): "1",
        ("apply", "slug"): "unnm",
    }


def _default(defaults, route: Route, name: str) -> str:
    return defaults.get((route.template.split("/", 1)[0], name), "1")


def _urls(route: Route, defaults) -> Iterator[str]:
    """The route with each parameter in turn set to each hostile value, the
    others to real records; only URLs the resolver sends to this view."""
    base = {name: _default(defaults, route, name) for name in route.params}
    if "{slug}" in route.template and "{network}" in route.template:
        base["slug"] = defaults[("networks", "team")]  # a task team's own slug
    seen = set()
    for name in route.params:
        for value in HOSTILE:
            url = "/" + route.template.format(**{**base, name: value})
            if url in seen:
                continue
            seen.add(url)
            try:
                match = resolve(unquote(url))
            except Resolver404:
                continue
            if match.func == route.callback:
                yield url


def _users():
    from members.models import Network

    network = Network.objects.get(slug="unnm")
    secretariat = f.UserFactory(email="fuzz-secretariat@example.org")
    f.grant(secretariat, Role.SECRETARIAT, network)
    admin = User.objects.create_superuser(email="fuzz-admin@example.org", password="x")
    return {"secretariat": secretariat, "admin": admin, "anonymous": None}


def _request(client: Client, method: str, url: str) -> str | None:
    """None when the answer is not a server error, else what went wrong."""
    try:
        response = client.get(url) if method == "GET" else client.post(url, {})
    except Exception as exc:  # noqa: BLE001 - every crash is a finding
        return f"{type(exc).__name__}: {str(exc)[:160]}"
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    return None


def test_no_url_parameter_value_causes_a_server_error():
    """Walk every parameterised URL with hostile values, as secretariat,
    admin and anonymous, with GET and POST: none answers 500."""
    call_command("seed_demo", verbosity=0)
    defaults = _defaults()
    users = _users()
    routes = [r for r in _routes() if r.params]
    assert len(routes) > 100  # the walk found the URL list, the admin's included
    # admin/{app_label}/ accepts only the installed apps' names: nothing to fuzz.
    unfuzzed = [
        r.template
        for r in routes
        if r.template != "admin/{app_label}/" and not any(_urls(r, defaults))
    ]
    assert not unfuzzed, f"no hostile value reaches these routes: {unfuzzed}"
    failures: list[str] = []
    requested = 0
    for who, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for route in routes:
            if route.template.startswith("admin/") and who != "admin":
                continue  # the admin sends everyone else to its sign-in page
            admin_route = route.template.startswith("admin/")
            for url in _urls(route, defaults):
                # POST too as the admin, who may do everything: the deepest paths.
                methods = ("GET", "POST") if who == "admin" and not admin_route else ("GET",)
                for method in methods:
                    requested += 1
                    problem = _request(client, method, url)
                    if problem:
                        failures.append(f"{who} {method} {url[:120]} -> {problem}")
    assert requested > 1000
    assert not failures, "\n".join(failures)


def test_no_query_string_value_causes_a_server_error():
    """Pages without path parameters (lists, the dashboard, year and filter
    pages) get hostile query strings: paging, years, quarters, filters."""
    call_command("seed_demo", verbosity=0)
    defaults = _defaults()
    users = _users()
    urls = []
    for route in _routes():
        if route.template.startswith("admin/") or route.template in SKIP:
            continue
        base = {name: _default(defaults, route, name) for name in route.params}
        if "{slug}" in route.template and "{network}" in route.template:
            base["slug"] = defaults[("networks", "team")]
        urls.append("/" + route.template.format(**base))
    failures = []
    for who in ("secretariat",):
        client = Client()
        client.force_login(users[who])
        for url in urls:
            for value in QUERY_VALUES:
                query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
                problem = _request(client, "GET", f"{url}?{query}")
                if problem:
                    failures.append(f"{who} GET {url}?…={value[:20]} -> {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("year", [0, 1899, 2201, 10000, 99999, 2**63])
def test_an_out_of_range_year_is_not_found(client, secretariat, year):
    """The year view answers 404 for a year it does not show (it crashed
    with 500 on 10000 and beyond)."""
    client.force_login(secretariat)
    assert client.get(f"/meetings/year/{year}/").status_code == 404


def test_a_year_in_range_still_shows(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/meetings/year/2026/").status_code == 200
    assert client.get("/meetings/?year=2026").status_code == 200


def test_an_admin_history_address_with_a_malformed_id_is_not_found(client, admin_user):
    """django-simple-history's views answer 404 (not 500) to a non-numeric id."""
    client.force_login(admin_user)
    assert client.get("/admin/members/network/abc/history/").status_code == 404
    assert client.get("/admin/members/network/1/history/abc/").status_code == 404


def test_an_application_token_with_a_nul_byte_is_not_found(client, db):
    """A status-link token is URL-safe base64: a NUL byte (which PostgreSQL
    refuses with a server error) or a quote never reaches the view."""
    for token in ("%00", "abc%00def", "x'y", "a" * 129):
        assert client.get(f"/application/{token}/").status_code == 404
        assert client.get(f"/application/{token}/documents/1/").status_code == 404
