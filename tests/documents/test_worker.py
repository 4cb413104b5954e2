"""The text of an uploaded PDF read out by a real Celery worker, and found by
the search for who may read the document only.

The suite runs tasks eagerly (tests/conftest.py); here a real worker runs in
a thread of this process (tests/core/test_celery.py's harness), on the
embedded filesystem broker everywhere and on Redis where REDIS_URL names
one (skipped otherwise), each with a queue of the test's own.

- An upload committed in a transaction queues `documents.tasks.extract_text`
  after the commit; the worker reads the PDF, the file's text holds its
  words, and the search finds the document by a word that is only in the
  PDF: for a member of the network, not for the public while the document
  is for members only (a public, published one is found by the public by a
  word of its PDF, so the public's search is not simply empty).
- An upload made while the broker is down is never delivered: the beat
  entry "documents-extract-texts" (`extract_pending_texts`) picks the file
  up later, once; a second run and a late `extract_text` find nothing to do.
"""

from __future__ import annotations

import importlib
import os
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse

from config.celery import app
from core import search
from documents import services
from documents.models import Access, DocumentFile, DocumentKind, DocumentStatus
from documents.tasks import extract_pending_texts, extract_text
from members.roles import build_actor
from tests.core import test_celery as harness

from .conftest import pdf_upload

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# Words that are in the PDFs only: not in a title, a summary or a symbol.
MEMBERS_WORD = "caravanserai"
PUBLIC_WORD = "hinterland"
MEMBERS_TITLE = "Statement to the Friends of the Forum, Geneva"
PUBLIC_TITLE = "Briefing to Member States, New York"
EXTRACT = extract_text.name
PENDING = extract_pending_texts.name
BEAT_ENTRY = "documents-extract-texts"
# A Redis that is not there: the publish after the commit fails at once.
BROKER_DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _kinds(db):
    """The kinds a data migration loads: a transactional test before this
    one may have flushed them."""
    importlib.import_module("documents.migrations.0002_standard_kinds").add_kinds(django_apps, None)


