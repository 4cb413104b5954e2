"""The chair's summary reports of 2007 built from the demo data, read back
from the PDF with pdftotext and checked against seeds 001 (IOM, January to
June 2007) and 003 (UN/DESA, July to December 2007), fact by fact."""

from __future__ import annotations

from datetime import date

import pytest

from reports import builder
from reports.models import BuildStatus

from .conftest import chair_summary_request, needs_pdftotext, pdf_text

pytestmark = [pytest.mark.django_db, needs_pdftotext]

# Seed 001: IOM's chairmanship summary report, 1 January - 30 June 2007.
IOM_FACTS = [
    "IOM chairmanship summary report",
    "1 January 2007 – 30 June 2007",
    # the overview: the chair, its theme, the previous chair
    "International Organization for Migration (IOM) chaired the GMG from January 2007 to June 2007",
    "following the chairmanship of UNHCR from July 2006 to December 2006",
    "Integrating Migration into Development Planning Agendas",
    # the meetings at the principals' and the working level
    "22 January 2007",
    "27 February 2007",
    "20 April 2007",
    "30 April 2007",
    "2 May 2007",
    "8 June 2007",
    "European Commission",  # the guests of 22 January
    "SRSG Sutherland",
    # statements to the Friends of the Forum, Brussels and Geneva
    "30 January 2007 First meeting of the Friends of the Forum",
    "27 March 2007",
    "Statement on behalf of the GMG to the Friends of the Forum, Geneva",
    "Brussels",
    "Geneva",
    # the briefing to Member States in New York
    "2 May 2007, New York: Briefing to United Nations Member States",
    "UNHCR and UN DESA",
    # the seven joint documents
    "GMG Brochure",
    "GMG Information Note on the Involvement of Participating Agencies in the Preparations for the First Meeting of the GFMD",
    "GMG: Questions and Issues of Relevance to the Interlinkages Between International Migration, Gender and Development",
    "GMG Matrix of Projects and Activities of Potential Interest to GFMD Participants",
    "GMG Survey of Migration and Development-related Policy Research, Data Collection and Publications",
    "GMG Survey of Migration and Development Projects and Activities",
    "GMG Survey of Capacity Building Initiatives",
    "http://www.gfmd.org/documents/brussels/gfmd_brussels07_contribution_gmg_input_en.pdf",
    # the criteria for new members, and the applications considered
    "Criteria for the admission of new members",
    "UNESCO",
    "UNITAR",
    "Regional Commissions",
    # the chair's own narrative
    "Achievements",
    "Challenges",
    "A longer and more empowered chairmanship",
    "A strengthened troika system",
]

# Seed 003: UN/DESA's summary of activities and achievements, July - December 2007.
DESA_FACTS = [
    "UN DESA chairmanship summary report",
    "1 July 2007 – 31 December 2007",
    "following the chairmanship of IOM from January 2007 to June 2007",
    "Under-Secretary-General Sha",
    # one principals' meeting attended by four principals, two working-level meetings
    "9 November 2007",
    "The principals' meeting of 9 November 2007 was attended by 4 principals: IOM",
    "UN DESA",
    "UNCTAD",
    "UNHCR",
    "1 October 2007",
    "4 December 2007",
    # four new members
    "4 new members were admitted during the term",
    "United Nations Educational, Scientific and Cultural Organization (UNESCO)",
    "United Nations Children's Fund (UNICEF)",
    "UNITAR",
    "Regional Commissions",
    # the GFMD: the first meeting in Brussels, the statement, the matrix
    "9–11 July 2007",
    "First meeting of the Global Forum on Migration and Development",
    "Statement of the Global Migration Group to the first meeting of the GFMD",
    "Matrix of recommendations and outcomes of the Brussels meeting of the GFMD",
    # preparations for the second GFMD
    "International Partnership on Migration and Development",
    "GFMD Steering Group",
    "Migration Governance",
    "26 November 2007",
    "Conejos",
    "17 December 2007",
    "Friends of the Forum under the Chair of the Philippines",
    # other outputs
    "GMG Workspace",
]


def _build(demo, start: date):
    gmg = demo["gmg"]
    term = gmg.chair_terms.get(start=start)
    build, created = builder.request_build(chair_summary_request(gmg, term), hand_over=False)
    assert created
    built = builder.run_build(build.pk)
    assert built.status == BuildStatus.READY, built.error
    return built


@pytest.mark.parametrize(
    "start, facts",
    [(date(2007, 1, 1), IOM_FACTS), (date(2007, 7, 1), DESA_FACTS)],
    ids=["IOM", "DESA"],
)
def test_the_2007_chair_summaries_carry_every_fact_of_the_seeds(demo, start, facts):
    built = _build(demo, start)
    text = pdf_text(built)
    # A long address may be broken across lines: compared without spaces.
    flat = text.replace(" ", "")
    absent = [fact for fact in facts if fact not in text and fact.replace(" ", "") not in flat]
    assert not absent, f"not in the report: {absent}"
    assert built.pages >= 4 and built.size > 10_000 and len(built.checksum) == 64
    assert "Contents" in text  # the table of contents
    assert built.snapshot["term"]["start"] == start.isoformat()


def test_what_the_data_lacks_is_said_not_printed_empty(demo):
    built = _build(demo, date(2007, 1, 1))
    missing = [m["what"] for m in built.missing]
    # Seed 001 does not say who attended the principals' meetings.
    assert "Who attended the principals' meeting of 27 February 2007 is not recorded." in missing
    assert all(m["url"] for m in built.missing)
