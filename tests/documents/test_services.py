"""Documents: creating and editing the record, file versions (checked by
content, immutable, numbered per language, with their checksum), the text
of PDFs read by the task, the status moves, and engagements."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import DomainError
from documents import services
from documents.models import Access, Document, DocumentFile, DocumentStatus, EngagementKind
from documents.tasks import extract_pending_texts
from tests import factories as f

from .conftest import make_document, pdf_upload, small_pdf, text_upload

pytestmark = pytest.mark.django_db


def test_a_new_document_is_a_draft_with_its_links(network, secretariat, agency_a, agency_b):
    doc = make_document(
        network,
        secretariat,
        symbol=" GMG/2007/3 ",
        lead_agency=agency_a,
        contributors=[agency_b],
    )
    assert doc.status == DocumentStatus.DRAFT and doc.symbol == "GMG/2007/3"
    assert list(doc.contributors.all()) == [agency_b]
    assert doc.history.count() == 1


def test_a_symbol_is_unique_in_its_network(network, other_network, secretariat):
    make_document(network, secretariat, symbol="GMG/2007/3")
    with pytest.raises(DomainError) as error:
        make_document(network, secretariat, symbol="gmg/2007/3")
    assert error.value.field == "symbol"
    make_document(other_network, secretariat, symbol="GMG/2007/3")  # another network: fine
    assert Document.objects.count() == 2


def test_named_agencies_access_names_them(network, secretariat):
    with pytest.raises(DomainError) as error:
        make_document(network, secretariat, access=Access.AGENCIES)
    assert error.value.field == "access_agencies"
    assert not Document.objects.exists()


def test_a_link_to_another_networks_record_is_refused(network, other_network, secretariat):
    from tests.meetings.conftest import make_meeting

    foreign = make_meeting(other_network, title="Elsewhere")
    with pytest.raises(DomainError) as error:
        make_document(network, secretariat, meeting=foreign)
    assert error.value.field == "meeting"


def test_an_edit_on_an_older_version_is_refused(network, secretariat):
    doc = make_document(network, secretariat)
    services.document_edit(document=doc, by=secretariat, expected_version=1, title="New title")
    with pytest.raises(DomainError):
        services.document_edit(document=doc, by=secretariat, expected_version=1, title="Lost")
    doc.refresh_from_db()
    assert doc.title == "New title" and doc.version == 2


def test_each_upload_is_a_new_version_of_its_language(network, secretariat):
    doc = make_document(network, secretariat)
    first = services.file_upload(
        document=doc, upload=pdf_upload("one"), language="en", by=secretariat
    )
    second = services.file_upload(
        document=doc, upload=pdf_upload("two"), language="en", by=secretariat, note="Corrected"
    )
    french = services.file_upload(
        document=doc, upload=pdf_upload("une"), language="fr", by=secretariat
    )
    assert (first.number, second.number, french.number) == (1, 2, 1)
    assert second.note == "Corrected" and second.uploaded_by == secretariat
    assert first.checksum == hashlib.sha256(first.file.open("rb").read()).hexdigest()
    assert first.file_name == "statement.pdf"
    assert "statement" not in first.file.name  # stored under a server name


def test_a_version_is_never_changed(network, secretariat):
    doc = make_document(network, secretariat)
    version = services.file_upload(
        document=doc, upload=text_upload(), language="en", by=secretariat
    )
    version.note = "changed"
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.save(update_fields=["note"])


def test_the_same_file_twice_adds_nothing(network, secretariat):
    doc = make_document(network, secretariat)
    data = small_pdf("same")
    services.file_upload(
        document=doc, upload=SimpleUploadedFile("a.pdf", data), language="en", by=secretariat
    )
    with pytest.raises(DomainError) as error:
        services.file_upload(
            document=doc, upload=SimpleUploadedFile("b.pdf", data), language="en", by=secretariat
        )
    assert error.value.field == "file"
    assert doc.files.count() == 1


@pytest.mark.parametrize(
    "name, body",
    [
        ("statement.pdf", b"<html><script>alert(1)</script></html>"),  # a renamed HTML file
        ("statement.docx", b"PK\x03\x04 not really a docx"),
        ("picture.svg", b"<svg/>"),
        ("statement.exe", b"MZ\x90\x00"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(network, secretariat, name, body):
    doc = make_document(network, secretariat)
    with pytest.raises(DomainError) as error:
        services.file_upload(
            document=doc, upload=SimpleUploadedFile(name, body), language="en", by=secretariat
        )
    assert error.value.field == "file"
    assert not DocumentFile.objects.exists()


def test_the_text_of_a_pdf_is_read_for_search(
    network, secretariat, django_capture_on_commit_callbacks
):
    doc = make_document(network, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.file_upload(
            document=doc,
            upload=pdf_upload("Circular migration and remittances"),
            language="en",
            by=secretariat,
        )
    version.refresh_from_db()
    assert "Circular migration and remittances" in version.text
    assert version.text_extracted_at is not None
    # Reading again changes nothing; the periodic job finds nothing left.
    assert services.extract_file_text(version.pk) is False
    assert extract_pending_texts() == 0


def test_the_periodic_job_reads_what_the_broker_missed(network, secretariat):
    doc = make_document(network, secretariat)
    version = services.file_upload(
        document=doc, upload=pdf_upload("Labour mobility"), language="en", by=secretariat
    )  # no on_commit here: the task never ran
    assert DocumentFile.objects.get(pk=version.pk).text_extracted_at is None
    assert extract_pending_texts() == 1
    assert "Labour mobility" in DocumentFile.objects.get(pk=version.pk).text


def test_a_broken_pdf_is_read_as_empty_not_an_error(network, secretariat):
    doc = make_document(network, secretariat)
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n garbage without objects")
    version = services.file_upload(document=doc, upload=broken, language="en", by=secretariat)
    assert services.extract_file_text(version.pk) is True
    version.refresh_from_db()
    assert version.text == "" and version.text_extracted_at is not None


# --- status -------------------------------------------------------------------------------


def test_publishing_needs_content_and_sets_the_date(network, secretariat):
    doc = make_document(network, secretariat)
    with pytest.raises(DomainError):
        services.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=secretariat)
    services.file_upload(document=doc, upload=text_upload(), language="en", by=secretariat)
    services.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=secretariat)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PUBLISHED and doc.publish_on is not None


def test_an_embargo_date_is_kept_when_published(network, secretariat):
    later = timezone.now() + timedelta(days=10)
    doc = make_document(
        network, secretariat, external_url="https://example.org/s", publish_on=later
    )
    services.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=secretariat)
    doc.refresh_from_db()
    assert doc.publish_on == later and doc.under_embargo


def test_superseding_names_the_newer_document_of_the_network(network, other_network, secretariat):
    old = make_document(network, secretariat, external_url="https://example.org/1")
    services.document_move(document=old, status=DocumentStatus.PUBLISHED, by=secretariat)
    foreign = make_document(other_network, secretariat, title="Elsewhere")
    with pytest.raises(DomainError):
        services.document_move(
            document=old, status=DocumentStatus.SUPERSEDED, by=secretariat, superseded_by=foreign
        )
    with pytest.raises(DomainError):
        services.document_move(document=old, status=DocumentStatus.SUPERSEDED, by=secretariat)
    new = make_document(network, secretariat, title="Revised statement")
    services.document_move(
        document=old, status=DocumentStatus.SUPERSEDED, by=secretariat, superseded_by=new
    )
    old.refresh_from_db()
    assert old.superseded_by == new and list(new.supersedes.all()) == [old]


def test_withdrawing_needs_a_reason_and_ends_the_moves(network, secretariat):
    doc = make_document(network, secretariat)
    services.document_move(document=doc, status=DocumentStatus.FINAL, by=secretariat)
    with pytest.raises(DomainError):
        services.document_move(document=doc, status=DocumentStatus.WITHDRAWN, by=secretariat)
    services.document_move(
        document=doc, status=DocumentStatus.WITHDRAWN, by=secretariat, reason="Sent in error"
    )
    for status in DocumentStatus.values:
        with pytest.raises(DomainError):
            services.document_move(document=doc, status=status, by=secretariat, reason="x")
    with pytest.raises(DomainError):
        services.file_upload(document=doc, upload=text_upload(), language="en", by=secretariat)


# --- engagements ----------------------------------------------------------------------------


def test_an_engagement_falls_in_its_chair_term(network, secretariat, agency_a):
    term = f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2007, 7, 1), end=date(2007, 12, 31)
    )
    statement = make_document(network, secretariat)
    engagement = services.engagement_save(
        network=network,
        by=secretariat,
        event="First meeting of the GFMD",
        organizer="Government of Belgium",
        place="Brussels",
        start=date(2007, 7, 9),
        end=date(2007, 7, 11),
        kind=EngagementKind.STATEMENT,
        represented_by=agency_a,
        representative="Under-Secretary-General Sha of UN/DESA",
        documents=[statement],
    )
    assert engagement.chair_term == term
    assert list(engagement.documents.all()) == [statement]


def test_an_engagement_cannot_end_before_it_starts(network, secretariat):
    with pytest.raises(DomainError) as error:
        services.engagement_save(
            network=network,
            by=secretariat,
            event="GFMD",
            start=date(2007, 7, 9),
            end=date(2007, 7, 1),
            kind=EngagementKind.PARTICIPATION,
        )
    assert error.value.field == "end"
