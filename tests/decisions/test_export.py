"""The register as CSV and XLSX (`networks/<slug>/decisions/?format=csv|xlsx`):
the columns a secretariat files, the same rows as the register page with the
same filters (year, body, procedure, status, topic, agency, text), drafts
only for those who read them, the network's readers only, cells that a
spreadsheet would run as formulas written as text, and a fixed number of
queries with 10 or 500 decisions."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from decisions.models import Body, Procedure
from decisions.services import register
from tests import factories as f
from workplans.models import FrameworkObjective

from .conftest import make_decision, opened

pytestmark = pytest.mark.django_db

HEADERS = [
    "Reference",
    "Title",
    "Deciding body",
    "Procedure",
    "Status",
    "Opened",
    "Deadline",
    "Closed",
    "Proposed by",
    "Topics",
    "Outcome",
    "Public",
]
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _adopted(network, by, on, **kw):
    decision = make_decision(network, by, procedure=Procedure.MEETING, **kw)
    register.decision_record_adopted(decision=decision, on=on, by=by)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def world(network, other_network, secretariat, committee, agency_a, agency_b, now):
    topics = list(FrameworkObjective.objects.order_by("pk")[:2])
    out = {
        "draft": make_decision(network, secretariat, title="A draft of the secretariat"),
        "open": opened(
            network,
            secretariat,
            now,
            title="Silence on the returns study",
            proposed_by=agency_b,
            topics=[topics[0]],
        ),
        "public": _adopted(
            network,
            secretariat,
            date(2025, 3, 4),
            title=FORMULA,
            public=True,
            body=Body.PRINCIPALS,
            text="The principals agree on the annual theme.",
        ),
        "private": _adopted(
            network,
            secretariat,
            now.date(),
            title="Budget of the secretariat",
            proposed_by=agency_a,
            topics=topics,
        ),
    }
    other = f.UserFactory(email="sec@other.example.org")
    f.grant(other, "secretariat", other_network)
    out["elsewhere"] = _adopted(other_network, other, now.date(), title="Another network's")
    out["topics"] = topics
    return out


def _url(network, **params):
    from urllib.parse import urlencode

    return reverse("decisions:network", args=[network.slug]) + "?" + urlencode(params)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _titles_csv(client, network, **params) -> set[str]:
    rows = _csv(client.get(_url(network, format="csv", **params)))
    return {r[1].removeprefix("'") for r in rows[1:]}


def _titles_page(client, network, **params) -> set[str]:
    response = client.get(_url(network, **params))
    return {d.title for d, _answered in response.context["rows"]}


def test_the_csv_has_the_register_columns(client, network, secretariat, world, agency_a):
    client.force_login(secretariat)
    response = client.get(_url(network, format="csv"))
    rows = _csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="gtn-decisions-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert rows[0] == HEADERS
    by_title = {r[1]: r for r in rows[1:]}
    assert set(by_title) == {
        "A draft of the secretariat",
        "Silence on the returns study",
        "'" + FORMULA,
        "Budget of the secretariat",
    }
    private = world["private"]
    row = by_title["Budget of the secretariat"]
    assert row[0] == private.reference
    assert row[2:5] == ["Executive committee", "Taken at a meeting", "Adopted"]
    assert row[7].startswith(private.closed_at.date().isoformat())
    assert row[8] == agency_a.acronym
    assert row[9] == "; ".join(str(t) for t in world["topics"])
    assert row[10].startswith(f"Adopted as {private.reference}")
    assert row[11] == ""
    open_row = by_title["Silence on the returns study"]
    assert open_row[0] == "" and open_row[4] == "Open" and open_row[10] == ""
    assert open_row[5] and open_row[6]  # opened, deadline
    assert by_title["'" + FORMULA][11] == "yes"


def test_the_xlsx_has_typed_cells_and_says_what_it_is(client, network, secretariat, world):
    client.force_login(secretariat)
    response = client.get(_url(network, format="xlsx", status="open"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 2
    row = [c.value for c in sheet[2]]
    assert row[1] == "Silence on the returns study"
    assert isinstance(row[5], datetime) and isinstance(row[6], datetime)
    about = {r[0].value: r[1].value for r in book.worksheets[1].iter_rows()}
    assert about["Network"] == network.name
    assert about["Decisions"] == 1
    assert "Status: open" in about["Filters"]


def test_formulas_are_written_as_text(client, network, secretariat, world):
    client.force_login(secretariat)
    rows = _csv(client.get(_url(network, format="csv", status="adopted", body="principals")))
    assert [r[1] for r in rows[1:]] == ["'" + FORMULA]
    book = load_workbook(
        io.BytesIO(client.get(_url(network, format="xlsx", q="HYPERLINK")).content)
    )
    cell = book.worksheets[0]["B2"]
    assert cell.value == FORMULA and cell.data_type == "s"


def test_the_exports_honor_every_filter_of_the_register(
    client, network, secretariat, world, agency_a, agency_b
):
    client.force_login(secretariat)
    filters = [
        {"year": 2025},
        {"body": "principals"},
        {"procedure": "silence"},
        {"status": "adopted"},
        {"status": "draft"},
        {"topic": world["topics"][1].pk},
        {"agency": agency_b.pk},
        {"agency": agency_a.pk},
        {"q": "secretariat"},
        {"q": "annual theme"},
        {"status": "adopted", "year": 2025},
    ]
    for params in filters:
        exported = _titles_csv(client, network, **params)
        assert exported == _titles_page(client, network, **params), params
        assert exported, params
        book = load_workbook(io.BytesIO(client.get(_url(network, format="xlsx", **params)).content))
        assert {r[1].value for r in book.worksheets[0].iter_rows(min_row=2)} == exported, params
    assert _titles_csv(client, network, year=2025) == {FORMULA}
    assert _titles_csv(client, network, agency=agency_b.pk) == {"Silence on the returns study"}


def test_a_plain_member_exports_no_draft(client, network, focal_a, world):
    client.force_login(focal_a)
    assert _titles_csv(client, network) == {
        "Silence on the returns study",
        FORMULA,
        "Budget of the secretariat",
    }
    assert _titles_csv(client, network, status="draft") == set()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "login"),
        ("outsider", 404),
        ("other_secretariat", 404),
        ("focal_elsewhere", 404),
        ("focal_c", 200),
        ("chair", 200),
        ("secretariat", 200),
        ("admin_user", 200),
    ],
)
def test_who_exports_the_register(
    client, request, network, other_network, world, persona, fmt, expected
):
    """The network's readers only: another network's secretariat or member
    (who sees the public decisions on the page) gets a 404."""
    if persona == "other_secretariat":
        user = f.UserFactory(email="another@other.example.org")
        f.grant(user, "secretariat", other_network)
    elif persona == "focal_elsewhere":
        org = f.OrganizationFactory(acronym="OOO", name="Agency O", slug="ooo")
        f.MembershipFactory(network=other_network, organization=org)
        user = f.UserFactory(email="focal@agency-o.example.org")
        f.PersonFactory(organization=org, level="focal_point", user=user, email=user.email)
    elif persona != "anonymous":
        user = request.getfixturevalue(persona)
    if persona != "anonymous":
        client.force_login(user)
    response = client.get(_url(network, format=fmt))
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, persona
    page = client.get(_url(network))
    assert page.status_code == 200
    assert (b'data-export="csv"' in page.content) == (expected == 200), persona


def test_the_header_register_links_to_the_networks_export_with_its_filters(
    client, network, secretariat, world
):
    client.force_login(secretariat)
    response = client.get(reverse("decisions:list"), {"network": network.pk, "status": "open"})
    html = response.content.decode()
    base = reverse("decisions:network", args=[network.slug])
    assert f'href="{base}?status=open&amp;format=csv"' in html
    assert f'href="{base}?status=open&amp;format=xlsx"' in html


# --- the budget --------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("persona", ["secretariat", "focal_a"])
def test_the_exports_keep_their_budget(client, request, network, committee, persona, fmt):
    from .test_query_budgets import _grow_register

    client.force_login(request.getfixturevalue(persona))
    url = _url(network, format=fmt)
    _grow_register(network, committee, 10)
    small = _count(client, url)
    _grow_register(network, committee, 490)
    # Session, user, the header's network, role grants, person records (a
    # focal point's chair terms, coordinations and memberships too); the
    # overdue decisions to close (none); the network of the URL; the rows
    # with their network, proposer and task team; their topics; their
    # escalation steps.
    assert _count(client, url) == small == (10 if persona == "secretariat" else 13)
