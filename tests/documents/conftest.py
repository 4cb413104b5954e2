"""The world of the documents tests: the Global Test Network (A, B members,
A on the executive committee), agency C outside it, the personas of
tests/conftest.py, and helpers that make documents and real small files."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Access, DocumentKind
from members.models import Membership, PersonLevel
from tests import factories as f


def small_pdf(text: str = "Migration governance in the regional networks") -> bytes:
    """A real one-page PDF whose text pypdf reads back."""
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def pdf_upload(text: str = "Migration governance", name: str = "statement.pdf"):
    return SimpleUploadedFile(name, small_pdf(text), content_type="application/pdf")


def text_upload(body: str = "Plain notes.", name: str = "notes.txt"):
    return SimpleUploadedFile(name, body.encode(), content_type="text/plain")


@pytest.fixture
def kind(db):
    return DocumentKind.objects.get(slug="statement")


@pytest.fixture
def committee(network, agency_a):
    Membership.objects.filter(network=network, organization=agency_a).update(
        executive_committee=True
    )
    return [agency_a]


@pytest.fixture
def agency_c(db):
    return f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")


@pytest.fixture
def focal_c(agency_c):
    user = f.UserFactory(email="focal@agency-c.example.org")
    f.PersonFactory(
        organization=agency_c, level=PersonLevel.FOCAL_POINT, user=user, email=user.email
    )
    return user


def make_document(network, by, *, kind=None, **values):
    data = {
        "title": "Statement to the Friends of the Forum",
        "kind": kind or DocumentKind.objects.get(slug="statement"),
        "date": date(2007, 12, 17),
        "access": Access.MEMBERS,
    }
    data.update(values)
    return services.document_create(network=network, by=by, **data)


def _unused() -> io.BytesIO:  # keeps io imported for helpers that build files
    return io.BytesIO()
