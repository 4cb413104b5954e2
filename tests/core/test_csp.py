"""The Content-Security-Policy (config/settings.py, core/csp.py).

Two halves, both needed for the policy to be worth anything:

- every response carries a strict policy: the pages of the permission
  matrices of members and meetings (tests/*/test_permissions.py) for every
  role, whatever the answer (200, 302, 403, 404, 405), with sign-in, the
  public application form and the admin among them; the error pages;
  downloads (a PDF aside, see core/csp.py);
- no page of ours needs what the policy forbids: no inline event handler, no
  <script> without src, no javascript: link, no style="" attribute, no
  <style> element. A walk through the demo data renders every template under
  templates/ (workplans and task teams included; a new template that the
  walk does not reach fails the test too), each page under the policy.

The browser's side (no violation reported while the end-to-end tests run) is
in tests/e2e/conftest.py.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.meetings import test_permissions as meetings_matrix
from tests.meetings.test_permissions import world as meetings_world  # noqa: F401
from tests.members import test_permissions as members_matrix
from tests.members.test_permissions import world as members_world  # noqa: F401

pytestmark = pytest.mark.django_db
# meetings_world and members_world, imported above, are the permission matrices'
# own `world` fixtures, reused as they are: pytest registers an imported fixture
# under the name it is imported as.

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:")


# --- the header -----------------------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    """The response's policy as {directive: [sources]}; {} without one."""
    header = response.get("Content-Security-Policy", "")
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0].lower()] = words[1:]
    return policy


def strict_policy_problems(response) -> list[str]:
    """What is missing or weak in the response's policy (empty: strict)."""
    policy = directives(response)
    if not policy:
        return ["no Content-Security-Policy header"]
    problems = []
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {policy.get('default-src')}")
    for name in ("script-src", "style-src"):
        sources = policy.get(name, policy.get("default-src", []))
        problems += [f"{name} allows {s}" for s in sources if s in UNSAFE]
    for name in ("script-src-attr", "script-src-elem", "style-src-elem", "style-src-attr"):
        problems += [f"{name} allows {s}" for s in policy.get(name, []) if s in UNSAFE]
    for name in ("object-src", "base-uri", "frame-ancestors"):
        if policy.get(name) != ["'none'"]:
            problems.append(f"{name} is {policy.get(name)}, not 'none'")
    return problems


def assert_strict_policy(response, where: str) -> None:
    if response.get("Content-Type", "").startswith("application/pdf"):
        # core/csp.py: a browser's PDF viewer is a page of its own that the
        # policy would break; a PDF runs none of our scripts.
        assert "Content-Security-Policy" not in response, where
        return
    problems = strict_policy_problems(response)
    assert not problems, f"{where} ({response.status_code}): {problems}"


