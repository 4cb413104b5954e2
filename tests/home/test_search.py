"""One search over every app's records (core.search, the page at /search/).

The entries follow the records (after each commit), the permission filter
is part of the query (a record the user may not open is neither listed nor
counted), results are grouped by kind, ranked (a match in the title first)
and highlighted with the user's text escaped. On PostgreSQL the search is
full-text in the record's language (stemming, web-search syntax); on SQLite
every word must appear."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import search
from core.models import SearchEntry
from decisions.models import Body, Procedure
from decisions.services import register
from documents import services as documents
from documents.models import Access, DocumentKind, DocumentStatus
from members.roles import build_actor
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search: PostgreSQL"
)


def kinds_found(user, q, **filters) -> dict[str, int]:
    return {r.source.kind: r.count for r in search.search(build_actor(user), q, **filters)}


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run what a write queues after its commit (the index update)."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def _document(network, by, **values):
    data = {
        "title": "Statement on remittances",
        "kind": DocumentKind.objects.get(slug="statement"),
        "date": date(2007, 12, 17),
        "access": Access.MEMBERS,
    }
    data.update(values)
    return documents.document_create(network=network, by=by, **data)


def _published(network, by, **values):
    doc = _document(network, by, external_url="https://example.org/doc", **values)
    documents.document_move(document=doc, status=DocumentStatus.PUBLISHED, by=by)
    return doc


def test_an_entry_follows_its_record(indexed, network, secretariat):
    meeting = indexed(make_meeting, network, title="Remittances workshop")
    assert SearchEntry.objects.get(kind="meeting", object_id=meeting.pk).title == (
        "Remittances workshop"
    )
    meeting.title = "Diaspora workshop"
    indexed(meeting.save)
    assert SearchEntry.objects.get(kind="meeting", object_id=meeting.pk).title == (
        "Diaspora workshop"
    )
    indexed(meeting.delete)
    assert not SearchEntry.objects.filter(kind="meeting", object_id=meeting.pk).exists()


def test_what_the_user_may_not_open_is_not_found_nor_counted(
    indexed, network, secretariat, focal_b, agency_a, agency_b
):
    indexed(
        register.decision_create,
        network=network,
        body=Body.PRINCIPALS,
        procedure=Procedure.SILENCE,
        title="Remittances draft decision",
        text="Draft on remittances.",
        by=secretariat,
    )
    indexed(_published, network, secretariat, title="Remittances for members")
    indexed(
        _published, network, secretariat, title="Remittances for everyone", access=Access.PUBLIC
    )
    assert kinds_found(secretariat, "remittances") == {"decision": 1, "document": 2}
    # The draft decision is the chair's and the secretariat's only.
    assert kinds_found(focal_b, "remittances") == {"document": 2}
    assert kinds_found(AnonymousUser(), "remittances") == {"document": 1}
    public = search.search(build_actor(AnonymousUser()), "remittances")[0].hits
    assert [str(h.title) for h in public] == ["Statement on <mark>remittances</mark>"] or [
        h.object_id for h in public
    ]


def test_people_are_found_by_members_only(indexed, network, focal_b, agency_a):
    from tests import factories as f

    indexed(f.PersonFactory, organization=agency_a, name="Rosalind Okafor", level="focal_point")
    assert kinds_found(focal_b, "Okafor") == {"person": 1}
    assert kinds_found(AnonymousUser(), "Okafor") == {}


def test_a_title_match_ranks_first_and_the_filters_narrow(
    indexed, network, other_network, secretariat
):
    indexed(make_meeting, network, title="Annual review", notes="Labour mobility in the region.")
    indexed(make_meeting, network, title="Labour mobility meeting")
    indexed(make_meeting, other_network, title="Labour mobility elsewhere")
    results = search.search(build_actor(secretariat), "labour mobility", kind="meeting")
    titles = [search_text(h.title) for h in results[0].hits]
    assert titles[-1] == "Annual review"
    assert kinds_found(secretariat, "labour mobility", network_id=network.pk) == {"meeting": 2}
    assert kinds_found(secretariat, "labour mobility", year=1990) == {}


def search_text(html) -> str:
    return str(html).replace("<mark>", "").replace("</mark>", "")


def test_highlighting_escapes_what_users_typed(indexed, network, secretariat):
    indexed(make_meeting, network, title="<script>alert(1)</script> Remittances")
    hit = search.search(build_actor(secretariat), "remittances")[0].hits[0]
    assert "<script>" not in str(hit.title)
    assert "&lt;script&gt;" in str(hit.title) and "<mark>" in str(hit.title)


def test_paused_writes_wait_for_the_rebuild(
    network, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), search.paused():
        make_meeting(network, title="Quiet meeting")
    assert not SearchEntry.objects.filter(kind="meeting").exists()
    counts = search.rebuild(["meeting"])
    assert counts == {"meeting": 1}
    assert kinds_found(secretariat, "quiet") == {"meeting": 1}


@postgres_only
def test_full_text_stems_and_reads_web_search_syntax(indexed, network, secretariat):
    indexed(make_meeting, network, title="Migrants and remittances", notes="Diaspora bonds.")
    indexed(make_meeting, network, title="Remittance corridors", notes="Costs of sending money.")
    assert kinds_found(secretariat, "remittance") == {"meeting": 2}  # stemmed: both
    assert kinds_found(secretariat, "remittances -diaspora") == {"meeting": 1}
    assert kinds_found(secretariat, '"sending money"') == {"meeting": 1}


@postgres_only
def test_a_french_document_is_searched_in_french(indexed, network, secretariat):
    indexed(
        _published,
        network,
        secretariat,
        title="Déclaration sur les migrations de main-d'œuvre",
        summary="Les travailleurs migrants et leurs familles.",
        original_language="fr",
    )
    assert kinds_found(secretariat, "travailleur migrant") == {"document": 1}


# --- the page -----------------------------------------------------------------------------------


def test_the_page_groups_by_kind_and_pages_one_kind(client, indexed, network, secretariat):
    for n in range(25):
        indexed(make_meeting, network, title=f"Remittances meeting {n}")
    client.force_login(secretariat)
    html = client.get(reverse("search"), {"q": "remittances"}).content.decode()
    assert "25 results for “remittances”." in html
    assert html.count('<li class="list-group-item">') == 5
    assert "All 25" in html
    one = client.get(reverse("search"), {"q": "remittances", "kind": "meeting"}).content.decode()
    assert one.count('<li class="list-group-item">') == 20 and "Next" in one
    two = client.get(
        reverse("search"), {"q": "remittances", "kind": "meeting", "page": 2}
    ).content.decode()
    assert two.count('<li class="list-group-item">') == 5


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 500},
        {"q": "a", "year": "abc"},
        {"q": "ok", "year": "99999"},
        {"kind": "nope", "q": "ok"},
        {"q": "ok", "page": "-3"},
        {"q": "ok", "network": "zzz"},
    ],
)
def test_bad_input_is_a_form_message_not_an_error(client, params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200


def test_the_header_has_the_search_box(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in html and 'name="q"' in html


def test_the_page_costs_the_same_with_10_or_500_matches(client, network, secretariat):
    from meetings.models import Meeting

    client.force_login(secretariat)

    def grow(n):
        meetings = [make_meeting(network, title=f"Remittances {i}") for i in range(n)]
        search.rebuild(["meeting"])
        return meetings

    grow(10)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("search"), {"q": "remittances"})
    Meeting.objects.bulk_create(
        Meeting(
            network=network,
            level="working",
            title=f"Remittances bulk {i}",
            start=m.start,
            end=m.end,
            time_zone="Europe/Zurich",
        )
        for i, m in enumerate([Meeting.objects.first()] * 490)
    )
    search.rebuild(["meeting"])
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("search"), {"q": "remittances"})
    assert "500 results" in response.content.decode()
    assert len(small) == len(large) == SEARCH_PAGE_QUERIES + search.is_postgres()


# The session and user, the networks of the form, the actor's grants and
# affiliations, then the search: one query for every kind (two on PostgreSQL,
# where the rows shown are highlighted apart).
SEARCH_PAGE_QUERIES = 8


def test_one_search_costs_the_same_whatever_the_kinds(indexed, network, secretariat):
    actor = build_actor(secretariat)
    search.search(actor, "remittances")  # the actor's own lookups, once
    indexed(make_meeting, network, title="Remittances meeting")
    with CaptureQueriesContext(connection) as captured:
        results = search.search(actor, "remittances")
    assert [r.source.kind for r in results] == ["meeting"]
    assert len(captured) == (2 if search.is_postgres() else 1)
    with CaptureQueriesContext(connection) as nothing:
        assert search.search(actor, "zzzz-nothing") == []
    assert len(nothing) == 1


def test_a_page_past_the_last_still_counts_the_kind(indexed, network, secretariat):
    for n in range(7):
        indexed(make_meeting, network, title=f"Remittances meeting {n}")
    actor = build_actor(secretariat)
    (page,) = search.search(actor, "remittances", kind="meeting", per_kind=5, offset=5)
    assert page.count == 7 and len(page.hits) == 2
    (past,) = search.search(actor, "remittances", kind="meeting", per_kind=5, offset=10)
    assert past.count == 7 and past.hits == []


# --- the benchmark ------------------------------------------------------------------------------


def test_bench_search_times_each_reader(indexed, network, secretariat, focal_a, admin_user):
    from io import StringIO

    from django.core.management import call_command

    indexed(make_meeting, network, title="Remittances meeting")
    out = StringIO()
    call_command("bench_search", "--runs", "1", "--query", "remittances", stdout=out)
    lines = out.getvalue().splitlines()
    readers = [line.split()[1] for line in lines if line.startswith("remittances")]
    assert readers == ["public", "member", "secretariat", "admin"]
    assert lines[-1].startswith("All queries: median ")


def test_bench_search_says_when_there_is_nothing_to_search(db):
    from django.core.management import CommandError, call_command

    SearchEntry.objects.all().delete()
    with pytest.raises(CommandError, match="search index is empty"):
        call_command("bench_search", "--runs", "1")
