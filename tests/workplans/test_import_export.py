"""A workplan from a spreadsheet (CSV and XLSX): valid files import, a file
with any error imports nothing and lists each error by row and column, a
re-import updates instead of duplicating; the activity list exports as CSV
and XLSX with the page's filters applied, read back here."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from core.errors import DomainError
from taskteams.models import TaskTeam
from tests import factories as f
from tests.workplans import make_activity, make_objective, make_workplan, this_year
from workplans.models import (
    Activity,
    ActivityStatus,
    Objective,
    ProgressUpdate,
    Workplan,
    WorkplanStatus,
)
from workplans.services import exports, imports

pytestmark = pytest.mark.django_db

HEADER = imports.KEYS
Y = this_year()


@pytest.fixture
def plan(network, agency_a, agency_b):
    """An empty draft workplan of this year; agencies AAA and BBB are members,
    ZZZ exists but is not; the network has the task team “Data and evidence”."""
    f.OrganizationFactory(acronym="ZZZ", slug="zzz")
    TaskTeam.objects.create(network=network, name="Data and evidence", slug="data", focus="Data")
    return make_workplan(network, title="Regional workplan")


@pytest.fixture
def sec_client(client, network, secretariat):
    client.force_login(secretariat)
    return client


def row(**values) -> list[str]:
    base = {
        "objective_code": "1",
        "objective_title": "",
        "activity_code": "",
        "title": "An activity",
        "description": "",
        "lead": "AAA",
        "partners": "",
        "task_team": "",
        "start": f"{Y}-01-15",
        "end": f"{Y}-06-30",
        "indicator": "",
        "target": "",
        "weight": "",
        "framework": "",
    }
    base.update(values)
    return [base[k] for k in HEADER]


VALID_ROWS = [
    row(
        objective_title="Evidence",
        activity_code="1.1",
        title="Data workshop",
        lead="AAA; bbb",
        task_team="Data and evidence",
        indicator="Workshop held",
        target="30 officials",
        weight="2",
        framework="GCM 1; SDG 10.7",
    ),
    row(activity_code="1.2", title="Guidance note", partners="BBB", framework="gcm1"),
    row(
        objective_code="2",
        objective_title="Information",
        activity_code="2.1",
        title="Campaign",
        lead="BBB",
        task_team="data",
        start=f"{Y}-03-01",
        end=f"{Y}-12-31",
        weight="0.5",
    ),
]


def csv_bytes(rows, header=HEADER, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, workplan, name, content):
    return client.post(
        reverse("workplans:import", args=[workplan.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def _check_the_valid_import(plan):
    assert list(plan.objectives.order_by("position").values_list("code", "title")) == [
        ("1", "Evidence"),
        ("2", "Information"),
    ]
    first = Activity.objects.get(objective__workplan=plan, code="1.1")
    assert sorted(o.acronym for o in first.lead_organizations.all()) == ["AAA", "BBB"]
    assert first.task_team.slug == "data"
    assert first.weight == Decimal("2")
    assert (first.start, first.end) == (date(Y, 1, 15), date(Y, 6, 30))
    assert sorted(fo.code for fo in first.framework_objectives.all()) == ["GCM 1", "SDG 10.7"]
    assert (first.indicator, first.target) == ("Workshop held", "30 officials")
    second = Activity.objects.get(objective__workplan=plan, code="1.2")
    assert [o.acronym for o in second.partner_organizations.all()] == ["BBB"]
    assert second.weight == Decimal("1")
    assert [fo.code for fo in second.framework_objectives.all()] == ["GCM 1"]
    third = Activity.objects.get(objective__workplan=plan, code="2.1")
    assert third.objective.code == "2"
    assert third.weight == Decimal("0.5")
    assert third.status == ActivityStatus.NOT_STARTED


def test_a_valid_csv_imports(sec_client, plan, secretariat):
    """Three activities under two objectives, with leads, partners, task team
    (by name and by slug), weights and framework codes written loosely."""
    response = upload(sec_client, plan, "plan.csv", csv_bytes(VALID_ROWS))
    assert response.status_code == 302
    _check_the_valid_import(plan)
    assert Activity.objects.get(code="1.1").history.first().history_user == secretariat


def test_a_valid_xlsx_imports_with_date_cells(sec_client, plan):
    """Dates as Excel date cells and codes as numbers read as they show."""
    rows = [list(r) for r in VALID_ROWS]
    start, end, objective = HEADER.index("start"), HEADER.index("end"), 0
    rows[0][start] = datetime(Y, 1, 15)
    rows[0][end] = date(Y, 6, 30)
    rows[2][objective] = 2
    response = upload(sec_client, plan, "plan.xlsx", xlsx_bytes(rows))
    assert response.status_code == 302
    _check_the_valid_import(plan)


def test_a_semicolon_csv_from_a_european_spreadsheet_imports(sec_client, plan):
    response = upload(sec_client, plan, "plan.csv", csv_bytes(VALID_ROWS, delimiter=";"))
    assert response.status_code == 302
    assert Activity.objects.filter(objective__workplan=plan).count() == 3


BAD_ROWS = [
    row(objective_title="Evidence", activity_code="1.1", start=f"{Y}-13-01"),  # row 2
    row(activity_code="1.2", lead="AAA; XYZ"),  # row 3
    row(activity_code="1.3", start=f"{Y}-06-01", end=f"{Y}-05-01"),  # row 4
    row(activity_code="1.1", title="Again"),  # row 5
    row(activity_code="1.4", framework="GCM 1; GCM 24"),  # row 6
    row(activity_code="1.5", lead="ZZZ"),  # row 7
]
BAD_EXPECTED = [
    (2, "start", "I"),
    (3, "lead", "F"),
    (4, "end", "J"),
    (5, "activity_code", "C"),
    (6, "framework", "N"),
    (7, "lead", "F"),
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_errors_imports_nothing_and_lists_each(sec_client, plan, kind):
    """Bad date, unknown lead acronym, end before start, duplicate activity
    code, unknown framework code, a lead that is not a member: nothing is
    written, and the page lists each error with its row and column."""
    content = csv_bytes(BAD_ROWS) if kind == "csv" else xlsx_bytes(BAD_ROWS)
    response = upload(sec_client, plan, f"plan.{kind}", content)
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [(e.row, e.column, e.letter) for e in errors] == [
        (r, c, letter) for r, c, letter in BAD_EXPECTED
    ]
    messages = {(e.row, e.column): e.message for e in errors}
    assert "YYYY-MM-DD" in messages[(2, "start")]
    assert "XYZ" in messages[(3, "lead")]
    assert "cannot end before it starts" in messages[(4, "end")]
    assert "also on row 2" in messages[(5, "activity_code")]
    assert "GCM 24" in messages[(6, "framework")]
    assert "Not members of the network: ZZZ" in messages[(7, "lead")]
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "<td>4</td>" in html and "<code>end</code>" in html
    assert Objective.objects.filter(workplan=plan).count() == 0
    assert Activity.objects.filter(objective__workplan=plan).count() == 0


def test_a_missing_or_unknown_column_is_an_error_of_row_1(plan, secretariat):
    header = [h for h in HEADER if h != "lead"] + ["colour"]
    rows = [
        [v for k, v in zip(HEADER, r, strict=True) if k != "lead"] + ["red"] for r in VALID_ROWS
    ]
    with pytest.raises(imports.ImportRefused) as refused:
        imports.workplan_import(
            workplan=plan, name="plan.csv", raw=csv_bytes(rows, header=header), by=secretariat
        )
    assert {(e.row, e.column) for e in refused.value.errors} == {(1, "colour"), (1, "lead")}
    assert not Activity.objects.exists()


def test_a_new_objective_needs_its_title(plan):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.workplan_import(
            workplan=plan, name="plan.csv", raw=csv_bytes([row(activity_code="1.1")])
        )
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "objective_title")]


def test_a_damaged_file_is_refused(sec_client, plan):
    response = upload(sec_client, plan, "plan.xlsx", b"not a zip at all")
    assert response.status_code == 200
    assert "could not be read" in response.context["refused"]
    response = upload(sec_client, plan, "plan.txt", b"a,b")
    assert "file" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_a_re_import_updates_instead_of_duplicating(plan, secretariat):
    """The same codes again: objectives and activities are updated (title,
    leads, dates, objective), progress is kept, nothing is duplicated or
    deleted."""
    imports.workplan_import(
        workplan=plan, name="plan.csv", raw=csv_bytes(VALID_ROWS), by=secretariat
    )
    Activity.objects.filter(code="1.2").update(status=ActivityStatus.AT_RISK, percent_complete=40)
    again = [
        row(objective_title="Evidence base", activity_code="1.1", title="Data workshop, 2nd"),
        row(objective_code="2", activity_code="1.2", title="Guidance note", lead="BBB"),
    ]
    result = imports.workplan_import(
        workplan=plan, name="plan.csv", raw=csv_bytes(again), by=secretariat
    )
    assert (result.activities_created, result.activities_updated) == (0, 2)
    assert (result.objectives_created, result.objectives_updated) == (0, 1)
    assert Activity.objects.filter(objective__workplan=plan).count() == 3
    assert plan.objectives.count() == 2
    assert plan.objectives.get(code="1").title == "Evidence base"
    first = Activity.objects.get(code="1.1")
    assert first.title == "Data workshop, 2nd"
    assert [o.acronym for o in first.lead_organizations.all()] == ["AAA"]
    assert first.task_team is None  # an empty cell clears the field
    assert list(first.framework_objectives.all()) == []
    moved = Activity.objects.get(code="1.2")
    assert moved.objective.code == "2"
    assert (moved.status, moved.percent_complete) == (ActivityStatus.AT_RISK, 40)
    assert Activity.objects.filter(code="2.1").exists()  # not in the file: left alone


def test_a_closed_workplan_refuses_an_import(plan):
    Workplan.objects.filter(pk=plan.pk).update(status=WorkplanStatus.CLOSED)
    plan.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        imports.workplan_import(workplan=plan, name="plan.csv", raw=csv_bytes(VALID_ROWS))
    assert not Activity.objects.exists()


def test_the_templates_fill_in_and_import(sec_client, plan):
    """The CSV template is the header row; the XLSX template, filled in on its
    Activities sheet, imports as it is (its Help sheet is not read)."""
    response = sec_client.get(reverse("workplans:import_template", args=[plan.pk, "csv"]))
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == HEADER
    response = sec_client.get(reverse("workplans:import_template", args=[plan.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Activities"
    help_text = " ".join(str(c.value) for r in book["Help"].iter_rows() for c in r if c.value)
    assert "AAA; BBB" in help_text and "SDG 10.7" in help_text
    sheet = book["Activities"]
    for r in VALID_ROWS:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    response = upload(sec_client, plan, "filled.xlsx", out.getvalue())
    assert response.status_code == 302
    _check_the_valid_import(plan)


def test_the_import_page_documents_the_columns(sec_client, plan):
    response = sec_client.get(reverse("workplans:import", args=[plan.pk]))
    html = response.content.decode()
    for key in HEADER:
        assert f"<code>{key}</code>" in html


# --- exports ------------------------------------------------------------------------------


@pytest.fixture
def exported(plan, agency_a, agency_b, secretariat):
    """Three activities; 1.1 has two progress updates, the latest 2nd quarter."""
    from workplans.models import FrameworkObjective

    team = TaskTeam.objects.get(slug="data")
    one = make_objective(plan, "1", "Evidence")
    two = make_objective(plan, "2", "Information")
    first = make_activity(
        one,
        "1.1",
        leads=[agency_a],
        partners=[agency_b],
        task_team=team,
        status=ActivityStatus.ON_TRACK,
        percent=40,
        start=date(Y, 1, 15),
        end=date(Y, 12, 15),
        frameworks=FrameworkObjective.objects.filter(code__in=["GCM 1", "SDG 10.7"]),
        title="Data workshop",
    )
    for quarter in (1, 2):
        ProgressUpdate.objects.create(
            activity=first,
            year=Y,
            quarter=quarter,
            percent_complete=20 * quarter,
            status=ActivityStatus.ON_TRACK,
            narrative="Going",
            organization=agency_a,
            reported_by=secretariat,
        )
    make_activity(one, "1.10", leads=[agency_b], status=ActivityStatus.COMPLETED, percent=100)
    make_activity(two, "2.1", leads=[agency_b], title='=HYPERLINK("http://x")')
    return plan


def _csv_rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_reads_back(sec_client, exported, agency_a):
    response = sec_client.get(reverse("workplans:export", args=[exported.pk, "csv"]))
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [r["Activity code"] for r in rows] == ["1.1", "1.10", "2.1"]
    first = rows[0]
    assert first["Objective code"] == "1"
    assert first["Objective"] == "Evidence"
    assert first["Activity"] == "Data workshop"
    assert first["Lead"] == "AAA"
    assert first["Partners"] == "BBB"
    assert first["Task team"] == "Data and evidence"
    assert (first["Start"], first["End"]) == (f"{Y}-01-15", f"{Y}-12-15")
    assert first["Status"] == "On track"
    assert first["Percent complete"] == "40"
    assert first["Latest update"] == f"{Y} Q2"
    assert first["Framework objectives"] == "GCM 1; SDG 10.7"
    assert rows[1]["Status"] == "Completed"
    assert rows[1]["Latest update"] == ""
    # a title a spreadsheet would run as a formula is written as text
    assert rows[2]["Activity"].startswith("'=")


def test_the_csv_export_applies_the_filters(sec_client, exported, agency_b):
    url = reverse("workplans:export", args=[exported.pk, "csv"])
    rows = _csv_rows(sec_client.get(url, {"lead": agency_b.pk}))
    assert [r["Activity code"] for r in rows] == ["1.10", "2.1"]
    rows = _csv_rows(sec_client.get(url, {"lead": agency_b.pk, "status": "completed"}))
    assert [r["Activity code"] for r in rows] == ["1.10"]


def test_the_xlsx_export_reads_back_with_the_filters(sec_client, exported):
    url = reverse("workplans:export", args=[exported.pk, "xlsx"])
    response = sec_client.get(url, {"status": "on_track"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Activities"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == [c.label for c in exports.EXPORT_COLUMNS]
    assert len(rows) == 2
    first = dict(zip(header, rows[1], strict=True))
    assert first["Activity code"] == "1.1"
    assert first["Start"] == datetime(Y, 1, 15)
    assert first["Percent complete"] == 40
    assert first["Latest update"] == f"{Y} Q2"
    assert first["Framework objectives"] == "GCM 1; SDG 10.7"
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Filters"] == "Status: On track"
    assert about["Activities"] == 1


def test_the_xlsx_export_never_writes_a_formula(sec_client, exported):
    response = sec_client.get(reverse("workplans:export", args=[exported.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["Activities"]
    cell = sheet.cell(row=4, column=4)
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def test_an_export_of_a_workplan_out_of_sight_is_a_404(client, exported, other_network):
    other = f.UserFactory()
    f.grant(other, Role.SECRETARIAT, other_network)
    client.force_login(other)
    response = client.get(reverse("workplans:export", args=[exported.pk, "csv"]))
    assert response.status_code == 404
    response = client.get(reverse("workplans:export", args=[exported.pk, "pdf"]))
    assert response.status_code == 404
