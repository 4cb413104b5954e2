"""The shared upload check (core/files.py) that application documents,
progress evidence, agenda papers and terms of reference all use: the bytes
must be what the suffix says; and how their files are named: stored under a
name the server makes, downloaded under the sender's."""

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


# --- names: stored under the server's, downloaded under the sender's ------------------------

MIGRATIONS = {
    "meetings.AgendaItem": ("meetings.migrations.0006_paper_stored_under_server_names", "paper"),
    "taskteams.TaskTeam": (
        "taskteams.migrations.0003_tor_document_stored_under_server_names",
        "tor_document",
    ),
    "workplans.ProgressUpdate": (
        "workplans.migrations.0004_evidence_stored_under_server_names",
        "evidence_file",
    ),
}


def _row(label: str):
    """One saved row of each model that holds an upload, with no file yet."""
    from datetime import date

    from meetings.models import AgendaItem
    from taskteams.models import TaskTeam
    from tests import factories as f
    from tests.meetings.conftest import make_meeting
    from tests.workplans.test_progress import make_activity, make_workplan
    from workplans.models import Objective, ProgressUpdate

    network = f.NetworkFactory()
    if label == "meetings.AgendaItem":
        return AgendaItem.objects.create(meeting=make_meeting(network), title="Item")
    if label == "taskteams.TaskTeam":
        return TaskTeam.objects.create(network=network, name="T", slug="t", focus="F.")
    agency = f.OrganizationFactory()
    objective = Objective.objects.create(workplan=make_workplan(network), code="1", title="O")
    return ProgressUpdate.objects.create(
        activity=make_activity(objective, "1.1"),
        year=date.today().year,
        quarter=1,
        percent_complete=5,
        status="on_track",
        narrative="N.",
        organization=agency,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("label", MIGRATIONS)
def test_files_stored_before_get_their_name_from_their_path(label):
    """The migration that brings the name field fills it, for files stored
    under the sender's name before, from that name; rows without a file keep
    an empty one."""
    import importlib

    from django.apps import apps

    module, field = MIGRATIONS[label]
    row, empty = _row(label), _row(label)
    name_field = type(row).upload_names[field]
    type(row).objects.filter(pk=row.pk).update(**{field: "old/place/Work plan 2024.pdf"})

    importlib.import_module(module).names_from_paths(apps, None)

    row.refresh_from_db()
    empty.refresh_from_db()
    assert getattr(row, name_field) == "Work plan 2024.pdf"
    assert getattr(empty, name_field) == ""


@pytest.mark.django_db
def test_a_file_stored_before_names_were_kept_downloads_under_its_stored_name(settings):
    """With no kept name, the download is named after the stored file, still
    an attachment of the type its suffix names, never sniffed; a file gone
    from the storage is a 404, not a server error."""
    from django.core.files.base import ContentFile
    from django.http import Http404

    from core.files import stored_file_response

    row = _row("taskteams.TaskTeam")
    row.tor_document.save("ToR.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    type(row).objects.filter(pk=row.pk).update(tor_document_name="")
    row.refresh_from_db()

    response = stored_file_response(row.tor_document, name=row.tor_document_name)
    stored = row.tor_document.name.rsplit("/", 1)[-1]
    assert response["Content-Disposition"] == f'attachment; filename="{stored}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    # (Not response.close(): its request_finished signal closes the test's database connection.)
    response.file_to_stream.close()

    row.tor_document.storage.delete(row.tor_document.name)
    row = type(row).objects.get(pk=row.pk)
    with pytest.raises(Http404):
        stored_file_response(row.tor_document, name="ToR.pdf")
