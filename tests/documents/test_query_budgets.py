"""The register, a document's page and the engagements cost the same number
of queries with 10 records or 500 (documents, approved minutes, circulated
agendas, file versions, engagements)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Access, Document, DocumentFile, DocumentKind, Engagement
from meetings.models import Meeting, Minutes, MinutesStatus

from .conftest import make_document

pytestmark = pytest.mark.django_db


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _grow(network, agencies, count):
    """`count` more documents (every other one public and published, each
    with a contributor), and a meeting with approved minutes and a
    circulated agenda for every tenth."""
    kind = DocumentKind.objects.get(slug="statement")
    start = Document.objects.count()
    created = Document.objects.bulk_create(
        Document(
            network=network,
            title=f"Document {i}",
            kind=kind,
            date=date(2000 + i % 25, 1 + i % 12, 1),
            lead_agency=agencies[i % len(agencies)],
            status="published" if i % 2 else "final",
            access=Access.PUBLIC if i % 2 else Access.MEMBERS,
            publish_on=timezone.now() - timedelta(days=1),
        )
        for i in range(start, start + count)
    )
    Document.contributors.through.objects.bulk_create(
        Document.contributors.through(document=d, organization=agencies[0]) for d in created
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            level="working",
            title=f"Meeting {i}",
            # Among the documents' dates, so a page holds both.
            start=now.replace(year=2000 + i % 25, month=6, day=15),
            end=now.replace(year=2000 + i % 25, month=6, day=15) + timedelta(hours=2),
            agenda_circulated_at=now - timedelta(days=i + 10),
            status="minutes_approved",
        )
        for i in range(start, start + count // 10)
    )
    Minutes.objects.bulk_create(
        Minutes(meeting=m, status=MinutesStatus.APPROVED, approved_at=now) for m in meetings
    )


@pytest.mark.parametrize("who", ["secretariat", "focal_b", "anonymous"])
@pytest.mark.parametrize("params", [{}, {"kind": "statement", "year": "2007"}, {"page": "2"}])
def test_the_register_keeps_its_budget(client, request, network, agency_a, agency_b, who, params):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = reverse("documents:list", args=[network.slug])
    _grow(network, [agency_a, agency_b], 10)
    small = _count(client, url, params if params != {"page": "2"} else {})
    _grow(network, [agency_a, agency_b], 490)
    assert Document.objects.count() == 500
    # The actor (session, user, grants, people, chair terms, memberships);
    # the network; the filter's kinds and agencies and topics; the count and
    # the page of the merged register; its documents, their files, its
    # meetings.
    assert _count(client, url, params) == small


def _file(document, language, n, by):
    content = f"version {n}".encode()
    return DocumentFile(
        document=document,
        language=language,
        number=n,
        file=f"documents/{document.network_id}/v{n}.txt",
        file_name=f"v{n}.txt",
        size=len(content),
        checksum=hashlib.sha256(content).hexdigest(),
        content_type="text/plain; charset=utf-8",
        uploaded_by=by,
    )


def test_a_documents_page_keeps_its_budget(client, secretariat, network, agency_a, agency_b):
    doc = make_document(
        network, secretariat, lead_agency=agency_a, contributors=[agency_a, agency_b]
    )
    client.force_login(secretariat)
    DocumentFile.objects.bulk_create(_file(doc, "en", n, secretariat) for n in range(1, 6))
    DocumentFile.objects.bulk_create(_file(doc, "fr", n, secretariat) for n in range(1, 6))
    small = _count(client, doc.get_absolute_url())
    DocumentFile.objects.bulk_create(_file(doc, "en", n, secretariat) for n in range(6, 256))
    DocumentFile.objects.bulk_create(_file(doc, "fr", n, secretariat) for n in range(6, 256))
    assert doc.files.count() == 510
    assert _count(client, doc.get_absolute_url()) == small


def test_the_engagements_keep_their_budget(client, focal_b, network, agency_a):
    def grow(n):
        start = Engagement.objects.count()
        Engagement.objects.bulk_create(
            Engagement(
                network=network,
                event=f"Event {i}",
                kind="statement",
                start=date(2000 + i % 25, 1, 1),
                represented_by=agency_a,
                public=bool(i % 2),
            )
            for i in range(start, start + n)
        )

    client.force_login(focal_b)
    url = reverse("documents:engagements", args=[network.slug])
    grow(10)
    small = _count(client, url)
    grow(490)
    assert _count(client, url) == small
    engagement = Engagement.objects.first()
    engagement.documents.set(
        services.document_create(
            network=network, by=None, title=f"Doc {i}", kind=DocumentKind.objects.first(),
            date=date(2007, 1, 1),
        ) for i in range(3)
    )  # fmt: skip
    small = _count(client, engagement.get_absolute_url())
    engagement.documents.add(
        *Document.objects.bulk_create(
            Document(network=network, title=f"More {i}", kind_id=engagement.documents.first().kind_id,
                     date=date(2007, 1, 1))
            for i in range(200)
        )
    )  # fmt: skip
    assert _count(client, engagement.get_absolute_url()) == small
