"""Membership application documents: their content is checked, not only
their suffix (an HTML page or an SVG picture renamed `.pdf` is refused and
nothing is stored); they are stored under names the server makes; they come
back as attachments under the sender's cleaned name, with `nosniff`.

Personas: an anonymous applicant on the public form, and the secretariat
(tests/conftest.py) who reviews the application.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from members.models import ApplicationDocument, MembershipApplication
from tests.members.test_applications import form_data

pytestmark = pytest.mark.django_db

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_PICTURE = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
RANDOM_NAME = re.compile(r"^applications/GTN-[^/]+/[0-9a-f]{32}\.(pdf|docx|xlsx|odt|doc)$")


def real_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Mandate of the agency</h1>").write_pdf()


def real_docx() -> bytes:
    """The smallest Word document Word opens: the content types and the body."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Mandate</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def real_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Budget"
    book.save(buffer)
    return buffer.getvalue()


def real_odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def legacy_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def submit(client, network, *uploads):
    return client.post(
        reverse("members:apply_form", args=[network.slug]),
        {**form_data(submit="1"), "documents": list(uploads)},
    )


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- accepted, and how they are stored and served -----------------------------------------------


def test_a_real_pdf_is_stored_under_a_random_name_and_served_as_an_attachment(
    client, settings, network, secretariat
):
    """A PDF goes through; the file on disk has a server-made name, the title
    keeps the sender's; the reviewer downloads it under that name, as a PDF
    attachment the browser may not sniff."""
    content = real_pdf()
    response = submit(
        client, network, SimpleUploadedFile("Mandate of ITU.pdf", content, "application/pdf")
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert RANDOM_NAME.match(document.file.name), document.file.name
    assert "Mandate" not in document.file.name
    assert document.title == "Mandate of ITU.pdf"
    assert [p.read_bytes() for p in stored_files(settings)] == [content]

    client.force_login(secretariat)
    download = client.get(
        reverse("members:application_document", args=[document.application.pk, document.pk])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="Mandate of ITU.pdf"'
    assert b"".join(download.streaming_content) == content


def test_two_files_with_the_same_name_do_not_meet_on_disk(client, settings, network):
    """Two uploads called the same are two files, neither overwriting the other."""
    submit(
        client,
        network,
        SimpleUploadedFile("mandate.pdf", real_pdf()),
        SimpleUploadedFile("mandate.pdf", b"%PDF-1.4 another"),
    )
    names = list(ApplicationDocument.objects.values_list("file", flat=True))
    assert len(set(names)) == 2 and all(RANDOM_NAME.match(n) for n in names)
    assert len(stored_files(settings)) == 2


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        (
            "statute.docx",
            real_docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            real_xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("report.odt", real_odt, "application/vnd.oasis.opendocument.text"),
        ("old-report.doc", legacy_doc, "application/msword"),
    ],
)
def test_office_and_opendocument_files_are_accepted(
    client, network, secretariat, name, make, content_type
):
    """Word, Excel, OpenDocument and legacy Office files pass the check, and
    are served with the type of their format."""
    response = submit(client, network, SimpleUploadedFile(name, make()))
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert RANDOM_NAME.match(document.file.name)
    client.force_login(secretariat)
    download = client.get(
        reverse("members:application_document", args=[document.application.pk, document.pk])
    )
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'


def test_a_hostile_file_name_is_cleaned_for_the_download(client, network):
    """A name with folders, quotes, a semicolon and line breaks never reaches
    the disk, and comes back in the download as one plain name (non-ASCII
    letters kept, in the RFC 5987 form)."""
    response = submit(client, network, SimpleUploadedFile("Rapport; annuel Genève.pdf", real_pdf()))
    assert response.status_code == 302, response.context["form"].errors
    application = MembershipApplication.objects.get()
    document = application.documents.get()
    assert RANDOM_NAME.match(document.file.name)
    # A title as the admin could type it, with what a header must never carry.
    document.title = '..\\..\\x";\r\nSet-Cookie: a=b.PDF'
    document.save()
    download = client.get(
        reverse(
            "members:application_document_by_token", args=[application.access_token, document.pk]
        )
    )
    disposition = download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert disposition == 'attachment; filename="x\', Set-Cookie: a=b.pdf"'

    document.title = "Rapport; annuel Genève.pdf"
    document.save()
    download = client.get(
        reverse(
            "members:application_document_by_token", args=[application.access_token, document.pk]
        )
    )
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''Rapport%2C%20annuel%20Gen%C3%A8ve.pdf"
    )


# --- refused, and nothing stored ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("mandate.pdf", HTML_PAGE),
        ("logo.pdf", SVG_PICTURE),
        ("statute.docx", HTML_PAGE),
        ("statute.docx", real_xlsx()),  # a zip, but not a Word document
        ("report.odt", real_docx()),
        ("notes.txt", HTML_PAGE),
        ("picture.png", SVG_PICTURE),
        ("old-report.doc", b"MZ\x90\x00" + b"\x00" * 60),
    ],
)
def test_a_file_whose_content_is_not_its_suffix_is_refused(
    client, settings, network, name, content
):
    """An HTML page or an SVG picture renamed `.pdf` (and the like) is refused
    with a message on the form; no application and no file is stored."""
    response = submit(client, network, SimpleUploadedFile(name, content, "application/pdf"))
    assert response.status_code == 200
    errors = response.context["form"].errors["documents"]
    assert errors == [
        f"{name} is not really a {name.rsplit('.', 1)[1].upper()} file, so nothing was saved. "
        "Attach the document itself: PDF, Office, OpenDocument, plain text or a picture."
    ]
    assert not MembershipApplication.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []


def test_one_bad_file_among_good_ones_stores_none(client, settings, network):
    """The check is all or nothing: with one disguised page, the good PDF is
    not kept either."""
    response = submit(
        client,
        network,
        SimpleUploadedFile("mandate.pdf", real_pdf()),
        SimpleUploadedFile("annex.pdf", HTML_PAGE),
    )
    assert response.status_code == 200
    assert "annex.pdf is not really a PDF file" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []
