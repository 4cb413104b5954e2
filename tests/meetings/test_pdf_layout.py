"""The minutes and agenda PDFs keep their typography across pages: no
paragraph split with fewer than three lines at the foot or the top of a
page (orphans and widows 3), no heading at the foot of a page (kept with
what follows), no small block cut in two (a table row, an action point
line, the approval line), and so no last page holding a single line.

The minutes used here are engineered to break badly: sections of
paragraphs of 1 to 8 lines, each line a line of its own (so the breaks do
not depend on the widths of the font), every line and heading tagged so
that the PDF read back with pdftotext says on which page each landed. The
control renders the same HTML with the rules taken out, shifting the text
a line at a time and adding decisions one at a time until it breaks
badly: a paragraph with two lines alone on a page (CSS's default is two),
and a last page with only the approval line. (A heading at the foot of a
page the control cannot show: WeasyPrint's own style sheet already keeps
headings with what follows; the check runs on the real PDF all the same.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import pdf
from meetings.models import AgendaItem, AgendaItemStatus, MeetingStatus, Minutes
from meetings.services import minutes as service
from meetings.views.minutes import minutes_pdf_context
from tests.meetings.conftest import make_meeting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"),
]

LINE_COUNTS = [1, 2, 7, 3, 8, 4, 6, 5, 2, 7, 1, 6, 3, 8, 5, 4]
LINE = "the delegations discussed this point at some length"

# The page-break rules of the PDF style sheets, to take them out for the control.
RULES = re.compile(
    r"(orphans|widows|break-after|page-break-after|break-before|page-break-before"
    r"|break-inside|page-break-inside)\s*:\s*[^;}]+;?"
)
TOKEN = re.compile(r"\b(H\d+|P\d+\.\d+)\b")
PAGE_NUMBER = re.compile(r"\d+\s*/\s*\d+")


def engineered_body(shift: int = 0, sections: int = 14) -> str:
    """A first paragraph of `shift` lines ("P0.<k>"), then sections
    "### H<n>", each with two paragraphs of 1 to 8 lines, each line
    "P<paragraph>.<line> …" (a new line is a line break: nl2br)."""
    parts = ["\n".join(f"P0.{k} {LINE}" for k in range(1, shift + 1))] if shift else []
    paragraph = 0
    for n in range(1, sections + 1):
        parts.append(f"### H{n} Topic number {n}")
        for _ in range(2):
            paragraph += 1
            count = LINE_COUNTS[paragraph % len(LINE_COUNTS)]
            parts.append("\n".join(f"P{paragraph}.{k} {LINE}" for k in range(1, count + 1)))
    return "\n\n".join(parts)


def decisions(count: int) -> str:
    return "\n".join(f"- Decision {i} was taken." for i in range(1, count + 1))


def pages_of(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return text.removesuffix("\f").split("\f")


def bad_splits(pages: list[str]) -> list[str]:
    """Paragraphs split with fewer than three lines on a page."""
    lines_on: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for number, page in enumerate(pages, start=1):
        for token in TOKEN.findall(page):
            if token.startswith("P"):
                lines_on[token[1:].split(".")[0]][number] += 1
    problems = []
    for paragraph, per_page in lines_on.items():
        counts = [per_page[p] for p in sorted(per_page)]
        if len(counts) > 1 and (counts[0] < 3 or counts[-1] < 3):
            problems.append(f"paragraph {paragraph} split {counts}")
    return problems


def headings_at_the_foot(pages: list[str]) -> list[str]:
    """Pages (but the last) whose last tagged line is a heading."""
    problems = []
    for number, page in enumerate(pages[:-1], start=1):
        tokens = TOKEN.findall(page)
        if tokens and tokens[-1].startswith("H"):
            problems.append(f"page {number} ends with heading {tokens[-1]}")
    return problems


def text_lines(page: str, network_name: str) -> list[str]:
    """The lines of a page's text, without the footer (network, page number)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return [line for line in lines if line != network_name and not PAGE_NUMBER.fullmatch(line)]


