"""An agenda item's papers picked from the register: who may pick and take
off, what the meeting page shows to whom, bad picks refused with nothing
changed, and a fixed number of queries however many papers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import services
from documents.models import Access, DocumentStatus
from meetings.services.agenda import agenda_item_propose
from tests.documents.conftest import make_document, pdf_upload
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(network, agency_a, agency_b):
    return make_meeting(network)


@pytest.fixture
def item(meeting, secretariat):
    return agenda_item_propose(meeting=meeting, title="Preparations for the Forum", by=secretariat)


@pytest.fixture
def paper(network, secretariat):
    document = make_document(network, secretariat, title="Background note on the Forum")
    services.file_upload(document=document, upload=pdf_upload(), language="en", by=secretariat)
    services.document_move(document=document, status=DocumentStatus.FINAL, by=secretariat)
    return document


def _add(client, meeting, item, document):
    return client.post(
        reverse("documents:paper_add", args=[meeting.pk]),
        {"item": item.pk, "document": document.pk},
    )


def test_the_secretariat_picks_a_paper_and_the_meeting_page_shows_it(
    client, secretariat, meeting, item, paper
):
    client.force_login(secretariat)
    form = client.get(reverse("documents:paper_add", args=[meeting.pk]) + f"?item={item.pk}")
    assert form.status_code == 200
    assert paper.title in form.content.decode()
    response = _add(client, meeting, item, paper)
    assert response.status_code == 302
    assert response["Location"].endswith("#register-papers")
    assert list(paper.agenda_papers.all()) == [item]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Papers from the register" in page
    assert paper.get_absolute_url() in page
    # Picked twice: still one link, and the user is told.
    _add(client, meeting, item, paper)
    assert paper.agenda_papers.count() == 1


def test_taking_a_paper_off_leaves_the_document_in_the_register(
    client, secretariat, meeting, item, paper
):
    paper.agenda_papers.add(item)
    client.force_login(secretariat)
    url = reverse("documents:paper_remove", args=[meeting.pk, item.pk, paper.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not paper.agenda_papers.exists()
    paper.refresh_from_db()
    assert paper.status == DocumentStatus.FINAL


@pytest.mark.parametrize("persona", ["focal_a", "principal_a", "outsider"])
def test_others_may_not_pick_nor_take_off(
    client, request, persona, meeting, item, paper, secretariat
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    add = _add(client, meeting, item, paper)
    remove_url = reverse("documents:paper_remove", args=[meeting.pk, item.pk, paper.pk])
    paper.agenda_papers.add(item)
    remove = client.post(remove_url)
    # Members of the network see the meeting (403); an outsider does not (404).
    expected = 404 if persona == "outsider" else 403
    assert (add.status_code, remove.status_code) == (expected, expected)
    assert list(paper.agenda_papers.all()) == [item]


def test_the_public_is_sent_to_sign_in(client, meeting, item, paper):
    response = _add(client, meeting, item, paper)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not paper.agenda_papers.exists()


def test_another_networks_document_or_a_withdrawn_one_is_refused_on_the_form(
    client, secretariat, meeting, item, other_network
):
    foreign = make_document(other_network, None, title="Another network's paper")
    withdrawn = make_document(meeting.network, secretariat, title="Withdrawn note")
    services.document_move(document=withdrawn, status=DocumentStatus.FINAL, by=secretariat)
    services.document_move(
        document=withdrawn, status=DocumentStatus.WITHDRAWN, by=secretariat, reason="Wrong"
    )
    client.force_login(secretariat)
    for document in (foreign, withdrawn):
        response = _add(client, meeting, item, document)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not document.agenda_papers.exists()
    # And the service refuses them too, whatever the form.
    from core.errors import DomainError

    for document in (foreign, withdrawn):
        with pytest.raises(DomainError):
            services.paper_attach(item=item, document=document, by=secretariat)
    assert not foreign.agenda_papers.exists() and not withdrawn.agenda_papers.exists()


def test_a_member_sees_only_the_papers_they_may_read(
    client, secretariat, focal_a, meeting, item, paper, agency_b
):
    secret = make_document(
        meeting.network,
        secretariat,
        title="Note for agency B only",
        access=Access.AGENCIES,
        access_agencies=[agency_b],
    )
    services.document_move(document=secret, status=DocumentStatus.FINAL, by=secretariat)
    paper.agenda_papers.add(item)
    secret.agenda_papers.add(item)
    client.force_login(focal_a)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert paper.title in page
    assert secret.title not in page
    assert "Pick a paper from the register" not in page
    assert "Remove" not in page.split('id="register-papers"')[1].split("</section>")[0]


def test_the_meeting_page_keeps_its_queries_with_many_papers(
    client, secretariat, meeting, item, network
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        return len(queries)

    client.force_login(secretariat)
    make_document(network, secretariat, title="Paper 0").agenda_papers.add(item)
    few = count()
    other = agenda_item_propose(meeting=meeting, title="Another item", by=secretariat)
    for n in range(1, 30):
        make_document(network, secretariat, title=f"Paper {n}").agenda_papers.add(
            item if n % 2 else other
        )
    assert count() == few


def test_the_document_page_says_which_items_it_is_a_paper_for(
    client, secretariat, outsider, meeting, item, network
):
    document = make_document(network, secretariat, title="Public note", access=Access.PUBLIC)
    services.file_upload(document=document, upload=pdf_upload(), language="en", by=secretariat)
    services.document_move(document=document, status=DocumentStatus.PUBLISHED, by=secretariat)
    document.agenda_papers.add(item)
    client.force_login(secretariat)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Paper for" in page and item.title in page
    # Someone who may read the document but not the meeting is not told of it.
    client.force_login(outsider)
    page = client.get(document.get_absolute_url()).content.decode()
    assert item.title not in page