def test_the_check_finds_a_missing_or_weak_policy():
    """The helper the walks below rely on fails a missing header, an inline
    script allowance and a missing default-src; it passes the real policy."""
    from django.http import HttpResponse

    missing = HttpResponse("x")
    weak = HttpResponse("x")
    weak["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    no_default = HttpResponse("x")
    no_default["Content-Security-Policy"] = "script-src 'self'"
    assert strict_policy_problems(missing) == ["no Content-Security-Policy header"]
    assert "script-src allows 'unsafe-inline'" in strict_policy_problems(weak)
    assert any("default-src" in p for p in strict_policy_problems(no_default))


def test_the_policy_is_strict_on_the_home_page(client, network):
    """The header itself, spelled out: only this site, nothing inline, no
    plugins, no framing, no <base>, forms post only here."""
    policy = directives(client.get("/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


# --- (a) every page of the permission matrices, every role ------------------------------------


def _finish(response) -> None:
    """Read a download to its end, so the test client closes it as a server
    would. Calling close() on it directly sends request_finished with
    close_old_connections connected, which on PostgreSQL closes the test's
    connection in the middle of its transaction."""
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize("role", members_matrix.ROLES)
def test_every_page_of_the_members_matrix_carries_a_strict_policy(members_world, role):  # noqa: F811
    """Each row of tests/members/test_permissions.py's MATRIX (accounts,
    home, members, the public application form, the admin), as each role,
    answers with a strict policy, whatever the status."""
    client = Client(raise_request_exception=False)
    rows = sorted(members_matrix.MATRIX, key=lambda row: row[0] == "logout")  # logout last
    for row, method, _cells in rows:
        if members_world.users[role] is not None:
            client.force_login(members_world.users[role])
        url = members_matrix._url(row, members_world)
        response = getattr(client, method)(url, members_matrix._post_data(row, members_world))
        assert_strict_policy(response, f"{method.upper()} {url} as {role}")
        _finish(response)


@pytest.mark.parametrize("role", meetings_matrix.ROLES)
def test_every_page_of_the_meetings_matrix_carries_a_strict_policy(meetings_world, role):  # noqa: F811
    """Each row of tests/meetings/test_permissions.py's two matrices (before
    and after the meeting), as each role, answers with a strict policy."""
    from meetings.models import Meeting

    client = Client(raise_request_exception=False)
    if role != "anon":
        client.force_login(meetings_world.users[role])

    def walk(matrix):
        for name, _cells in matrix:
            url = meetings_matrix._url(name, meetings_world)
            response = client.get(url)
            assert_strict_policy(response, f"GET {url} as {role}")
            _finish(response)

    walk(meetings_matrix.MATRIX)
    Meeting.objects.filter(pk=meetings_world.meeting.pk).update(status="held")
    walk(meetings_matrix.MATRIX_HELD)


def test_the_error_pages_carry_a_strict_policy(settings, network, focal_a):
    """403, 404 and the 500 page (an unexpected error) all carry it."""
    client = Client(raise_request_exception=False)
    assert_strict_policy(client.get("/no/such/page/"), "404")
    client.force_login(focal_a)
    forbidden = client.get(reverse("members:organization_create"))
    assert forbidden.status_code == 403
    assert_strict_policy(forbidden, "403")

    settings.ROOT_URLCONF = "tests.core.test_pages"
    settings.DEBUG = False
    crash = Client(raise_request_exception=False).get("/boom/")
    assert crash.status_code == 500
    assert_strict_policy(crash, "500")


def test_downloads_and_json_carry_it_too_but_not_pdfs(client, network, secretariat):
    """Not only HTML: the health check (JSON) and a calendar file carry the
    policy; a PDF does not (core/csp.py says why)."""
    from tests.meetings.conftest import make_meeting

    assert_strict_policy(client.get(reverse("healthz")), "healthz")
    meeting = make_meeting(network, days=-2)
    client.force_login(secretariat)
    assert_strict_policy(client.get(reverse("meetings:ics", args=[meeting.pk])), "ics")
    pdf = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in pdf


# --- (b) no page of ours needs an inline script or style ---------------------------------------


URL_ATTRIBUTES = ("href", "src", "action", "formaction")


class InlineCode(HTMLParser):
    """Collects what the policy forbids in a page: event handler attributes
    (onclick=...), <script> without src, javascript: links, style attributes
    and <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"<{tag} {name}={value!r}>")
            elif name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not attributes.get("src"):
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    finder = InlineCode()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_finder_finds_every_kind_of_inline_code():
    """The parser the walk relies on reports each thing the policy blocks,
    and nothing in clean markup (data attributes, scripts with src)."""
    dirty = (
        '<form onsubmit="return confirm(1)"><select ONCHANGE="x()"></select></form>'
        '<script>alert(1)</script><style>p{}</style><div style="width: 3%"></div>'
        '<a href="javascript:void(0)">x</a><img src=x onerror=alert(1) />'
    )
    assert len(inline_code(dirty)) == 7
    clean = (
        '<form data-confirm="Sure?"><select data-autosubmit></select></form>'
        '<script src="/static/js/app.js" defer></script><div data-width="3"></div>'
        "<p>one=two, onward</p>"
    )
    assert inline_code(clean) == []


DEMO = "demo-password-2026"


def _demo_pages() -> list[tuple[str | None, str, str]]:
    """(who, method, url) for a page of every template, on the demo data.
    `who` is a demo account's e-mail, None for the public."""
    from meetings.models import AgendaItem, AgendaItemStatus, Meeting, MinutesStatus, Participant
    from members.models import (
        ChairTerm,
        Membership,
        MembershipApplication,
        Network,
        Organization,
        Person,
    )
    from taskteams.models import TaskTeam
    from workplans.models import Activity, Objective, Workplan

    sec, focal, applicant = (
        "secretariat@demo.example.org",
        "focal@demo.example.org",
        "applicant@demo.example.org",
    )
    unnm = Network.objects.get(slug="unnm")
    org = Organization.objects.filter(memberships__network=unnm).first()
    submitted = MembershipApplication.objects.filter(status="submitted").first()
    draft = MembershipApplication.objects.filter(status="draft").first()
    planned = Meeting.objects.filter(agenda_items__status=AgendaItemStatus.PROPOSED).first()
    standing = Meeting.objects.filter(agenda_items__kind="action_points").exclude(pk=planned.pk)
    proposed = AgendaItem.objects.filter(meeting=planned, status=AgendaItemStatus.PROPOSED).first()
    held = Meeting.objects.filter(minutes__status=MinutesStatus.DRAFT).first()
    # The GMG's principals' meeting of 9 November 2007 (decisions/demo.py):
    # its approved minutes show their decisions from the register.
    approved = Meeting.objects.filter(minutes__status=MinutesStatus.APPROVED).first()
    workplan = Workplan.objects.first()
    team = TaskTeam.objects.first()
    mine = Activity.objects.filter(lead_organizations__people__user__email=focal).first()
    invitation = Participant.objects.filter(person__user__email=focal).first()
    r = reverse
    pages = [
        (None, "get", r("home")),
        # The dashboard's panels (each app's, core.registry) for the roles that see them.
        (sec, "get", r("home")),
        (focal, "get", r("home")),
        ("chair@demo.example.org", "get", r("home")),
        (None, "get", r("login")),
        (None, "get", r("password_reset")),
        (None, "get", r("password_reset_done")),
        (None, "get", r("password_reset_confirm", args=["MQ", "bad-token"])),
        (None, "get", r("password_reset_complete")),
        (None, "get", r("members:apply_start")),
        (None, "get", r("members:apply_form", args=[unnm.slug])),
        # An agency already a member, as the form's check asks while typing.
        (None, "get", r("members:apply_check", args=[unnm.slug]) + "?org_acronym=IOM"),
        (None, "get", r("members:application_status", args=[submitted.access_token])),
        (None, "get", "/no/such/page/"),
        (applicant, "get", r("members:application_status", args=[draft.access_token])),
        (focal, "get", r("members:organization_create")),  # 403
        (focal, "get", r("workplans:mine")),
        (focal, "get", r("workplans:progress_log", args=[mine.pk])),
        (focal, "get", r("workplans:progress_import")),
        (sec, "get", r("password_change")),
        (sec, "get", r("password_change_done")),
        (sec, "get", r("members:directory")),
        (sec, "get", r("members:organization_create")),
        (sec, "get", r("members:organization_detail", args=[org.slug])),
        (sec, "get", r("members:organization_edit", args=[org.slug])),
        (sec, "get", r("members:person_create", args=[org.slug])),
        (sec, "get", r("members:person_edit", args=[Person.objects.first().pk])),
        (sec, "get", r("members:network_list")),
        (sec, "get", r("members:network_detail", args=[unnm.slug])),
        (sec, "get", r("members:network_edit", args=[unnm.slug])),
        (sec, "get", r("members:membership_create", args=[unnm.slug])),
        (sec, "get", r("members:membership_edit", args=[Membership.objects.first().pk])),
        (sec, "get", r("members:chair_term_create", args=[unnm.slug])),
        (sec, "get", r("members:chair_plan", args=[unnm.slug])),
        (sec, "get", r("members:chair_term_edit", args=[ChairTerm.objects.first().pk])),
        (sec, "get", r("members:chair_term_narrative", args=[ChairTerm.objects.first().pk])),
        (sec, "get", r("members:application_list")),
        (sec, "get", r("members:application_detail", args=[submitted.pk])),
        (sec, "get", r("meetings:list")),
        (sec, "get", r("meetings:year")),
        (sec, "get", r("meetings:create", args=[unnm.slug])),
        (sec, "get", r("meetings:plan_year", args=[unnm.slug])),
        (sec, "get", r("meetings:detail", args=[planned.pk])),
        (sec, "get", r("meetings:edit", args=[planned.pk])),
        (sec, "get", r("meetings:copy", args=[planned.pk])),
        (sec, "get", r("meetings:cancel", args=[planned.pk])),
        (sec, "get", r("meetings:invite", args=[planned.pk])),
        (sec, "get", r("meetings:agenda_propose", args=[planned.pk])),
        (sec, "get", r("meetings:agenda_decide", args=[planned.pk, proposed.pk])),
        (sec, "get", r("meetings:agenda_circulate", args=[planned.pk])),
        (sec, "get", r("meetings:calendar_feed")),
        (sec, "get", r("meetings:detail", args=[held.pk])),
        (sec, "get", r("meetings:attendance", args=[held.pk])),
        (sec, "get", r("meetings:minutes_edit", args=[held.pk])),
        (sec, "get", r("meetings:minutes_versions", args=[held.pk])),
        (sec, "get", r("meetings:minutes_diff", args=[held.pk]) + "?old=1&new=2&view=unified"),
        (sec, "get", r("meetings:minutes_diff", args=[held.pk])),
        (sec, "get", r("meetings:minutes_approve", args=[held.pk])),
        (sec, "get", r("meetings:minutes_circulate", args=[held.pk])),
        (sec, "get", r("meetings:detail", args=[approved.pk])),
        (sec, "get", r("workplans:list")),
        (sec, "get", r("workplans:create", args=[unnm.slug])),
        (sec, "get", r("workplans:detail", args=[workplan.pk])),
        (sec, "get", r("workplans:edit", args=[workplan.pk])),
        (sec, "get", r("workplans:import", args=[workplan.pk])),
        (sec, "get", r("workplans:objective_create", args=[workplan.pk])),
        (sec, "get", r("workplans:objective_edit", args=[Objective.objects.first().pk])),
        (sec, "get", r("workplans:activity_create", args=[workplan.pk])),
        (sec, "get", r("workplans:activity_edit", args=[mine.pk])),
        (sec, "get", r("workplans:activity", args=[mine.pk])),
        (sec, "get", r("workplans:not_reported", args=[workplan.pk])),
        (sec, "get", r("taskteams:list", args=[team.network.slug])),
        (sec, "get", r("taskteams:create", args=[team.network.slug])),
        (sec, "get", r("taskteams:detail", args=[team.network.slug, team.slug])),
        (sec, "get", r("taskteams:edit", args=[team.network.slug, team.slug])),
        (sec, "get", r("taskteams:membership", args=[team.network.slug, team.slug])),
        ("admin@demo.example.org", "get", r("admin:index")),
        # simple-history's admin history list (our copy, without its style attribute).
        (
            "admin@demo.example.org",
            "get",
            r("admin:workplans_workplan_history", args=[workplan.pk]),
        ),
    ]
    pages += [(sec, "get", r("meetings:detail", args=[m.pk])) for m in standing]
    pages += _decision_pages(sec, focal, unnm)
    pages += _document_pages(sec, focal, unnm)
    pages += _report_pages(sec, unnm)
    if invitation:
        pages.append((focal, "get", r("meetings:respond", args=[invitation.pk])))
    return pages


def _decision_pages(sec: str, focal: str, unnm) -> list[tuple[str | None, str, str]]:
    """Beside the demo's decisions (decisions/demo.py), the states it
    lacks: a draft, a meeting's draft, an open silence procedure revised
    once; and one without consensus with an escalation step under way,
    each page of them."""
    from decisions.models import Body, Procedure, Stance
    from decisions.services import escalation, positions, register
    from members.roles import build_actor

    user = User.objects.get(email=sec)
    now = timezone.now()

    def new(procedure=Procedure.SILENCE, **kw):
        return register.decision_create(
            network=unnm,
            body=Body.ANNUAL_MEETING,
            procedure=procedure,
            title="Terms of reference",
            text="The Network **adopts** them.",
            by=user,
            **kw,
        )

    draft, meeting = new(), new(Procedure.MEETING, public=True)
    live, broken = new(), new()
    for d in (live, broken):
        register.decision_open(decision=d, deadline=now + timedelta(hours=80), by=user)
    agency = next(iter(sorted(build_actor(User.objects.get(email=focal)).organization_ids)))
    positions.position_state(
        decision=broken,
        actor=build_actor(user),
        organization_id=agency,
        stance=Stance.OBJECT,
        statement="No.",
        by=user,
        received_by="E-mail",
    )
    register.decision_revise(
        decision=live,
        title="Terms of reference",
        text="The Network **adopts** them as revised.",
        note="Revised.",
        deadline=now + timedelta(hours=90),
        by=user,
    )
    register.decision_close(decision=broken, now=now + timedelta(hours=81))
    escalation.escalation_start(decision=broken, by=user)
    r = reverse
    return [
        (None, "get", r("decisions:detail", args=[meeting.pk])),
        (sec, "get", r("decisions:list")),
        (sec, "get", r("decisions:network", args=[unnm.slug])),
        (sec, "get", r("decisions:create", args=[unnm.slug])),
        (sec, "get", r("decisions:detail", args=[live.pk])),
        (sec, "get", r("decisions:detail", args=[broken.pk])),
        (sec, "get", r("decisions:compare", args=[live.pk])),
        (sec, "get", r("decisions:edit", args=[draft.pk])),
        (sec, "get", r("decisions:open", args=[draft.pk])),
        (sec, "get", r("decisions:adopted", args=[meeting.pk])),
        (sec, "get", r("decisions:revise", args=[live.pk])),
        (sec, "get", r("decisions:close", args=[live.pk])),
        (sec, "get", r("decisions:withdraw", args=[live.pk])),
        (sec, "get", r("decisions:escalation_result", args=[broken.pk])),
        (sec, "get", r("decisions:record_position", args=[live.pk])),
        (focal, "get", r("decisions:position", args=[live.pk])),
        (focal, "get", r("home")),
    ]


def _document_pages(sec: str, focal: str, unnm) -> list[tuple[str | None, str, str]]:
    """Every page of the documents app: a draft led by the focal point's
    agency (its dashboard panel) with a file, a published public one, a
    superseded one, and an engagement; the register and its forms."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import services as documents
    from documents.models import Access, DocumentKind
    from members.models import Organization
    from members.roles import build_actor

    user = User.objects.get(email=sec)
    agency = next(iter(sorted(build_actor(User.objects.get(email=focal)).organization_ids)))
    kind = DocumentKind.objects.get(slug="statement")

    def new(title, **kw):
        return documents.document_create(
            network=unnm, by=user, title=title, kind=kind, date=timezone.localdate(), **kw
        )

    draft = new(
        "Walk draft", lead_agency=Organization.objects.get(pk=agency), summary="A **draft**."
    )
    version = documents.file_upload(
        document=draft,
        upload=SimpleUploadedFile("notes.txt", b"Plain notes."),
        language="en",
        by=user,
        note="First",
    )
    public = new("Walk public", access=Access.PUBLIC, external_url="https://example.org/x")
    documents.document_move(document=public, status="published", by=user)
    old = new("Walk old", access=Access.PUBLIC, external_url="https://example.org/y")
    documents.document_move(document=old, status="published", by=user)
    documents.document_move(document=old, status="superseded", by=user, superseded_by=public)
    engagement = documents.engagement_save(
        network=unnm,
        by=user,
        event="Walk GFMD",
        kind="statement",
        start=timezone.localdate(),
        outcome="Noted.",
        public=True,
        documents=[public],
    )
    # A paper of the register on an agenda item of the UN Network's meeting.
    from meetings.models import AgendaItem

    item = AgendaItem.objects.filter(meeting__network=unnm).order_by("pk").first()
    documents.paper_attach(item=item, document=public, by=user)
    r = reverse
    return [
        (sec, "get", r("documents:paper_add", args=[item.meeting_id])),
        (sec, "get", item.meeting.get_absolute_url()),
        (None, "get", r("documents:list", args=[unnm.slug])),
        (None, "get", r("documents:detail", args=[old.pk])),
        (None, "get", r("documents:engagement_detail", args=[engagement.pk])),
        (sec, "get", r("documents:list", args=[unnm.slug])),
        (sec, "get", r("documents:create", args=[unnm.slug])),
        (sec, "get", r("documents:detail", args=[draft.pk])),
        (sec, "get", r("documents:detail", args=[public.pk])),
        (sec, "get", r("documents:edit", args=[draft.pk])),
        (sec, "get", r("documents:upload", args=[draft.pk])),
        (sec, "get", r("documents:move", args=[public.pk]) + "?status=superseded"),
        (sec, "get", r("documents:move", args=[public.pk]) + "?status=withdrawn"),
        (sec, "get", version.get_absolute_url()),
        (sec, "get", r("documents:engagements", args=[unnm.slug])),
        (sec, "get", r("documents:engagement_create", args=[unnm.slug])),
        (sec, "get", r("documents:engagement_detail", args=[engagement.pk])),
        (sec, "get", r("documents:engagement_edit", args=[engagement.pk])),
        # The focal point's dashboard over all its networks: the draft waits there.
        (focal, "get", r("home") + "?all=1"),
        # The search finds them (home/search.html).
        (sec, "get", r("search") + "?q=walk"),
    ]


def _report_pages(sec: str, unnm) -> list[tuple[str | None, str, str]]:
    """The reports pages: a ready build (rebuilt, so it says what changed),
    a failed one and one in flight; the secretariat's panel of failed
    builds; the chair's panel of the term's summary (the demo chair's
    dashboard, walked above)."""
    from datetime import date

    from reports import builder
    from reports.models import BuildStatus, ReportBuild, ReportKind

    def request(year):
        return builder.Request(
            ReportKind.MEMBERSHIP_UPDATE, unnm, date(year, 1, 1), date(year, 12, 31)
        )

    first, _ = builder.request_build(request(2026), hand_over=False)
    builder.run_build(first.pk)
    again, _ = builder.request_build(request(2026), hand_over=False)
    ready = builder.run_build(again.pk)
    failed, _ = builder.request_build(request(2025), hand_over=False)
    ReportBuild.objects.filter(pk=failed.pk).update(status=BuildStatus.FAILED, error="boom")
    queued, _ = builder.request_build(request(2024), hand_over=False)
    # The demo has no chair term today: the demo chair's agency (IOM) holds
    # one of the network the dashboard opens on, so its panel shows.
    from datetime import timedelta

    from django.utils import timezone

    from members.models import ChairTerm, Person

    today = timezone.localdate()
    chair_org = Person.objects.get(email="chair@demo.example.org").organization
    ChairTerm.objects.create(
        network=unnm,
        organization=chair_org,
        start=today - timedelta(days=10),
        end=today + timedelta(days=100),
    )
    r = reverse
    return [
        (sec, "get", r("reports:list", args=[unnm.slug])),
        (sec, "get", r("reports:detail", args=[ready.pk])),
        (sec, "get", r("reports:detail", args=[failed.pk])),
        (sec, "get", r("reports:detail", args=[queued.pk])),
        (sec, "get", r("reports:status", args=[queued.pk])),
        (sec, "get", r("home")),
    ]


def _states_the_demo_lacks():
    """Minutes in two versions on a held meeting of the demo, a circulated
    copy elsewhere for the comment form, and the standing items (open action
    points among them) on the agenda of a planned meeting that has none, and
    an annual meeting of the full membership ahead."""
    from meetings.models import ActionPoint, Meeting, MeetingLevel
    from meetings.services.agenda import agenda_ensure_standing_items
    from meetings.services.minutes import minutes_circulate, minutes_save
    from members.models import Network, Organization
    from tests.meetings.conftest import make_meeting

    sec = User.objects.get(email="secretariat@demo.example.org")
    held = Meeting.objects.filter(status="held").order_by("-start")
    first, second = held[0], held[1]
    for meeting in (first, second):
        minutes_save(
            meeting=meeting, body="# Report\n\nMet.", decisions="- one", base_version=0, by=sec
        )
        minutes_save(
            meeting=meeting,
            body="# Report\n\nMet on Friday.",
            decisions="- one",
            base_version=1,
            by=sec,
        )
    minutes_circulate(
        minutes=second.minutes, comment_deadline=timezone.now() + timedelta(days=7), by=sec
    )
    ActionPoint.objects.create(
        meeting=first, description="Draft the note", owner=Organization.objects.first()
    )
    agenda_ensure_standing_items(meeting=make_meeting(first.network, days=30), by=sec)
    # The network page announces the next annual meeting of the full membership.
    make_meeting(
        Network.objects.get(slug="unnm"),
        days=90,
        level=MeetingLevel.ANNUAL,
        title="Annual meeting of the full membership",
    )
    return second


def test_no_page_of_ours_needs_inline_script_or_style(settings):
    """Every template under templates/ (the PDFs' aside) is rendered on the
    demo data, and no page has an inline handler, an inline <script>, a
    style attribute or a <style> element; each carries the strict policy."""
    call_command("seed_demo", stdout=StringIO())
    circulated = _states_the_demo_lacks()
    rendered: set[str] = set()
    failures: list[str] = []

    def check(response, where):
        rendered.update(t.name for t in response.templates if t.name)
        if response.get("Content-Type", "").startswith("text/html"):
            failures.extend(f"{where}: {p}" for p in inline_code(response.content.decode()))
        assert_strict_policy(response, where)

    client = Client(raise_request_exception=False)
    for who, method, url in _demo_pages():
        client.logout()
        if who:
            client.force_login(User.objects.get(email=who))
        response = getattr(client, method)(url)
        assert response.status_code in (200, 403, 404), f"{url} as {who}: {response.status_code}"
        check(response, f"{url} as {who}")

    # The comment form, as whichever demo member may comment on the circulated minutes.
    comment_url = reverse("meetings:minutes_comment", args=[circulated.pk])
    for email in ("principal@demo.example.org", "chair@demo.example.org", "focal@demo.example.org"):
        client.force_login(User.objects.get(email=email))
        response = client.get(comment_url)
        if response.status_code == 200:
            break
    assert response.status_code == 200, "no demo member may comment"
    check(response, "comment")

    # The application form's check, paused for an address that asked too often.
    client.logout()
    settings.APPLY_CHECK_PER_ADDRESS_PER_MINUTE = 0
    response = client.get(reverse("members:apply_check", args=["unnm"]))
    assert response.status_code == 429
    check(response, "apply check paused")
    settings.APPLY_CHECK_PER_ADDRESS_PER_MINUTE = 30

    # The lockout page: repeated wrong passwords.
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            reverse("login"), {"username": "focal@demo.example.org", "password": "wrong"}
        )
    check(response, "locked out")

    # Follow-up: an adopted decision of the UN Network (public) with an
    # overdue action of the focal point's agency; its page, the
    # implementation page, the agency's dashboard panel, the network's page
    # and the decision's page for the public, and the action form refused.
    from datetime import date

    from decisions.services import follow_up, register
    from members.models import Network, Organization

    sec = User.objects.get(email="secretariat@demo.example.org")
    focal = User.objects.get(email="focal@demo.example.org")
    unnm = Network.objects.get(slug="unnm")
    decision = register.decision_create(
        network=unnm,
        body="executive_committee",
        procedure="meeting",
        title="Walk decision",
        text="Text.",
        by=sec,
        public=True,
    )
    register.decision_record_adopted(decision=decision, on=date(2026, 1, 5), by=sec)
    owner = Organization.objects.get(people__user=focal)
    point = follow_up.decision_action_create(
        decision=decision, description="Walk action", owner=owner, due=date(2026, 2, 1), by=sec
    )
    waiting = register.decision_create(
        network=unnm,
        body="principals",
        procedure="silence",
        title="Walk silence",
        text="T.",
        by=sec,
    )
    register.decision_open(decision=waiting, deadline=timezone.now() + timedelta(days=5), by=sec)
    register.decision_revise(
        decision=waiting,
        title="Walk silence",
        text="T, revised.",
        note="Revised.",
        deadline=timezone.now() + timedelta(days=6),
        by=sec,
    )
    for who, url in (
        (focal, reverse("meetings:action", args=[point.pk])),
        (focal, reverse("home") + "?all=1"),
        (sec, reverse("decisions:list")),
        (sec, reverse("decisions:create", args=[unnm.slug])),
        (sec, reverse("decisions:compare", args=[waiting.pk]) + "?old=1&new=2"),
        (sec, reverse("decisions:implementation", args=[unnm.slug])),
        (sec, reverse("decisions:detail", args=[decision.pk])),
        # Public and adopted: the network's page lists it for the public,
        # whose page of it has no positions and no members' links.
        (None, reverse("members:network_detail", args=[unnm.slug])),
        (None, reverse("decisions:detail", args=[decision.pk])),
    ):
        client.logout()
        if who is not None:
            client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200, url
        check(response, url)
    client.force_login(sec)
    response = client.post(reverse("decisions:action_new", args=[decision.pk]), {})
    assert response.status_code == 200
    check(response, "decision action refused")

    # The page shown when a PDF render overruns its time limit.
    from unittest import mock

    from meetings import pdf
    from meetings.models import Meeting

    settings.PDF_RENDER_TIMEOUT_SECONDS = 1
    client.force_login(User.objects.get(email="secretariat@demo.example.org"))
    with mock.patch.object(pdf, "html_to_pdf_now", lambda html: time.sleep(30)):
        meeting = Meeting.objects.order_by("pk").first()
        response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 503
    check(response, "PDF time limit")

    # The 500 page, from an unexpected error.
    settings.ROOT_URLCONF = "tests.core.test_pages"
    settings.DEBUG = False
    check(Client(raise_request_exception=False).get("/boom/"), "500")

    assert not failures, "\n".join(failures)
    ours = {
        str(p.relative_to(TEMPLATES_DIR))
        for p in TEMPLATES_DIR.rglob("*.html")
        if "pdf" not in p.relative_to(TEMPLATES_DIR).parts  # WeasyPrint's, not a browser's
    }
    assert ours - rendered == set(), "templates the walk did not reach"
