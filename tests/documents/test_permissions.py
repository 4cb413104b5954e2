"""The permission matrix of the documents pages: every URL of the app, read
(GET) and each write (POST), for every persona (the public and the other
network's secretariat among them), on a document of each access level
(public, members, executive committee, named agencies), under embargo or
not, a draft of agency B and a withdrawn one.

A document the persona may not see answers 404 (its page, its files, its
forms), one they may see but not change 403, and a refused POST changes
nothing (the rows are compared before and after). An allowed POST runs in a
transaction rolled back, so every URL meets the same world. The register
lists, and counts, exactly what each persona may open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from documents import services
from documents.models import (
    Access,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    Engagement,
    EngagementKind,
)
from tests import factories as f

from .conftest import make_document, pdf_upload

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "secretariat",
    "other_secretariat",
    "admin_user",
    "chair",
    "focal_a",
    "focal_b",
    "principal_a",
    "focal_c",
]
MANAGERS = {"secretariat", "admin_user", "chair"}
MEMBERS = {"chair", "focal_a", "focal_b", "principal_a"}
# Agency A sits on the executive committee; C is no member but may be named.
COMMITTEE = {"chair", "focal_a", "principal_a"}
NAMED = {"focal_c"}
EVERYONE = set(PERSONAS)

# document -> who reads it (the managers read everything of their network)
READERS = {
    "public": EVERYONE,
    "public_embargo": MANAGERS,
    "members": MEMBERS | MANAGERS,
    "members_embargo": MANAGERS,
    "committee": COMMITTEE | MANAGERS,
    "committee_embargo": MANAGERS,
    "agencies": NAMED | MANAGERS,
    "agencies_embargo": MANAGERS,
    "draft_of_b": {"focal_b"} | MANAGERS,
    "withdrawn": MANAGERS,
}
DOCUMENTS = sorted(READERS)


@pytest.fixture
def other_secretariat(other_network):
    user = f.UserFactory(email="secretariat@other.example.org")
    f.grant(user, Role.SECRETARIAT, other_network)
    return user


@pytest.fixture
def world(network, other_network, secretariat, committee, agency_a, agency_b, agency_c):
    future = timezone.now() + timedelta(days=10)
    access = {
        "public": Access.PUBLIC,
        "members": Access.MEMBERS,
        "committee": Access.EXECUTIVE_COMMITTEE,
        "agencies": Access.AGENCIES,
    }
    docs = {}
    for name, level in access.items():
        for embargo in (False, True):
            doc = make_document(
                network,
                secretariat,
                title=f"Document {name}{' embargo' if embargo else ''}",
                access=level,
                access_agencies=[agency_c] if level == Access.AGENCIES else [],
                publish_on=future if embargo else None,
            )
            services.file_upload(document=doc, upload=pdf_upload(), language="en", by=secretariat)
            services.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=secretariat)
            docs[f"{name}_embargo" if embargo else name] = doc
    draft = make_document(
        network,
        secretariat,
        title="Document draft of B",
        lead_agency=agency_b,
        access=Access.PUBLIC,
    )
    services.file_upload(document=draft, upload=pdf_upload(), language="en", by=secretariat)
    docs["draft_of_b"] = draft
    withdrawn = make_document(network, secretariat, title="Document withdrawn", access="public")
    services.file_upload(document=withdrawn, upload=pdf_upload(), language="en", by=secretariat)
    services.document_move(document=withdrawn, status=DocumentStatus.PUBLISHED, by=secretariat)
    services.document_move(
        document=withdrawn, status=DocumentStatus.WITHDRAWN, by=secretariat, reason="Error."
    )
    docs["withdrawn"] = withdrawn
    for doc in docs.values():
        doc.refresh_from_db()
    return docs


def _user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def _snapshot():
    return (
        list(
            Document.objects.order_by("pk").values_list(
                "pk", "status", "version", "title", "access", "original_language"
            )
        ),
        list(DocumentFile.objects.order_by("pk").values_list("pk", "checksum")),
        list(Engagement.objects.order_by("pk").values_list("pk", "event")),
    )


def _post_and_undo(client, url, data):
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response


def _check(client, method, url, data, expected, persona):
    """expected: "ok", 403 or 404. The forms need a signed-in user: the
    public is sent to sign in first, whatever the document."""
    before = _snapshot()
    if method == "get":
        response = client.get(url)
    elif expected == "ok" and persona != "anonymous":
        response = _post_and_undo(client, url, data)
    else:
        response = client.post(url, data)
    where = f"{persona} {method.upper()} {url}"
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
    elif expected == "ok":
        assert response.status_code in (200, 302), f"{where}: {response.status_code}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"
    if method == "post" and (expected != "ok" or persona == "anonymous"):
        assert _snapshot() == before, f"{where} changed something"
    return response


def _edit_data(doc):
    return {
        "title": "Changed",
        "kind": doc.kind_id,
        "date": "2007-12-17",
        "original_language": "en",
        "access": doc.access,
        "access_agencies": list(doc.access_agencies.values_list("pk", flat=True)),
        "expected_version": doc.version,
    }


def _move_data(doc):
    if doc.status == DocumentStatus.DRAFT:
        return {"status": "final"}
    return {"status": "withdrawn", "reason": "Overtaken."}


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_of_a_document(client, request, world, persona, name):
    user = _user(request, persona)
    if user is not None:
        client.force_login(user)
    doc = world[name]
    reads = persona in READERS[name]
    manages = persona in MANAGERS
    drafts = persona == "focal_b" and name == "draft_of_b"
    closed = doc.status in (DocumentStatus.SUPERSEDED, DocumentStatus.WITHDRAWN)

    page = client.get(doc.get_absolute_url())
    assert page.status_code == (200 if reads else 404), persona
    version = doc.files.get()
    download = client.get(version.get_absolute_url())
    assert download.status_code == (200 if reads else 404), persona
    if reads:
        assert download["Content-Type"] == "application/pdf"
        b"".join(download.streaming_content)

    def expected(allowed: bool):
        return 404 if not reads else ("ok" if allowed else 403)

    may_change = (manages and not closed) or drafts
    for url_name, data in (
        ("edit", _edit_data(doc)),
        ("upload", {"file": pdf_upload("Another text"), "language": "fr"}),
    ):
        url = reverse(f"documents:{url_name}", args=[doc.pk])
        _check(client, "get", url, None, expected(may_change), persona)
        if url_name == "upload":
            data = {"file": pdf_upload("Another text"), "language": "fr"}
        _check(client, "post", url, data, expected(may_change), persona)
    move = reverse("documents:move", args=[doc.pk])
    _check(client, "post", move, _move_data(doc), expected(manages), persona)
    if reads and manages and not closed:
        assert page.content.count(b"data-move=") >= 1
    elif reads:
        assert b"data-move=" not in page.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_register_lists_and_counts_what_each_persona_may_open(client, request, world, persona):
    user = _user(request, persona)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("documents:list", args=["gtn"]))
    assert response.status_code == 200
    shown = {r.document.pk for r in response.context["rows"] if r.is_document}
    expected = {world[n].pk for n in DOCUMENTS if persona in READERS[n]}
    assert shown == expected, persona
    assert response.context["page"].paginator.count == len(expected)
    html = response.content.decode()
    for name in DOCUMENTS:
        assert (world[name].title in html) == (persona in READERS[name]), (persona, name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_network_forms_are_the_managers(client, request, world, network, persona):
    user = _user(request, persona)
    if user is not None:
        client.force_login(user)
    kind = DocumentKind.objects.get(slug="statement")
    allowed = "ok" if persona in MANAGERS else 403
    _check(client, "get", reverse("documents:create", args=["gtn"]), None, allowed, persona)
    _check(
        client,
        "post",
        reverse("documents:create", args=["gtn"]),
        {"title": "New", "kind": kind.pk, "date": "2008-01-01", "original_language": "en",
         "access": "members"},
        allowed,
        persona,
    )  # fmt: skip
    url = reverse("documents:engagement_create", args=["gtn"])
    _check(client, "get", url, None, allowed, persona)
    data = {"event": "GFMD", "kind": "statement", "start": "2007-07-09"}
    _check(client, "post", url, data, allowed, persona)


@pytest.fixture
def engagements(network, other_network, secretariat, world):
    public = services.engagement_save(
        network=network,
        by=secretariat,
        event="Public briefing",
        kind=EngagementKind.BRIEFING,
        start=date(2007, 5, 2),
        public=True,
        documents=[world["public"], world["members"]],
    )
    private = services.engagement_save(
        network=network,
        by=secretariat,
        event="Private bilateral",
        kind=EngagementKind.BILATERAL,
        start=date(2007, 6, 2),
    )
    return {"public": public, "private": private}


ENGAGEMENT_READERS = {"public": EVERYONE, "private": MEMBERS | MANAGERS}


@pytest.mark.parametrize("name", ["public", "private"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_of_an_engagement(client, request, world, engagements, persona, name):
    user = _user(request, persona)
    if user is not None:
        client.force_login(user)
    engagement = engagements[name]
    reads = persona in ENGAGEMENT_READERS[name]
    page = client.get(engagement.get_absolute_url())
    assert page.status_code == (200 if reads else 404), persona
    if reads and name == "public":
        html = page.content.decode()
        # A linked document shows only to whom may open it.
        assert ("Document members" in html) == (persona in READERS["members"]), persona
    listing = client.get(reverse("documents:engagements", args=["gtn"]))
    assert (engagement.event in listing.content.decode()) == reads, persona
    expected = 404 if not reads else ("ok" if persona in MANAGERS else 403)
    url = reverse("documents:engagement_edit", args=[engagement.pk])
    _check(client, "get", url, None, expected, persona)
    data = {"event": "Changed", "kind": "briefing", "start": "2007-05-02"}
    _check(client, "post", url, data, expected, persona)


def test_another_networks_secretariat_manages_only_its_own(
    client, world, other_network, other_secretariat
):
    theirs = make_document(other_network, other_secretariat, title="Their draft")
    client.force_login(other_secretariat)
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(reverse("documents:edit", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("documents:create", args=["gtn"])).status_code == 403
    assert client.get(reverse("documents:create", args=["oth"])).status_code == 200
