"""The annual reports built from the demo data and read back from the PDF:
the GMG's 2007 (its meetings, the seven decisions of the register and their
follow-up, the members admitted, the documents and engagements), the
Asia-Pacific network's 2025 (its workplan as the agencies had reported it
by December 2025, by objective and by lead agency, its executive committee
and task teams) and the UN Network's 2026 (follow-up actions overdue)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import annual, builder
from reports.models import BuildStatus, ReportKind

from .conftest import needs_pdftotext, pdf_text

pytestmark = [pytest.mark.django_db, needs_pdftotext]


def _build(network, year: int):
    req = builder.Request(ReportKind.ANNUAL, network, date(year, 1, 1), date(year, 12, 31))
    build, created = builder.request_build(req, hand_over=False)
    assert created
    built = builder.run_build(build.pk)
    assert built.status == BuildStatus.READY, built.error
    return built


def _absent(text: str, facts: list[str]) -> list[str]:
    flat = text.replace(" ", "")
    return [f for f in facts if f not in text and f.replace(" ", "") not in flat]


GMG_2007 = [
    "Annual report 2007 of the Global Migration Group",
    "1 January 2007 – 31 December 2007",
    "The network had 10 members at the start of the year and 14 on 31 December 2007.",
    "United Nations Educational, Scientific and Cultural Organization (UNESCO), 9 November 2007",
    "United Nations Institute for Training and Research (UNITAR), 9 November 2007",
    "The GMG held 9 meetings in the year",
    "9 November 2007 Principals New York 4 IOM, UN DESA, UNCTAD, UNHCR",
    "Guests: European Commission",
    "7 decisions were adopted in the year. Their follow-up counts 6 actions: 6 done.",
    "GMG/P/2007/01 Criteria for the admission of new members and the application template",
    "No follow-up action recorded.",
    "Done: Inform the principal of UNESCO of its admission to the Group. (UN DESA, done on 20 November 2007)",
    "GMG/P/2007/07",
    "GMG Brochure",
    "9–11 July 2007 First meeting of the Global Forum on Migration and Development",
    "Engagements outside the network",
]


def test_the_gmg_2007_annual_report_carries_the_year(demo):
    built = _build(demo["gmg"], 2007)
    text = pdf_text(built)
    assert not _absent(text, GMG_2007), _absent(text, GMG_2007)
    report = built.snapshot
    assert len(report["meetings"]) == 9 and len(report["decisions"]) == 7
    # The chart draws the meetings whose attendance was recorded: 22 January, 9 November.
    assert [a["present"] for a in report["attendance"]] == [1, 4]
    assert report["follow_up"] == {
        "actions": 6,
        "done": 6,
        "in_progress": 0,
        "open": 0,
        "dropped": 0,
        "overdue": 0,
        "without_action": 1,
    }
    # No workplan or task team in 2007: no such section, and no empty one.
    assert "Workplan progress" not in text and "Task teams and working groups" not in text
    missing = [m["what"] for m in built.missing]
    assert "Decision GMG/P/2007/01 has no follow-up action recorded." in missing
    assert "Who attended the meeting of 27 February 2007 is not recorded." in missing
    assert all(m["url"].startswith("/") for m in built.missing)


ASIA_2025 = [
    "Annual report 2025 of the Regional UN Network on Migration for Asia and the Pacific",
    "On 31 December 2025 13 members sat on the Executive Committee",
    "United Nations Office on Drugs and Crime UNODC 1 March 2020",
    # The workplan as reported for 2025 Q4, not as it stands today.
    "Its 11 activities stood together at 53 % (at risk)",
    "41 progress updates were logged for the year",
    "Approved on 20 February 2025 (Regional Network meeting of 20 February 2025 (Bangkok))",
    "1. Guidance and support to RCs, UNCTs and country networks 3 62 % At risk",
    "2. Joint regional action on common priorities 5 44 % At risk",
    "3. Support to the global Network and engagement with stakeholders 3 58 % At risk",
    "Percent complete by objective.",
    "UNODC 1 30 % Delayed",
    "UNDP 1 100 % Completed",
    "IOM 5 63 % On track",
    # Task teams: the closed COVID-19 group (2020-2021) and the proposed one are not there.
    "Task Team on Migration Data",
    "Task Team on Labour Migration and Decent Work",
    "15 June 2021",
    "Regional Network workplan 2025–2026: the paper approved by the network",
]


def test_the_asia_pacific_2025_report_reads_the_workplan_as_reported_then(demo):
    built = _build(demo["asia-pacific"], 2025)
    text = pdf_text(built)
    assert not _absent(text, ASIA_2025), _absent(text, ASIA_2025)
    assert "COVID-19" not in text and "Climate Change" not in text
    (plan,) = built.snapshot["workplans"]
    assert (plan["percent"], plan["status"], plan["count"]) == (53, "at_risk", 11)
    assert [o["percent"] for o in plan["objectives"]] == [62, 44, 58]
    assert "No meeting held in the year is recorded: add the meetings held." in [
        m["what"] for m in built.missing
    ]


def test_overdue_follow_up_of_the_un_network_2026(demo):
    built = _build(demo["unnm"], 2026)
    text = pdf_text(built)
    facts = [
        "2 decisions were adopted in the year. Their follow-up counts 6 actions: 2 done, 2 in progress, 2 not started.",
        "2 actions are overdue.",
        "UNNM/EC/2026/01 Common messages on the inclusion of migrants in social protection",
        "Open: Circulate the updated terms of reference",
        "(IOM, due 2 December 2026) overdue",
        "On 31 December 2026 8 members sat on the Executive Committee",
    ]
    assert not _absent(text, facts), _absent(text, facts)


def test_collect_costs_the_same_queries_whatever_the_rows(demo):
    """Each section is a fixed number of queries: the GMG's nine meetings,
    seven decisions and fifteen documents cost what an empty year costs."""
    with CaptureQueriesContext(connection) as full:
        annual.collect(demo["gmg"], date(2007, 1, 1), date(2007, 12, 31), None)
    with CaptureQueriesContext(connection) as empty:
        annual.collect(demo["gmg"], date(1990, 1, 1), date(1990, 12, 31), None)
    with CaptureQueriesContext(connection) as plans:
        annual.collect(demo["asia-pacific"], date(2025, 1, 1), date(2025, 12, 31), None)
    assert len(full) <= len(empty) + 4  # the prefetches that run only for rows found
    assert len(plans) <= 14
