"""The workplan progress report built from the demo data (the Asia-Pacific
network's work plan 2025-2026) and read back from the PDF: for 2026 Q4,
the figures at the end of the quarter and before it, the narratives of the
quarter and the agencies that have not reported; for 2025, every quarter
reported, until an update is taken away. Then the build form (a workplan
is required and must be the network's) and build_report --workplan."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports import builder
from reports.models import BuildStatus, ReportBuild, ReportKind
from workplans.models import Activity, ActivityStatus, Objective, ProgressUpdate, Workplan

from .conftest import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


def _build(network, workplan, start: date, end: date):
    req = builder.Request(ReportKind.WORKPLAN_PROGRESS, network, start, end, "en", workplan.pk)
    build, created = builder.request_build(req, hand_over=False)
    assert created
    built = builder.run_build(build.pk)
    assert built.status == BuildStatus.READY, built.error
    return built


def _absent(text: str, facts: list[str]) -> list[str]:
    flat = text.replace(" ", "")
    return [f for f in facts if f not in text and f.replace(" ", "") not in flat]


Q4_2026 = [
    "Progress report on the Regional Network work plan (2025–2026), 2026 Q4",
    "1 October 2026 – 31 December 2026",
    "At the end of 2026 Q4 its 11 activities stood together at 86 % (at risk), from 84 % before the period.",
    "3 progress updates were logged for 2026 Q4.",
    "Objective 1: Guidance and support to RCs, UNCTs and country networks",
    "1.2 Support to country networks on national GCM implementation plans",
    "On track, 75 % (from 65 %)",
    "2026 Q4, 75 %, on track (IOM, 10 November 2026): Sixth country (Timor-Leste) started in October.",
    "2026 Q4, 90 %, on track (UNESCAP, 10 November 2026): 2026 snapshot launched at the regional statistics committee.",
    "Nothing to report for the period. It was completed before the period.",
    "Not reported for 2026 Q4.",
    # Who has not reported: 2.2, 2.4, 3.2 and 3.3, their leads and partners.
    "4 activities due have no update, which concern 7 agencies",
    "International Labour Organization (ILO) 2.2 Regional dialogue and corridor study on fair and ethical recruitment",
    "Office of the High Commissioner for Human Rights (OHCHR) 2.4 Joint advocacy",
    "United Nations Children's Fund (UNICEF) 2.4 Joint advocacy on the rights of migrants in vulnerable situations (partner)",
]


@needs_pdftotext
def test_the_2026_q4_report_says_who_has_not_reported(demo):
    asia = demo["asia-pacific"]
    workplan = Workplan.objects.get(network=asia)
    built = _build(asia, workplan, date(2026, 10, 1), date(2026, 12, 31))
    text = pdf_text(built)
    assert not _absent(text, Q4_2026), _absent(text, Q4_2026)
    # 1.1, 1.3, 2.5 and 3.1 were completed before October.
    assert text.count("It was completed before the period.") == 4
    (quarter,) = built.snapshot["not_reported"]
    assert [a["acronym"] for a in quarter["agencies"]] == [
        "ILO", "IOM", "OHCHR", "UN Women", "UNESCAP", "UNHCR", "UNICEF",
    ]  # fmt: skip
    ilo = quarter["agencies"][0]
    assert [(x["code"], x["role"]) for x in ilo["activities"]] == [("2.2", "lead")]
    assert built.missing == [
        {
            "what": "7 agencies have not reported on 2026 Q4.",
            "url": f"/workplans/{workplan.pk}/not-reported/?period=2026-Q4",
        }
    ]


@needs_pdftotext
def test_a_year_lists_each_quarter_and_an_update_taken_away_shows(demo):
    asia = demo["asia-pacific"]
    workplan = Workplan.objects.get(network=asia)
    built = _build(asia, workplan, date(2025, 1, 1), date(2025, 12, 31))
    text = pdf_text(built)
    assert "Progress report on the Regional Network work plan (2025–2026), 2025" in text
    assert "41 progress updates were logged for 2025." in text
    assert "from 0 % before the period" in text
    assert [q["period"] for q in built.snapshot["not_reported"]] == [
        "2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4",
    ]  # fmt: skip
    assert text.count("Every activity due has been reported on.") == 4
    # ILO's 2025 Q3 update on the recruitment study goes: the report says so.
    ProgressUpdate.objects.filter(activity__code="2.2", year=2025, quarter=3).delete()
    again = _build(asia, workplan, date(2025, 1, 1), date(2025, 12, 31))
    text = pdf_text(again)
    assert "Not reported for 2025 Q3." in text
    q3 = again.snapshot["not_reported"][2]
    assert q3["activities"] == 1
    assert [a["acronym"] for a in q3["agencies"]] == ["ILO", "IOM", "UN Women"]
    # The rebuild says what changed since the first build.
    assert again.previous_id == built.pk and again.changes


def _workplan(network, agency, year=2026) -> Workplan:
    plan = Workplan.objects.create(
        network=network, title="Test plan", start_year=year, end_year=year, status="approved"
    )
    objective = Objective.objects.create(workplan=plan, code="1", title="Data", position=1)
    activity = Activity.objects.create(
        objective=objective,
        code="1.1",
        title="Migration data snapshot",
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    activity.lead_organizations.add(agency)
    ProgressUpdate.objects.create(
        activity=activity,
        year=year,
        quarter=1,
        percent_complete=30,
        status=ActivityStatus.ON_TRACK,
        narrative="Indicators agreed with the statistical offices.",
        organization=agency,
    )
    return plan


def test_the_build_form_requires_a_workplan_of_the_network(
    client, network, other_network, secretariat, agency_a
):
    _workplan(network, agency_a)
    elsewhere = _workplan(other_network, agency_a)
    client.force_login(secretariat)
    url = reverse("reports:build", args=[network.slug])
    data = {"kind": ReportKind.WORKPLAN_PROGRESS, "year": "2026", "quarter": "1", "language": "en"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["workplan"] == ["Choose the workplan the report covers."]
    response = client.post(url, {**data, "workplan": str(elsewhere.pk)})
    assert response.status_code == 400
    assert "workplan" in response.context["form"].errors
    assert not ReportBuild.objects.exists()


def test_the_build_form_asks_for_a_quarter_of_the_workplan(
    client, network, secretariat, agency_a, django_capture_on_commit_callbacks
):
    plan = _workplan(network, agency_a)
    client.force_login(secretariat)
    url = reverse("reports:build", args=[network.slug])
    data = {"kind": ReportKind.WORKPLAN_PROGRESS, "year": "2026", "language": "en"}
    response = client.post(url, {**data, "workplan": str(plan.pk), "quarter": "2"})
    build = ReportBuild.objects.get()
    assert response.status_code == 302 and response.url == build.get_absolute_url()
    assert (build.period_start, build.period_end, build.subject_id) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
        plan.pk,
    )
    assert build.title == "Progress report on the Test plan (2026), 2026 Q2"
    # A year the workplan does not run: said on the form, nothing built.
    response = client.post(url, {**data, "workplan": str(plan.pk), "year": "2024"})
    assert response.status_code == 400
    assert "The workplan runs from 2026 to 2026" in response.content.decode()
    assert ReportBuild.objects.count() == 1


@needs_pdftotext
def test_build_report_builds_a_workplan_progress_report(network, other_network, agency_a):
    plan = _workplan(network, agency_a)
    elsewhere = _workplan(other_network, agency_a)
    out = StringIO()
    call_command(
        "build_report", "workplan-progress", "--network", "gtn", "--workplan", str(plan.pk),
        "--period", "2026-01-01", "2026-03-31", stdout=out,
    )  # fmt: skip
    assert "Built Progress report on the Test plan (2026), 2026 Q1" in out.getvalue()
    built = ReportBuild.objects.get()
    text = pdf_text(built)
    assert "2026 Q1, 30 %, on track (AAA" in text
    assert "Indicators agreed with the statistical offices." in text
    assert "Every activity due has been reported on." in text
    with pytest.raises(CommandError, match="needs --workplan PK"):
        call_command("build_report", "workplan-progress", "--network", "gtn", "--year", "2026")
    with pytest.raises(CommandError, match="Choose one of the network's workplans"):
        call_command(
            "build_report", "workplan-progress", "--network", "gtn",
            "--workplan", str(elsewhere.pk), "--year", "2026",
        )  # fmt: skip
    assert ReportBuild.objects.count() == 1
