"""The documents pages: the register (the newest first, the meetings'
approved minutes and circulated agendas merged in, the filters, the public's
view), a document's page (metadata, summary cleaned, languages and every
version, links, the newer document), the download, and every form with good
and bad input: a refused input is a message on the form and changes
nothing; an edit on a stale version keeps what was typed."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

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
from meetings.models import Minutes, MinutesStatus
from tests.meetings.conftest import make_meeting

from .conftest import make_document, pdf_upload, text_upload

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _published(network, by, **values):
    doc = make_document(network, by, external_url="https://example.org/doc", **values)
    services.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=by)
    doc.refresh_from_db()
    return doc


def _snapshot():
    return (
        list(
            Document.objects.order_by("pk").values_list(
                "pk", "status", "version", "title", "symbol", "original_language", "access"
            )
        ),
        list(DocumentFile.objects.order_by("pk").values_list("pk", "checksum")),
        list(Engagement.objects.order_by("pk").values_list("pk", "event", "start", "end")),
    )


def _form_errors(response) -> dict:
    return response.context["form"].errors


# --- the register ---------------------------------------------------------------------------


@pytest.fixture
def register(network, secretariat, agency_a, agency_b):
    """Three documents, a meeting with approved minutes, another with its
    agenda circulated, and a cancelled one whose agenda was circulated."""
    old = make_document(network, secretariat, title="Old report", date=date(2006, 3, 1))
    new = _published(
        network,
        secretariat,
        title="New statement",
        date=date(2008, 5, 2),
        lead_agency=agency_a,
        access=Access.PUBLIC,
    )
    mid = make_document(
        network,
        secretariat,
        title="Briefing in French",
        date=date(2007, 6, 1),
        original_language="fr",
        contributors=[agency_b],
        kind=DocumentKind.objects.get(slug="briefing-note"),
    )
    held = make_meeting(network, days=-400, title="Principals 2024")
    Minutes.objects.create(meeting=held, status=MinutesStatus.APPROVED, approved_at=timezone.now())
    draft_minutes = make_meeting(network, days=-300, title="Minutes not approved")
    Minutes.objects.create(meeting=draft_minutes, status=MinutesStatus.DRAFT)
    circulated = make_meeting(
        network, days=10, title="Working group", agenda_circulated_at=timezone.now()
    )
    make_meeting(
        network,
        days=20,
        title="Cancelled one",
        agenda_circulated_at=timezone.now(),
        status="cancelled",
    )
    return {"old": old, "new": new, "mid": mid, "held": held, "circulated": circulated}


def _titles(response) -> list[str]:
    rows = response.context["rows"]
    return [r.document.title if r.is_document else f"{r.kind}: {r.meeting.title}" for r in rows]


def test_the_register_merges_the_meetings_records_the_newest_first(client, secretariat, register):
    client.force_login(secretariat)
    response = client.get(reverse("documents:list", args=["gtn"]))
    assert response.status_code == 200
    assert _titles(response) == [
        "agenda: Working group",
        "minutes: Principals 2024",
        "New statement",
        "Briefing in French",
        "Old report",
    ]
    html = response.content.decode()
    # Linked to the meeting's page, not copied.
    assert f'href="{register["held"].get_absolute_url()}#minutes"' in html
    assert f'href="{register["circulated"].get_absolute_url()}#agenda"' in html
    assert "5 records" in html


def test_the_menu_entry_opens_the_register_of_the_network_in_the_header(client, register):
    response = client.get(reverse("documents:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:list", args=["gtn"])
    assert f'href="{reverse("documents:index")}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": "briefing-note"}, ["Briefing in French"]),
        ({"kind": "minutes"}, ["minutes: Principals 2024"]),
        ({"kind": "agenda"}, ["agenda: Working group"]),
        ({"year": "2007"}, ["Briefing in French"]),
        ({"language": "fr"}, ["Briefing in French"]),
        ({"status": "published"}, ["New statement"]),
        ({"agency": "AGENCY_B"}, ["Briefing in French"]),
        ({"agency": "AGENCY_A"}, ["New statement"]),
        ({"q": "principals"}, ["minutes: Principals 2024"]),
    ],
)
def test_each_filter_narrows_the_register(
    client, secretariat, register, agency_a, agency_b, params, expected
):
    params = dict(params)
    if params.get("agency") == "AGENCY_A":
        params["agency"] = agency_a.pk
    elif params.get("agency") == "AGENCY_B":
        params["agency"] = agency_b.pk
    client.force_login(secretariat)
    response = client.get(reverse("documents:list", args=["gtn"]), params)
    assert _titles(response) == expected


def test_the_topic_filter_keeps_the_documents_of_that_topic(client, secretariat, register):
    from workplans.models import FrameworkObjective

    topic = FrameworkObjective.objects.order_by("pk").first()
    register["mid"].topics.add(topic)
    client.force_login(secretariat)
    response = client.get(reverse("documents:list", args=["gtn"]), {"topic": topic.pk})
    assert _titles(response) == ["Briefing in French"]


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"year": "99999"}, {"kind": "nope"}, {"page": "-3"}, {"agency": "x"}],
)
def test_bad_filters_are_a_form_message_not_an_error(client, secretariat, register, params):
    client.force_login(secretariat)
    response = client.get(reverse("documents:list", args=["gtn"]), params)
    assert response.status_code == 200


def test_the_public_has_the_same_register_with_the_public_documents_only(client, register):
    response = client.get(reverse("documents:list", args=["gtn"]))
    assert response.status_code == 200
    assert _titles(response) == ["New statement"]
    html = response.content.decode()
    assert "1 record" in html and "Old report" not in html and "Principals" not in html
    assert reverse("documents:create", args=["gtn"]) not in html


def test_an_unknown_network_is_a_404(client):
    assert client.get(reverse("documents:list", args=["nope"])).status_code == 404


# --- a document's page ----------------------------------------------------------------------


def test_the_page_shows_metadata_languages_and_every_version(
    client, secretariat, network, agency_a, agency_b
):
    doc = make_document(
        network,
        secretariat,
        symbol="GMG/2007/3",
        summary="**Key** points <script>alert(1)</script>",
        lead_agency=agency_a,
        contributors=[agency_b],
    )
    services.file_upload(
        document=doc, upload=pdf_upload(), language="en", by=secretariat, note="First"
    )
    second = services.file_upload(
        document=doc,
        upload=pdf_upload("Second text", name="statement-v2.pdf"),
        language="en",
        by=secretariat,
        note="Comments taken in",
    )
    french = services.file_upload(
        document=doc, upload=text_upload("Texte"), language="fr", by=secretariat
    )
    client.force_login(secretariat)
    response = client.get(doc.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "GMG/2007/3" in html and "<strong>Key</strong>" in html
    assert "<script>alert" not in html
    languages = response.context["languages"]
    assert [(lv.language, lv.original, lv.current.pk) for lv in languages] == [
        ("en", True, second.pk),
        ("fr", False, french.pk),
    ]
    assert [v.pk for v in response.context["versions"]] == [
        french.pk,
        second.pk,
        second.pk - 1,
    ]
    assert second.checksum[:16] in html and "Comments taken in" in html
    assert second.get_absolute_url() in html and "secretariat@example.org" in html
    # The moves of a draft: final, published.
    assert 'data-move="final"' in html and 'data-move="published"' in html


def test_the_page_links_what_the_document_belongs_to_when_the_user_may_see_it(
    client, secretariat, focal_b, network
):
    meeting = make_meeting(network, title="Linked meeting")
    doc = _published(network, secretariat, meeting=meeting, access=Access.PUBLIC)
    client.force_login(secretariat)
    assert meeting.get_absolute_url() in client.get(doc.get_absolute_url()).content.decode()
    client.logout()
    # The public does not see the meeting: no link, no name.
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "Linked meeting" not in html


def test_a_superseded_document_links_the_newer_one(client, secretariat, network):
    old = _published(network, secretariat, title="First edition", access=Access.PUBLIC)
    new = _published(network, secretariat, title="Second edition", access=Access.PUBLIC)
    services.document_move(
        document=old, status=DocumentStatus.SUPERSEDED, by=secretariat, superseded_by=new
    )
    html = client.get(old.get_absolute_url()).content.decode()
    assert "This document is superseded" in html and new.get_absolute_url() in html
    assert old.get_absolute_url() in client.get(new.get_absolute_url()).content.decode()


# --- the download ---------------------------------------------------------------------------


def test_a_version_is_streamed_from_the_storage_as_an_attachment(client, secretariat, network):
    doc = _published(network, secretariat, access=Access.PUBLIC)
    version = services.file_upload(
        document=doc,
        upload=pdf_upload(name="Déclaration finale.pdf"),
        language="fr",
        by=secretariat,
    )
    storage = DocumentFile._meta.get_field("file").storage
    with mock.patch.object(storage, "open", wraps=storage.open) as opened:
        response = client.get(version.get_absolute_url())
        body = b"".join(response.streaming_content)
    assert opened.called
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert "finale.pdf" in response["Content-Disposition"]
    assert body.startswith(b"%PDF-")


def test_a_file_of_another_document_is_a_404(client, secretariat, network):
    one = _published(network, secretariat, access=Access.PUBLIC)
    other = make_document(network, secretariat)
    version = services.file_upload(
        document=other, upload=pdf_upload(), language="en", by=secretariat
    )
    url = reverse("documents:download", args=[one.pk, version.pk])
    assert client.get(url).status_code == 404


# --- creating and editing -------------------------------------------------------------------


def _document_data(document_kind, **extra):
    data = {
        "title": "Joint statement on labour mobility",
        "symbol": "GMG/2008/1",
        "kind": document_kind.pk,
        "date": "2008-02-01",
        "original_language": "en",
        "access": Access.MEMBERS,
        "summary": "The network's statement.",
    }
    data.update(extra)
    return data


def test_the_secretariat_creates_a_draft(client, secretariat, network, kind, agency_a):
    client.force_login(secretariat)
    url = reverse("documents:create", args=["gtn"])
    assert client.get(url).status_code == 200
    response = client.post(url, _document_data(kind, lead_agency=agency_a.pk))
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert (doc.status, doc.symbol, doc.lead_agency, doc.created_by) == (
        "draft",
        "GMG/2008/1",
        agency_a,
        secretariat,
    )


def test_an_embargo_is_typed_in_the_networks_time_zone(client, secretariat, network, kind):
    client.force_login(secretariat)
    client.post(
        reverse("documents:create", args=["gtn"]),
        _document_data(kind, publish_on="2031-01-10T10:00"),
    )
    doc = Document.objects.get()
    local = timezone.localtime(doc.publish_on, timezone.get_fixed_timezone(0))
    assert doc.publish_on.tzinfo is not None and local.year == 2031


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"date": "2008-02-31"}, "date"),
        ({"kind": "999999"}, "kind"),
        ({"title": "x" * 301}, "title"),
        ({"external_url": "not a link"}, "external_url"),
        ({"access": "agencies"}, "access_agencies"),
        ({"publish_on": "tomorrow"}, "publish_on"),
        ({"summary": "x" * 5001}, "summary"),
    ],
)
def test_bad_input_on_the_new_document_is_a_message_and_nothing_is_saved(
    client, secretariat, network, kind, change, field
):
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:create", args=["gtn"]), _document_data(kind, **change)
    )
    assert response.status_code == 200
    assert field in _form_errors(response)
    assert not Document.objects.exists()


def test_a_symbol_taken_in_the_network_is_refused(client, secretariat, network, kind):
    make_document(network, secretariat, symbol="GMG/2008/1")
    client.force_login(secretariat)
    before = _snapshot()
    response = client.post(reverse("documents:create", args=["gtn"]), _document_data(kind))
    assert "symbol" in _form_errors(response)
    assert _snapshot() == before


def test_a_link_to_another_networks_meeting_is_not_offered(
    client, secretariat, network, other_network, kind
):
    theirs = make_meeting(other_network)
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:create", args=["gtn"]), _document_data(kind, meeting=theirs.pk)
    )
    assert "meeting" in _form_errors(response)
    assert not Document.objects.exists()


def test_an_edit_saves_and_bumps_the_version(client, secretariat, network, kind):
    doc = make_document(network, secretariat)
    client.force_login(secretariat)
    url = reverse("documents:edit", args=[doc.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _document_data(kind, title="Renamed", expected_version=1))
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("Renamed", 2)


def test_an_edit_on_a_stale_version_keeps_the_text_and_shows_the_current_record(
    client, secretariat, network, kind
):
    doc = make_document(network, secretariat, title="Original title")
    services.document_edit(document=doc, by=secretariat, title="Changed by someone else")
    client.force_login(secretariat)
    before = _snapshot()
    response = client.post(
        reverse("documents:edit", args=[doc.pk]),
        _document_data(kind, title="My careful title", expected_version=1),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone changed this document while you were editing it" in html
    assert 'value="My careful title"' in html
    assert "Changed by someone else" in html  # the current record beside the form
    assert response.context["form"].data["expected_version"] == "2"
    assert _snapshot() == before
    # Saved again, on the current version, it goes through.
    response = client.post(
        reverse("documents:edit", args=[doc.pk]),
        _document_data(kind, title="My careful title", expected_version=2),
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "My careful title"


def test_a_drafting_agency_edits_the_draft_but_not_who_may_read_it(
    client, secretariat, focal_b, network, agency_b, kind
):
    doc = make_document(network, secretariat, lead_agency=agency_b)
    client.force_login(focal_b)
    url = reverse("documents:edit", args=[doc.pk])
    form = client.get(url).context["form"]
    assert "access" not in form.fields and "publish_on" not in form.fields
    response = client.post(
        url, _document_data(kind, title="B's title", access="public", expected_version=1)
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.access) == ("B's title", Access.MEMBERS)


# --- uploading ------------------------------------------------------------------------------


def test_an_upload_is_a_new_version_and_may_mark_the_original(client, secretariat, network):
    doc = make_document(network, secretariat)
    client.force_login(secretariat)
    url = reverse("documents:upload", args=[doc.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"file": pdf_upload(), "language": "fr", "original": "on", "note": "Texte original"}
    )
    assert response.status_code == 302
    version = DocumentFile.objects.get()
    doc.refresh_from_db()
    assert (version.language, version.number, version.note, doc.original_language) == (
        "fr",
        1,
        "Texte original",
        "fr",
    )
    assert len(version.checksum) == 64 and version.uploaded_by == secretariat
    assert "Version 1 of the French file is saved." in _messages(client.get(doc.get_absolute_url()))


def _html_as_pdf():
    return SimpleUploadedFile(
        "statement.pdf", b"<html><body>Not a PDF</body></html>", content_type="application/pdf"
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"file": "HTML", "language": "en"}, "file"),
        ({"file": "EXE", "language": "en"}, "file"),
        ({"file": "EMPTY", "language": "en"}, "file"),
        ({"language": "en"}, "file"),
        ({"file": "PDF", "language": "de"}, "language"),
        ({"file": "PDF", "language": "en", "note": "x" * 501}, "note"),
    ],
)
def test_a_bad_upload_is_a_form_error_and_changes_nothing(
    client, secretariat, network, data, field
):
    doc = make_document(network, secretariat)
    files = {
        "HTML": _html_as_pdf,
        "EXE": lambda: SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="x"),
        "EMPTY": lambda: SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
        "PDF": pdf_upload,
    }
    data = dict(data)
    if "file" in data:
        data["file"] = files[data["file"]]()
    client.force_login(secretariat)
    before = _snapshot()
    response = client.post(reverse("documents:upload", args=[doc.pk]), data)
    assert response.status_code == 200
    assert field in _form_errors(response)
    assert _snapshot() == before


def test_a_renamed_html_file_says_why(client, secretariat, network):
    doc = make_document(network, secretariat)
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:upload", args=[doc.pk]), {"file": _html_as_pdf(), "language": "en"}
    )
    assert "statement.pdf is not really a PDF file, so nothing was saved." in str(
        _form_errors(response)["file"]
    )
    assert not DocumentFile.objects.exists()


def test_the_same_file_twice_is_refused(client, secretariat, network):
    doc = make_document(network, secretariat)
    content = pdf_upload().read()
    services.file_upload(
        document=doc,
        upload=SimpleUploadedFile("a.pdf", content, content_type="application/pdf"),
        language="en",
        by=secretariat,
    )
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:upload", args=[doc.pk]),
        {"file": SimpleUploadedFile("b.pdf", content), "language": "en"},
    )
    assert "same as the current version" in str(_form_errors(response)["file"])
    assert DocumentFile.objects.count() == 1


# --- status moves ---------------------------------------------------------------------------


def test_the_moves_are_post_buttons(client, secretariat, network):
    doc = make_document(network, secretariat, external_url="https://example.org/x")
    client.force_login(secretariat)
    url = reverse("documents:move", args=[doc.pk])
    # A GET of a click-only move changes nothing.
    assert client.get(url, {"status": "final"}).status_code == 302
    assert Document.objects.get().status == "draft"
    assert client.post(url, {"status": "final"}).status_code == 302
    assert client.post(url, {"status": "published"}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "published" and doc.publish_on is not None


def test_publishing_without_content_is_refused_with_a_message(client, secretariat, network):
    doc = make_document(network, secretariat)
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:move", args=[doc.pk]), {"status": "published"}, follow=True
    )
    assert "Upload a file or give a link before publishing." in _messages(response)
    assert Document.objects.get().status == "draft"


@pytest.mark.parametrize("status", ["superseded", "nonsense", ""])
def test_a_move_the_state_does_not_allow_is_refused(client, secretariat, network, status):
    doc = make_document(network, secretariat)  # a draft is not superseded
    client.force_login(secretariat)
    before = _snapshot()
    response = client.post(reverse("documents:move", args=[doc.pk]), {"status": status})
    assert response.status_code == 302
    assert _snapshot() == before


def test_superseded_asks_for_the_newer_document(client, secretariat, network, other_network):
    old = _published(network, secretariat, title="Old one")
    new = _published(network, secretariat, title="New one")
    theirs = _published(other_network, secretariat, title="Elsewhere")
    client.force_login(secretariat)
    url = reverse("documents:move", args=[old.pk])
    page = client.get(url, {"status": "superseded"})
    assert page.status_code == 200
    choices = {c.pk for c in page.context["form"].fields["superseded_by"].queryset}
    assert new.pk in choices and old.pk not in choices and theirs.pk not in choices
    before = _snapshot()
    for bad in ({}, {"superseded_by": theirs.pk}, {"superseded_by": old.pk}):
        response = client.post(url, {"status": "superseded", **bad})
        assert response.status_code == 200 and "superseded_by" in _form_errors(response)
        assert _snapshot() == before
    response = client.post(url, {"status": "superseded", "superseded_by": new.pk})
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == ("superseded", new)


def test_withdrawing_asks_for_a_reason(client, secretariat, network):
    doc = _published(network, secretariat)
    client.force_login(secretariat)
    url = reverse("documents:move", args=[doc.pk])
    assert client.get(url, {"status": "withdrawn"}).status_code == 200
    before = _snapshot()
    response = client.post(url, {"status": "withdrawn", "reason": ""})
    assert "reason" in _form_errors(response) and _snapshot() == before
    response = client.post(url, {"status": "withdrawn", "reason": "Issued in error."})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.status, doc.status_note) == ("withdrawn", "Issued in error.")


# --- engagements ----------------------------------------------------------------------------


def _engagement_data(**extra):
    data = {
        "event": "First meeting of the GFMD",
        "kind": EngagementKind.STATEMENT,
        "organizer": "Government of Belgium",
        "place": "Brussels",
        "start": "2007-07-09",
        "end": "2007-07-11",
        "representative": "Under-Secretary-General Sha of UN/DESA",
        "outcome": "The statement was **noted**.",
        "public": "on",
    }
    data.update(extra)
    return data


def test_an_engagement_is_recorded_in_its_chair_term(
    client, secretariat, network, agency_a, current_term
):
    statement = _published(network, secretariat, title="Statement to the GFMD")
    client.force_login(secretariat)
    url = reverse("documents:engagement_create", args=["gtn"])
    assert client.get(url).status_code == 200
    day = current_term.start + timedelta(days=1)
    response = client.post(
        url,
        _engagement_data(
            start=day.isoformat(),
            end=day.isoformat(),
            represented_by=agency_a.pk,
            documents=[statement.pk],
        ),
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response["Location"] == engagement.get_absolute_url()
    assert engagement.chair_term == current_term
    html = client.get(engagement.get_absolute_url()).content.decode()
    assert "Statement to the GFMD" in html and "<strong>noted</strong>" in html
    assert "Under-Secretary-General Sha" in html and "Brussels" in html
    assert (
        engagement.get_absolute_url() in client.get(statement.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"event": ""}, "event"),
        ({"start": ""}, "start"),
        ({"end": "2007-07-01"}, "end"),
        ({"kind": "song"}, "kind"),
        ({"start": "2007-13-01"}, "start"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_bad_input_on_an_engagement_is_a_message_and_nothing_is_saved(
    client, secretariat, network, change, field
):
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:engagement_create", args=["gtn"]), _engagement_data(**change)
    )
    assert response.status_code == 200 and field in _form_errors(response)
    assert not Engagement.objects.exists()


def test_an_engagement_is_edited(client, secretariat, network):
    engagement = services.engagement_save(
        network=network,
        by=secretariat,
        event="Friends of the Forum",
        kind=EngagementKind.STATEMENT,
        start=date(2007, 12, 17),
    )
    client.force_login(secretariat)
    url = reverse("documents:engagement_edit", args=[engagement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _engagement_data(event="Friends of the Forum, Geneva"))
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.event == "Friends of the Forum, Geneva"
    before = _snapshot()
    response = client.post(url, _engagement_data(end="2007-01-01"))
    assert "end" in _form_errors(response) and _snapshot() == before


def test_the_engagements_list_the_newest_first_and_filter(client, secretariat, network):
    for event, day, kind in (
        ("Briefing in New York", date(2007, 5, 2), EngagementKind.BRIEFING),
        ("GFMD Brussels", date(2007, 7, 9), EngagementKind.STATEMENT),
        ("Friends of the Forum", date(2007, 12, 17), EngagementKind.STATEMENT),
        ("GFMD Manila", date(2008, 10, 27), EngagementKind.PARTICIPATION),
    ):
        services.engagement_save(network=network, by=secretariat, event=event, kind=kind, start=day)
    client.force_login(secretariat)
    url = reverse("documents:engagements", args=["gtn"])

    def events(params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200
        return [e.event for e in response.context["page"].object_list]

    assert events() == [
        "GFMD Manila",
        "Friends of the Forum",
        "GFMD Brussels",
        "Briefing in New York",
    ]
    assert events({"kind": "statement", "year": "2007"}) == [
        "Friends of the Forum",
        "GFMD Brussels",
    ]
    assert events({"year": "abc"}) == events()
    assert client.get(reverse("documents:engagements_index")).status_code == 302
