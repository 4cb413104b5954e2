"""The Word drafts of the ready reports: the chair's summary of IOM's 2007
term built from the demo data, fetched as the demo secretariat through its
URL and read back with python-docx: the same numbered section headings as
the PDF's text, the facts of seed 001, the title page, the running header
and the page numbers, a table's repeated bold header row, the list items.
Then who may fetch it, and a draft of every kind of report."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from docx.oxml.ns import qn
from docx.table import Table

from reports import builder
from reports.docx import html_to_docx, roman
from reports.kinds import available_kinds
from reports.models import BuildStatus, ReportBuild, ReportKind
from reports.views import DOCX
from tests import factories as f
from workplans.models import Workplan

from .conftest import chair_summary_request, needs_pdftotext, pdf_text
from .test_chair_summary import IOM_FACTS

pytestmark = pytest.mark.django_db

SECRETARIAT = "secretariat@demo.example.org"

IOM_SECTIONS = [
    "I. Overview",
    "II. Meetings",
    "III. Decisions taken",
    "IV. Membership",
    "V. Statements and external engagements",
    "VI. Briefings",
    "VII. Joint documents and other outputs",
    "VIII. The chair's assessment",
]


def _built(req):
    build, created = builder.request_build(req, hand_over=False)
    assert created
    built = builder.run_build(build.pk)
    assert built.status == BuildStatus.READY, built.error
    return built


def _iom(demo):
    gmg = demo["gmg"]
    return _built(chair_summary_request(gmg, gmg.chair_terms.get(start=date(2007, 1, 1))))


def _fetch(client, build):
    client.force_login(get_user_model().objects.get(email=SECRETARIAT))
    response = client.get(reverse("reports:docx", args=[build.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return response, docx.Document(io.BytesIO(data))


def _blocks(container):
    """Paragraphs and tables in the order they are read, cells included."""
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            yield item
            for row in item.rows:
                for cell in row.cells:
                    yield from _blocks(cell)
        else:
            yield item


def _text(document) -> str:
    return " ".join(" ".join(b.text.split()) for b in _blocks(document) if not isinstance(b, Table))


def _styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


@needs_pdftotext
def test_the_iom_summary_as_a_word_draft_has_the_pdfs_sections_and_facts(client, demo):
    built = _iom(demo)
    response, document = _fetch(client, built)
    assert response["Content-Type"] == DOCX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="GMG IOM chairmanship summary report en.docx"'
    )

    # The sections, numbered as the PDF numbers them with its CSS counters.
    pdf = pdf_text(built)
    headings = _styled(document, "Heading 1")
    assert headings == IOM_SECTIONS
    assert all(h in pdf for h in headings), [h for h in headings if h not in pdf]
    assert _styled(document, "toc 1") == IOM_SECTIONS  # the contents, before Word updates them
    assert _styled(document, "Heading 2") == [
        "Membership applications considered",
        "Statements and briefing notes in the register",
        "Achievements",
        "Challenges",
        "Recommendations for the handover",
    ]

    # Every fact of seed 001 that the PDF carries.
    text = _text(document)
    flat = text.replace(" ", "")
    absent = [fact for fact in IOM_FACTS if fact not in text and fact.replace(" ", "") not in flat]
    assert not absent, f"not in the draft: {absent}"

    # The title page, then the contents on a page of their own, then section I on the next.
    first = document.paragraphs[:5]
    assert [(p.style.name, p.text) for p in first[:3]] == [
        ("Cover Network", "Global Migration Group"),
        ("Title", "IOM chairmanship summary report"),
        ("Cover Line", "1 January 2007 – 30 June 2007"),
    ]
    assert first[3].text == "Chair: International Organization for Migration"
    assert first[4].runs[0].italic and first[4].text == (
        "Integrating Migration into Development Planning Agendas"
    )
    contents = document.paragraphs[5]
    assert (contents.style.name, contents.text) == ("TOC Heading", "Contents")
    assert contents.paragraph_format.page_break_before
    toc = document.element.body.xpath(".//w:instrText")
    assert any(i.text.strip().startswith("TOC ") for i in toc)
    overview = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert overview.paragraph_format.page_break_before

    # Header and footer: the network and the period, the page number; the
    # title page has only the line saying who prepared it.
    section = document.sections[0]
    assert (
        section.header.paragraphs[0].text == "Global Migration Group\t1 January 2007 – 30 June 2007"
    )
    footer = section.footer.paragraphs[0]._p
    assert [i.text.strip() for i in footer.xpath(".//w:instrText")] == ["PAGE"]
    assert section.different_first_page_header_footer
    assert section.first_page_footer.paragraphs[0].text.startswith(
        "Prepared by the secretariat of the network on "
    )
    assert section.first_page_header.paragraphs[0].text == ""

    # The meetings table: a bold header row repeated on each page, rows kept whole.
    (meetings,) = [t for t in document.tables if t.rows[0].cells[0].text == "Date" and
                   len(t.columns) == 4]  # fmt: skip
    assert [c.text for c in meetings.rows[0].cells] == ["Date", "Level", "Place", "Attended"]
    header = meetings.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in meetings.rows)
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in meetings.rows].count(True) == 1
    assert [c.text for c in meetings.rows[1].cells[:3]] == [
        "22 January 2007", "Working level", "Geneva",
    ]  # fmt: skip
    assert "Guests: European Commission" in meetings.rows[1].cells[3].text

    # The lists: bullets, their bold titles, and no bullet for a paragraph.
    bullets = _styled(document, "List Bullet")
    assert "A longer and more empowered chairmanship." in bullets
    assert "A strengthened troika system." in bullets
    assert any(b.startswith("GMG Brochure, joint document or publication") for b in bullets)
    brochure = next(p for p in document.paragraphs if p.text.startswith("GMG Brochure,"))
    assert brochure.runs[0].text == "GMG Brochure" and brochure.runs[0].bold
    assert len(bullets) == 3 + 3 + 1 + 7 + 8 + 5

    # The chart is not drawn; its caption stands for it.
    assert "22 Jan 2007 · Working level" not in text
    assert _styled(document, "Caption") == [
        "Agencies and guests present at each meeting where attendance was recorded."
    ]

    # The fonts the PDF prints with, named in the styles.
    styles = document.styles
    assert styles["Normal"].font.name == "Liberation Serif"
    assert styles["Heading 1"].font.name == "Liberation Sans"
    assert styles["Table Text"].font.name == "Liberation Sans"
    fonts = styles["Heading 1"].element.rPr.rFonts
    assert fonts.get(qn("w:asciiTheme")) is None  # no theme font wins over it
    assert document.core_properties.title == "IOM chairmanship summary report"
    assert document.core_properties.language == "en-GB"


def test_the_draft_is_fetched_only_by_whom_may_see_the_build(client, demo, monkeypatch):
    # The PDF is not the point here: a stand-in, so the build is quick.
    monkeypatch.setattr(builder, "html_to_pdf", lambda html, **kw: _tiny_pdf())
    gmg = demo["gmg"]
    ready = _iom(demo)
    url = reverse("reports:docx", args=[ready.pk])

    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(f.UserFactory(email="nobody@example.org"))
    assert client.get(url).status_code == 404

    failed, _ = builder.request_build(
        chair_summary_request(gmg, gmg.chair_terms.get(start=date(2007, 7, 1))), hand_over=False
    )
    queued, _ = builder.request_build(
        chair_summary_request(gmg, gmg.chair_terms.get(start=date(2007, 7, 1)), language="fr"),
        hand_over=False,
    )
    ReportBuild.objects.filter(pk=failed.pk).update(status=BuildStatus.FAILED, error="boom")
    client.force_login(get_user_model().objects.get(email=SECRETARIAT))
    assert client.get(reverse("reports:docx", args=[failed.pk])).status_code == 404
    assert client.get(reverse("reports:docx", args=[queued.pk])).status_code == 404
    assert client.get(url).status_code == 200

    # The build's page and the list offer the draft of a ready build only.
    page = client.get(ready.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page and "Word draft (.docx)" in page
    assert (
        f'href="{reverse("reports:docx", args=[failed.pk])}"'
        not in client.get(failed.get_absolute_url()).content.decode()
    )
    listing = client.get(reverse("reports:list", args=["gmg"])).content.decode()
    assert listing.count("Word draft (.docx)") == 1 and f'href="{url}"' in listing


def _tiny_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _every_kind(demo) -> dict[str, builder.Request]:
    unnm, gmg, asia = demo["unnm"], demo["gmg"], demo["asia-pacific"]
    workplan = Workplan.objects.get(network=asia)
    return {
        ReportKind.CHAIR_SUMMARY: chair_summary_request(
            gmg, gmg.chair_terms.get(start=date(2007, 7, 1))
        ),
        ReportKind.MEMBERSHIP_UPDATE: builder.Request(
            ReportKind.MEMBERSHIP_UPDATE, unnm, date(2026, 1, 1), date(2026, 12, 31)
        ),
        ReportKind.ANNUAL: builder.Request(
            ReportKind.ANNUAL, gmg, date(2007, 1, 1), date(2007, 12, 31)
        ),
        ReportKind.WORKPLAN_PROGRESS: builder.Request(
            ReportKind.WORKPLAN_PROGRESS,
            asia,
            date(2026, 10, 1),
            date(2026, 12, 31),
            "en",
            workplan.pk,
        ),  # fmt: skip
        ReportKind.BIENNIAL: builder.Request(
            ReportKind.BIENNIAL, unnm, date(2025, 1, 1), date(2026, 12, 31)
        ),
    }


# kind -> sections the draft must have, as the PDF numbers them
SECTIONS = {
    ReportKind.CHAIR_SUMMARY: ["I. Overview", "II. Meetings", "IV. Membership"],
    ReportKind.MEMBERSHIP_UPDATE: ["I. The Executive Committee"],
    ReportKind.ANNUAL: [
        "I. The year in brief",
        "II. Membership and the Executive Committee",
        "III. Meetings",
        "IV. Decisions and their follow-up",
    ],  # fmt: skip
    ReportKind.WORKPLAN_PROGRESS: [
        "I. Summary",
        "II. Objective 1: Guidance and support to RCs, UNCTs and country networks",
        "V. Who has not reported",
    ],
    ReportKind.BIENNIAL: [
        "I. Introduction",
        "II. Implementation of the Global Compact, by objective",
        "III. Activities of the United Nations system, by agency",
        "IV. Functioning of the institutional arrangements",
        "V. Regional input: Asia-Pacific",
    ],
}


@needs_pdftotext
@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_every_kind_of_report_has_its_draft_with_its_sections(client, demo, kind):
    assert {s.kind for s in available_kinds()} == set(SECTIONS)  # a new kind is tested here too
    built = _built(_every_kind(demo)[kind])
    _response, document = _fetch(client, built)
    headings = _styled(document, "Heading 1")
    assert [h for h in SECTIONS[kind] if h not in headings] == []
    # Numbered I., II., … in order, each as the PDF's text has it.
    assert [h.split(". ", 1)[0] for h in headings] == [roman(i + 1) for i in range(len(headings))]
    pdf = pdf_text(built)
    assert [h for h in headings if h not in pdf] == []
    assert _styled(document, "toc 1") == headings
    assert _styled(document, "Title") == [built.title]
    # Every table has its header row (or none, as the PDF's), and no row splits.
    for table in document.tables:
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_the_converter_keeps_the_markup_it_knows_and_drops_the_rest():
    """Bold and italic runs, nested and numbered lists, a link as its text,
    white space as HTML collapses it; a script, a style and an SVG give no text."""
    html = """<html lang="fr"><head><title>x</title><style>p{}</style></head><body>
    <h2 class="section">Premier</h2>
    <p>Un <strong>gras</strong> et   <em>italique</em>,
       un <a href="https://example.org/">lien</a>.<script>alert(1)</script></p>
    <ol start="3"><li>trois<ul><li>sous-point</li></ul></li><li>quatre</li></ol>
    <ol><li>un</li></ol>
    <figure><svg><text>42</text></svg><figcaption>La figure.</figcaption></figure>
    <div class="keep"><h2 class="section">Second &amp; dernier</h2><p>Fin<br>ligne</p></div>
    </body></html>"""
    document = docx.Document(io.BytesIO(html_to_docx(html)))
    rows = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert rows == [
        ("Heading 1", "I. Premier"),
        ("Normal", "Un gras et italique, un lien."),
        ("List Number", "trois"),
        ("List Bullet 2", "sous-point"),
        ("List Number", "quatre"),
        ("List Number", "un"),
        ("Caption", "La figure."),
        ("Heading 1", "II. Second & dernier"),
        ("Normal", "Fin\nligne"),
    ]
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in document.paragraphs[1].runs]
    assert ("gras", True, False) in runs and ("italique", False, True) in runs
    # Each numbered list counts on its own: the first from 3, the next from 1.
    numbering = document.part.numbering_part.element
    trois, quatre, un = (p for p in document.paragraphs if p.style.name == "List Number")
    first_id = trois._p.pPr.numPr.numId.val
    assert quatre._p.pPr.numPr.numId.val == first_id != un._p.pPr.numPr.numId.val
    starts = {
        num.numId: num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val"))
        for num in numbering.num_lst
        if num.find(qn("w:lvlOverride")) is not None
    }
    assert starts[first_id] == "3" and starts[un._p.pPr.numPr.numId.val] == "1"
    assert document.core_properties.language == "fr-FR"
