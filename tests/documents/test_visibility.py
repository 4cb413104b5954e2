"""Who sees which document: every access level, status and embargo against
every kind of reader, in the query (visible_documents), so a list, a count
or a search built on it holds exactly what the reader may open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from documents import services
from documents.models import Access, DocumentStatus, EngagementKind
from documents.permissions import can, visible_documents, visible_engagements
from members.roles import build_actor as actor_for_user
from tests import factories as f

from .conftest import make_document, text_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(network, other_network, committee, secretariat, focal_a, focal_b, focal_c, outsider):
    other_secretariat = f.UserFactory(email="sec@other.example.org")
    f.grant(other_secretariat, Role.SECRETARIAT, other_network)
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "secretariat": secretariat,
        "other_secretariat": other_secretariat,
        "committee_member": focal_a,  # A sits on the executive committee
        "member": focal_b,
        "named_agency": focal_c,  # C is no member, but may be named
    }


def _published(network, by, **values):
    doc = make_document(network, by, external_url="https://example.org/doc", **values)
    services.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=by)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def documents(network, secretariat, agency_a, agency_b, agency_c):
    future = timezone.now() + timedelta(days=7)
    final = make_document(network, secretariat, title="final members", external_url="https://x.org")
    services.document_move(document=final, status=DocumentStatus.FINAL, by=secretariat)
    withdrawn = make_document(network, secretariat, title="withdrawn public", access=Access.PUBLIC)
    services.document_move(document=withdrawn, status=DocumentStatus.FINAL, by=secretariat)
    services.document_move(
        document=withdrawn, status=DocumentStatus.WITHDRAWN, by=secretariat, reason="error"
    )
    final_public = make_document(network, secretariat, title="final public", access=Access.PUBLIC)
    services.document_move(document=final_public, status=DocumentStatus.FINAL, by=secretariat)
    return {
        "public": _published(network, secretariat, title="public", access=Access.PUBLIC),
        "public under embargo": _published(
            network, secretariat, title="embargo", access=Access.PUBLIC, publish_on=future
        ),
        "final public": final_public,
        "members": _published(network, secretariat, title="members", access=Access.MEMBERS),
        "members, final": final,
        "members under embargo": _published(
            network, secretariat, title="members embargo", access=Access.MEMBERS, publish_on=future
        ),
        "committee": _published(
            network, secretariat, title="committee", access=Access.EXECUTIVE_COMMITTEE
        ),
        "named agencies": _published(
            network,
            secretariat,
            title="named",
            access=Access.AGENCIES,
            access_agencies=[agency_c],
        ),
        "draft of B": make_document(
            network, secretariat, title="draft B", lead_agency=agency_b, access=Access.PUBLIC
        ),
        "draft B helps with": make_document(
            network, secretariat, title="draft A", lead_agency=agency_a, contributors=[agency_b]
        ),
        "withdrawn": withdrawn,
    }


# reader -> the documents it sees
EXPECTED = {
    "anonymous": {"public"},
    "outsider": {"public"},
    "other_secretariat": {"public"},
    "secretariat": "all",
    "committee_member": {"public", "members", "members, final", "committee", "draft B helps with"},
    "member": {"public", "members", "members, final", "draft of B", "draft B helps with"},
    "named_agency": {"public", "named agencies"},
}


@pytest.mark.parametrize("reader", sorted(EXPECTED))
def test_each_reader_sees_exactly_what_its_access_allows(readers, documents, reader):
    actor = actor_for_user(readers[reader])
    seen = set(visible_documents(actor).values_list("pk", flat=True))
    expected = set(documents) if EXPECTED[reader] == "all" else EXPECTED[reader]
    assert {name for name, doc in documents.items() if doc.pk in seen} == expected
    # Counted once each, whatever the joins on agencies.
    assert visible_documents(actor).count() == len(expected)


def test_an_embargo_lifts_by_itself(readers, documents):
    doc = documents["public under embargo"]
    type(doc).objects.filter(pk=doc.pk).update(publish_on=timezone.now() - timedelta(seconds=1))
    actor = actor_for_user(readers["anonymous"])
    assert visible_documents(actor).filter(pk=doc.pk).exists()


def test_only_managers_and_drafting_agencies_change_a_draft(readers, documents, network):
    draft = documents["draft of B"]
    allowed = {
        name
        for name, user in readers.items()
        if can(actor_for_user(user), "document.upload", draft)
    }
    assert allowed == {"secretariat", "member"}
    published = documents["members"]
    allowed = {
        name
        for name, user in readers.items()
        if can(actor_for_user(user), "document.upload", published)
    }
    assert allowed == {"secretariat"}
    assert not can(
        actor_for_user(readers["secretariat"]), "document.upload", documents["withdrawn"]
    )
    creators = {
        name
        for name, user in readers.items()
        if can(actor_for_user(user), "document.create", network_id=network.pk)
    }
    assert creators == {"secretariat"}


def test_engagements_are_public_only_when_marked(readers, network, secretariat):
    from datetime import date

    public = services.engagement_save(
        network=network,
        by=secretariat,
        event="GFMD",
        start=date(2007, 7, 9),
        kind=EngagementKind.STATEMENT,
        public=True,
    )
    internal = services.engagement_save(
        network=network,
        by=secretariat,
        event="Bilateral",
        start=date(2007, 8, 1),
        kind=EngagementKind.BILATERAL,
    )
    for name, expected in (
        ("anonymous", {public.pk}),
        ("outsider", {public.pk}),
        ("member", {public.pk, internal.pk}),
        ("secretariat", {public.pk, internal.pk}),
        ("other_secretariat", {public.pk}),
    ):
        actor = actor_for_user(readers[name])
        assert set(visible_engagements(actor).values_list("pk", flat=True)) == expected, name


def test_a_drafting_agency_uploads_to_its_draft(documents, readers):
    draft = documents["draft of B"]
    version = services.file_upload(
        document=draft, upload=text_upload(), language="en", by=readers["member"]
    )
    assert version.uploaded_by == readers["member"]