@pytest.fixture
def long_minutes(network, chair):
    meeting = make_meeting(
        network, days=-3, title="Working-level meeting of March", status=MeetingStatus.HELD
    )
    service.minutes_save(
        meeting=meeting, body=engineered_body(), decisions=decisions(1), base_version=0, by=chair
    )
    return Minutes.objects.select_related("meeting__network").get(meeting=meeting)


def _with_text(minutes: Minutes, *, shift: int, decided: int) -> Minutes:
    # Straight to the row: the search renders many variants, none a version.
    Minutes.objects.filter(pk=minutes.pk).update(
        body=engineered_body(shift), decisions=decisions(decided)
    )
    minutes.refresh_from_db()
    return minutes


def _html(minutes: Minutes) -> str:
    return render_to_string(
        "meetings/pdf/minutes.html", minutes_pdf_context(minutes.meeting, minutes)
    )


def _control_pages(minutes: Minutes) -> list[str]:
    return pages_of(pdf.html_to_pdf_now(RULES.sub("", _html(minutes))))


def test_the_pdf_templates_carry_the_typography_rules(long_minutes):
    """The rendered HTML of the minutes states the rules (the agenda PDF
    shares the base style sheet that holds them)."""
    html = _html(long_minutes)
    assert "p, li, dd, blockquote { orphans: 3; widows: 3; }" in html
    assert "h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }" in html
    assert re.search(r"tr, li, [^{]*\{ break-inside: avoid; page-break-inside: avoid; \}", html)
    assert re.search(r"\.approval \{ break-before: avoid;[^}]*break-inside: avoid;", html)
    assert "thead { display: table-header-group; }" in html


def test_the_minutes_pdf_breaks_pages_well(client, long_minutes, chair):
    """Engineered so that without the rules a paragraph leaves two lines
    alone on a page and the last page holds one line; the PDF as served has
    no such split, no heading at the foot of a page, more than one line on
    its last page, and every tagged line once, in order."""
    name = long_minutes.meeting.network.name
    shift = next(
        (
            s
            for s in range(8)
            if bad_splits(_control_pages(_with_text(long_minutes, shift=s, decided=1)))
        ),
        None,
    )
    assert shift is not None, "the control never split a paragraph badly"
    decided = next(
        (
            d
            for d in range(1, 16)
            if len(
                text_lines(
                    _control_pages(_with_text(long_minutes, shift=shift, decided=d))[-1], name
                )
            )
            == 1
        ),
        None,
    )
    assert decided is not None, "the control never left a single line on the last page"
    control = _control_pages(_with_text(long_minutes, shift=shift, decided=decided))
    assert bad_splits(control) and len(text_lines(control[-1], name)) == 1

    client.force_login(chair)
    response = client.get(reverse("meetings:minutes_pdf", args=[long_minutes.meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pages_of(response.content)
    assert len(pages) >= 3
    assert bad_splits(pages) == []
    assert headings_at_the_foot(pages) == []
    assert len(text_lines(pages[-1], name)) > 1
    tokens = [t for page in pages for t in TOKEN.findall(page)]
    assert tokens == TOKEN.findall(engineered_body(shift))


def test_the_agenda_pdf_keeps_each_item_whole(client, network, chair):
    """A long agenda: 30 items whose purposes run 1 to 8 lines, each line
    tagged. Every item (its title, times and purpose) lands on one page,
    and the last page holds more than the closing line."""
    meeting = make_meeting(network, days=10, title="A long agenda")
    for n in range(1, 31):
        count = LINE_COUNTS[n % len(LINE_COUNTS)]
        AgendaItem.objects.create(
            meeting=meeting,
            title=f"I{n} Item number {n}",
            purpose="\n".join(f"I{n}.{k} {LINE}" for k in range(1, count + 1)),
            position=n,
            minutes_wanted=5,
            status=AgendaItemStatus.ACCEPTED,
        )
    client.force_login(chair)
    response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    pages = pages_of(response.content)
    assert len(pages) >= 2
    page_of: dict[str, set[int]] = defaultdict(set)
    for number, page in enumerate(pages, start=1):
        for item in re.findall(r"\bI(\d+)\b", page):
            page_of[item].add(number)
    assert len(page_of) == 30
    assert {item: pages for item, pages in page_of.items() if len(pages) > 1} == {}
    assert len(text_lines(pages[-1], network.name)) > 1