@contextmanager
def _redis(settings):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: the Redis broker path needs a Redis server")
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    # A key prefix of this test's own: no other test process (nor a
    # developer's worker) shares the queue.
    options["global_keyprefix"] = f"test-documents-{uuid.uuid4().hex[:12]}:"
    with harness._broker(url, options):
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    try:
        with harness._running_worker(url, options) as finished:
            yield finished
    finally:
        import redis

        client = redis.Redis.from_url(url)
        try:
            keys = list(client.scan_iter(match=options["global_keyprefix"] + "*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


@pytest.fixture(params=["filesystem", "redis"])
def start_worker(request, settings, tmp_path):
    """Starts a real worker on the broker of the parameter (a context
    manager), once the test wants it running."""

    def start():
        if request.param == "redis":
            return _redis(settings)
        options = harness._filesystem_options(tmp_path / "broker")
        return harness._running_worker("filesystem://", options, harness._embedded_transport())

    return start


@pytest.fixture
def world(network, secretariat, agency_a, focal_a):
    return {"network": network, "secretariat": secretariat, "member": focal_a}


def _document(world, title: str, access: str):
    return services.document_create(
        network=world["network"],
        by=world["secretariat"],
        title=title,
        kind=DocumentKind.objects.get(slug="statement"),
        date=date(2007, 12, 17),
        access=access,
        summary="Delivered on behalf of the network.",
    )


def _upload(world, document, words: str) -> DocumentFile:
    """The upload as the page makes it: one committed transaction."""
    with transaction.atomic():
        version = services.file_upload(
            document=document,
            upload=pdf_upload(f"The network stands by {words} and its partners."),
            language="en",
            by=world["secretariat"],
        )
        # Nothing is queued before the commit.
        assert DocumentFile.objects.get(pk=version.pk).text_extracted_at is None
    return version


def _found(user, q: str) -> dict[str, list[str]]:
    """{kind: [titles]} of what `user` finds by `q`."""
    return {r.source.kind: [h.title for h in r.hits] for r in search.search(build_actor(user), q)}


def _titles(found: dict[str, list[str]]) -> str:
    return " ".join(t for titles in found.values() for t in titles)


def test_a_real_worker_reads_the_pdf_and_the_search_finds_it_for_members_only(
    world, start_worker, client
):
    members_doc = _document(world, MEMBERS_TITLE, Access.MEMBERS)
    public_doc = _document(world, PUBLIC_TITLE, Access.PUBLIC)
    with start_worker() as finished:
        members_pdf = _upload(world, members_doc, MEMBERS_WORD)
        assert finished.wait_for(EXTRACT) == ("SUCCESS", True)
        public_pdf = _upload(world, public_doc, PUBLIC_WORD)
        assert finished.wait_for(EXTRACT) == ("SUCCESS", True)
        # Run again (a message delivered twice): the file is left alone.
        extract_text.delay(members_pdf.pk)
        assert finished.wait_for(EXTRACT) == ("SUCCESS", False)

    members_pdf.refresh_from_db()
    assert MEMBERS_WORD in members_pdf.text
    assert members_pdf.text_extracted_at is not None
    public_pdf.refresh_from_db()
    assert PUBLIC_WORD in public_pdf.text
    for doc in (members_doc, public_doc):
        services.document_move(document=doc, status=DocumentStatus.FINAL, by=world["secretariat"])
    services.document_move(
        document=public_doc, status=DocumentStatus.PUBLISHED, by=world["secretariat"]
    )

    # A member finds the members' document by the word of its PDF...
    member = world["member"]
    assert MEMBERS_TITLE in _titles(_found(member, MEMBERS_WORD))
    client.force_login(member)
    page = client.get(reverse("search"), {"q": MEMBERS_WORD}).content.decode()
    assert members_doc.get_absolute_url() in page
    assert "<mark>" + MEMBERS_WORD + "</mark>" in page.lower()

    # ...the public does not, not even as a count, though it finds the
    # public document by the word of its own PDF.
    assert _found(AnonymousUser(), MEMBERS_WORD) == {}
    assert PUBLIC_TITLE in _titles(_found(AnonymousUser(), PUBLIC_WORD))
    client.logout()
    page = client.get(reverse("search"), {"q": MEMBERS_WORD}).content.decode()
    assert MEMBERS_TITLE not in page
    assert members_doc.get_absolute_url() not in page
    page = client.get(reverse("search"), {"q": PUBLIC_WORD}).content.decode()
    assert public_doc.get_absolute_url() in page


def test_the_beat_job_reads_a_file_whose_task_was_never_delivered(world, start_worker, client):
    """The broker is down when the upload commits: the request goes on, the
    task is never delivered; beat's entry runs `extract_pending_texts` on
    the worker later, which reads the file once."""
    entry = django_settings.CELERY_BEAT_SCHEDULE[BEAT_ENTRY]
    assert entry["task"] == PENDING
    assert app.conf.beat_schedule[BEAT_ENTRY]["task"] == PENDING

    document = _document(world, MEMBERS_TITLE, Access.MEMBERS)
    with harness._broker(BROKER_DOWN, {}):
        version = _upload(world, document, MEMBERS_WORD)
    version.refresh_from_db()
    assert version.text_extracted_at is None and version.text == ""
    # The secretariat sees the draft, and finds nothing by the PDF's word yet.
    assert _found(world["secretariat"], "Geneva") != {}
    assert _found(world["secretariat"], MEMBERS_WORD) == {}

    with start_worker() as finished:
        # What beat sends, by the name in its schedule.
        app.send_task(entry["task"])
        assert finished.wait_for(PENDING) == ("SUCCESS", 1)
        # The next run, and the original task arriving late, do nothing.
        app.send_task(entry["task"])
        assert finished.wait_for(PENDING) == ("SUCCESS", 0)
        extract_text.delay(version.pk)
        assert finished.wait_for(EXTRACT) == ("SUCCESS", False)

    version.refresh_from_db()
    assert MEMBERS_WORD in version.text
    assert version.text_extracted_at is not None
    # Released to the members (a draft is the drafting agencies' only).
    services.document_move(document=document, status=DocumentStatus.FINAL, by=world["secretariat"])
    assert MEMBERS_TITLE in _titles(_found(world["member"], MEMBERS_WORD))
    assert _found(AnonymousUser(), MEMBERS_WORD) == {}
    client.force_login(world["member"])
    page = client.get(reverse("search"), {"q": MEMBERS_WORD}).content.decode()
    assert document.get_absolute_url() in page
