"""The biennial report of the UN Network on Migration to the Secretary-
General for 2025-2026, built from the demo data (the Asia-Pacific work plan
of workplans/demo.py, the Network's decisions and members), read back from
the PDF with pdftotext and checked fact by fact against the seed 002
mandate: the Global Compact by objective, the UN system by agency, the
institutional arrangements, and the regional network's input."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions.models import Decision, DecisionStatus
from members.models import Organization
from reports import biennial, builder
from reports.models import BuildStatus, ReportKind
from workplans.models import Activity, ActivityStatus, FrameworkObjective, ProgressUpdate

from .conftest import needs_pdftotext, pdf_text

pytestmark = [pytest.mark.django_db, needs_pdftotext]

START, END = date(2025, 1, 1), date(2026, 12, 31)

FACTS = [
    "Report of the UN Network on Migration to the Secretary-General, 2025–2026",
    "1 January 2025 – 31 December 2026",
    # the three mandated sections, and the region's, in the contents and the text
    "Implementation of the Global Compact, by objective",
    "Activities of the United Nations system, by agency",
    "Functioning of the institutional arrangements",
    "Regional input: Asia-Pacific",
    "It includes the input of the regional network that reports through the UNNM: "
    "Regional UN Network on Migration for Asia and the Pacific.",
    # I. the headline: eleven activities, ten agencies, eleven objectives
    "In the period, 11 workplan activities, in which 10 agencies took part, served 11 of the 23 "
    "objectives of the Global Compact.",
    # II. by GCM objective, with the status at the period's end
    "GCM 23. Strengthen international cooperation and global partnerships for safe, orderly and "
    "regular migration 5 activities, led by IOM, UNDP, UNHCR. 2 were completed in the period.",
    "GCM 13. Use migration detention only as a measure of last resort and work towards "
    "alternatives 2 activities, led by UNHCR, UNICEF. One was completed in the period.",
    "GCM 6. Facilitate fair and ethical recruitment",
    "At risk, 60%",
    "Delayed, 70%",
    "2 activities also serve SDG 10.7, a target of the Sustainable Development Goals: "
    "1.1 (Asia-Pacific), 2.1 (Asia-Pacific).",
    # III. by agency: what each led, how far it came, the last narrative
    "International Organization for Migration (IOM)",
    "1.2 Support to country networks on national GCM implementation plans (Asia-Pacific): "
    "on track, 75% in 2026 Q4. Sixth country (Timor-Leste) started in October.",
    "2.5 Joint training on trafficking and smuggling for border officials (Asia-Pacific): "
    "completed, 100% in 2026 Q3. Completed: 124 officials trained in four countries.",
    "ILO 1 3 0 60% 6, 22",
    "IOM 5 4 2 90% 1, 23",
    # IV. the institutional arrangements of the Network
    "On 31 December 2026 the UNNM had 38 members.",
    "The International Organization for Migration (IOM) serves as its Coordinator and Secretariat.",
    "8 members sat on the Executive Committee at the end of the period",
    "Department of Economic and Social Affairs (UN DESA)",
    # V. the regional input: its work plan, progress, troubles, task teams
    "On 31 December 2026 the regional network had 17 members, 13 of them on its executive "
    "committee; it is convened by IOM.",
    "served 11 objectives of the Global Compact: 1, 6, 7, 9, 10, 11, 13, 16, 17, 22, 23.",
    "Regional Network work plan, 2025–2026",
    "Approved on 20 February 2025: Regional Network meeting of 20 February 2025 (Bangkok).",
    "1. Guidance and support to RCs, UNCTs and country networks 3 2 92%",
    "4 activities were completed: 1.1 Guidance note on mainstreaming the GCM in Cooperation "
    "Frameworks (IOM, UNDP)",
    "2.2 Regional dialogue and corridor study on fair and ethical recruitment (ILO): at risk, "
    "60% in 2026 Q3. Dialogue postponed to early 2027 at governments' request.",
    "Task Team on Migration Data",
    "Working Group on Climate Change, Disasters and Human Mobility",
]


def _build(network, start=START, end=END):
    build, created = builder.request_build(
        builder.Request(ReportKind.BIENNIAL, network, start, end), hand_over=False
    )
    assert created
    built = builder.run_build(build.pk)
    assert built.status == BuildStatus.READY, built.error
    return built


def _absent(text: str, facts: list[str]) -> list[str]:
    # A word broken across lines loses its hyphen or space: compared without both.
    flat = text.replace(" ", "").replace("-", "")
    return [f for f in facts if f not in text and f.replace(" ", "").replace("-", "") not in flat]


def test_the_2025_2026_report_carries_the_mandated_sections_from_the_demo(demo):
    unnm = demo["unnm"]
    built = _build(unnm)
    text = pdf_text(built)
    absent = _absent(text, FACTS)
    assert not absent, f"not in the report: {absent}"
    assert built.pages >= 6 and len(built.checksum) == 64
    # The Network's own decisions of the period (the demo dates them from
    # today), each in section IV with its reference.
    decisions = Decision.objects.filter(
        network=unnm, status=DecisionStatus.ADOPTED, decided_on__range=(START, END)
    )
    assert _absent(text, [d.title for d in decisions] + [d.reference for d in decisions]) == []
    # A working group closed in 2021 did its work before the period.
    assert "COVID-19" not in text
    # The chart: activities per GCM objective, drawn from the snapshot.
    counts = {o["code"]: o["count"] for o in built.snapshot["gcm"]}
    assert counts["GCM 23"] == 5 and counts["GCM 13"] == 2 and counts["GCM 1"] == 1
    assert "GCM 2" not in counts  # no activity, no decision: not listed
    region = built.snapshot["regions"][0]
    assert region["short_name"] == "Asia-Pacific" and region["activities"] == 11


def test_the_status_is_the_one_reported_by_the_end_of_the_period(demo):
    """A report on 2025 alone reads the 2025 figures, not today's."""
    built = _build(demo["unnm"], date(2025, 1, 1), date(2025, 12, 31))
    text = pdf_text(built)
    assert not _absent(
        text,
        [
            "Report of the UN Network on Migration to the Secretary-General, 2025",
            "2.5 Joint training on trafficking and smuggling for border officials (Asia-Pacific): "
            "delayed, 30% in 2025 Q4. First training held for 25 officials.",
            "1.3 Child-sensitive guidance for country networks on children in migration "
            "(Asia-Pacific): at risk, 50% in 2025 Q4.",
        ],
    )
    assert "124 officials" not in text


