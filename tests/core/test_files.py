"""The shared upload check (core/files.py) that application documents and
progress evidence both use: the bytes must be what the suffix says."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import content_matches, safe_download_name, server_file_name
from tests.members.test_application_documents import (
    HTML_PAGE,
    SVG_PICTURE,
    legacy_doc,
    real_docx,
    real_odt,
    real_xlsx,
)
from workplans.services.progress import evidence_problem


@pytest.mark.parametrize(
    ("suffix", "content", "expected"),
    [
        (".pdf", b"%PDF-1.7\n...", True),
        (".pdf", HTML_PAGE, False),
        (".pdf", SVG_PICTURE, False),
        (".pdf", b"  %PDF-1.7", False),
        (".docx", real_docx(), True),
        (".docx", real_xlsx(), False),
        (".xlsx", real_xlsx(), True),
        (".odt", real_odt(), True),
        (".odt", real_docx(), False),
        (".docx", b"PK\x03\x04 not really a zip", False),
        (".doc", legacy_doc(), True),
        (".xls", b"\xd0\xcf\x11\xe0", False),
        (".png", b"\x89PNG\r\n\x1a\n....", True),
        (".jpg", SVG_PICTURE, False),
        (".txt", "Plain notes, café.\n".encode(), True),
        (".txt", b"notes <svg onload=alert(1)>", False),
        (".txt", b"binary\x00data", False),
        (".exe", b"MZ", False),
    ],
)
def test_content_matches_the_suffix(suffix, content, expected):
    """Each format is recognised by its bytes (and zip entries), and a file
    of another kind under its suffix is not; the read position is kept."""
    upload = io.BytesIO(content)
    upload.seek(3)
    assert content_matches(upload, suffix) is expected
    assert upload.tell() == 3


def test_server_names_are_random_and_keep_only_known_suffixes():
    """Stored names say nothing of the sender's name, and never carry an
    unknown or dangerous suffix."""
    first, second = server_file_name("Mandate.PDF"), server_file_name("Mandate.PDF")
    assert first != second and first.endswith(".pdf") and len(first) == 36
    assert "." not in server_file_name("../../evil.html")


def test_download_names_are_plain():
    """Folders, quotes, semicolons and control characters are dropped."""
    assert safe_download_name('../../a"b;c\r\nd.PDF', suffix=".pdf") == "a'b,c d.pdf"
    assert safe_download_name("", suffix=".docx") == "document.docx"
    assert len(safe_download_name("x" * 500 + ".pdf", suffix=".pdf")) == 120


def test_progress_evidence_uses_the_same_check():
    """An Excel workbook renamed .docx, or a web page renamed .pdf, is not
    accepted as evidence either; a real Word file is."""
    assert evidence_problem(SimpleUploadedFile("report.docx", real_xlsx()))
    assert evidence_problem(SimpleUploadedFile("report.pdf", HTML_PAGE))
    assert evidence_problem(SimpleUploadedFile("report.docx", real_docx())) is None


def test_agenda_papers_and_terms_of_reference_use_the_same_check():
    """Papers (and task teams' terms of reference, which share the rule): a
    page renamed .txt, or a workbook renamed .docx, is refused; real
    documents pass."""
    from meetings.services.agenda import paper_problem

    assert paper_problem(SimpleUploadedFile("notes.txt", HTML_PAGE))
    assert paper_problem(SimpleUploadedFile("paper.docx", real_xlsx()))
    assert paper_problem(SimpleUploadedFile("paper.docx", real_docx())) is None
    assert paper_problem(SimpleUploadedFile("notes.txt", b"Plain notes.\n")) is None