def test_what_the_data_lacks_is_said_with_where_to_add_it(demo):
    built = _build(demo["unnm"])
    missing = {m["what"]: m["url"] for m in built.missing}
    # The demo's work plan is the region's: the Network has none of its own.
    assert missing["UNNM has no approved workplan for 2025–2026."].startswith("/workplans/")
    assert "No meeting of Asia-Pacific is recorded in 2025–2026." in missing
    assert "Asia-Pacific has no approved workplan for 2025–2026." not in missing
    assert all(missing.values())


def test_an_activity_without_an_objective_or_progress_is_named(demo):
    asia = demo["asia-pacific"]
    objective = asia.workplans.get().objectives.get(code="3")
    lone = Activity.objects.create(
        objective=objective,
        code="3.9",
        title="Newsletter of the Regional Network",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    lone.lead_organizations.add(Organization.objects.get(acronym="UNFPA"))
    built = _build(demo["unnm"])
    missing = [m["what"] for m in built.missing]
    assert "Activity 3.9 of Asia-Pacific serves no GCM objective: tag it." in missing
    assert "No progress on activity 3.9 of Asia-Pacific was reported in 2025–2026." in missing
    text = pdf_text(built)
    assert "3.9 (Asia-Pacific)" in text  # named among those not counted by objective
    assert "no progress reported" in text  # under UNFPA, now a lead


def test_the_queries_do_not_grow_with_the_activities(demo):
    unnm = demo["unnm"]
    with CaptureQueriesContext(connection) as before:
        biennial.collect(unnm, START, END, None)
    objective = demo["asia-pacific"].workplans.get().objectives.get(code="2")
    gcm = FrameworkObjective.objects.get(code="GCM 8")
    ilo = Organization.objects.get(acronym="ILO")
    for i in range(10):
        activity = Activity.objects.create(
            objective=objective,
            code=f"2.{20 + i}",
            title=f"Extra activity {i}",
            start=date(2025, 6, 1),
            end=date(2026, 6, 30),
        )
        activity.lead_organizations.add(ilo)
        activity.partner_organizations.add(ilo)
        activity.framework_objectives.add(gcm)
        ProgressUpdate.objects.create(
            activity=activity,
            year=2026,
            quarter=1,
            percent_complete=40,
            status=ActivityStatus.ON_TRACK,
            narrative="Going.",
            organization=ilo,
        )
    with CaptureQueriesContext(connection) as after:
        snapshot, _missing = biennial.collect(unnm, START, END, None)
    assert len(after) == len(before)
    assert next(o for o in snapshot["gcm"] if o["code"] == "GCM 8")["count"] == 10
