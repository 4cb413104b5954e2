"""One search over every app's records.

Each app registers what it makes searchable (`registry.search_source`): a
kind ("decision"), its model, how a record reads as text (`SearchText`:
title, body, network, year, language, address), and the queryset of the
records a user may open (`visible(actor)`, the app's own permission rule).
This module keeps one `SearchEntry` per record, current as records change
(after each commit, from the models' save and delete signals; `rebuild()`
refills the table, for data written in bulk), and answers a query.

The permission filter is part of the query: the entries of a kind are
filtered by `object_id IN (the app's visible queryset)`, so a record the user
may not see is never counted, listed or highlighted. Every kind is asked in
one query (ranked and counted per kind by window functions), so the cost of
a search does not grow with the number of kinds registered.

On PostgreSQL the entries carry a search vector: the title weighted A and
the body B, in the record's language (English, French or Spanish), with a
GIN index; a query is parsed as a web search (`"exact words"`, `-not`, `or`)
in each language, ranked, and highlighted by `ts_headline`. On SQLite every
word must appear in the title or the body, and titles rank first.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString, mark_safe

from .models import SEARCH_BODY_MAX_CHARS, SearchEntry

log = logging.getLogger(__name__)

CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
QUERY_MAX_CHARS = 200
SNIPPET_CHARS = 220
# What ts_headline puts around a match: never in user text, escaped after.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchText:
    title: str
    body: str
    url: str
    network_id: int | None = None
    year: int | None = None
    language: str = "en"


@dataclass(frozen=True)
class SearchSource:
    """What an app makes searchable. `text(obj)` is None for a record that
    is not to be found (a draft nobody searches for, say). `watch` names other
    models whose changes change this kind's text: (model, owners(obj) -> the
    ids of the records of this kind to read again). `members_only`: the kind
    is offered only to signed-in members (people)."""

    app: str
    kind: str
    label: Any
    model: type
    text: Callable[[Any], SearchText | None]
    visible: Callable[[Any], QuerySet]
    order: int = 100
    queryset: Callable[[], QuerySet] | None = None
    watch: tuple[tuple[type, Callable[[Any], Iterable[int]]], ...] = ()
    members_only: bool = False

    def rows(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model._default_manager.all()


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    year: int | None
    network_id: int | None


@dataclass
class KindResults:
    source: SearchSource
    count: int
    hits: list[Hit] = field(default_factory=list)


# --- keeping the entries -------------------------------------------------------------------


def _sources() -> list[SearchSource]:
    from .registry import registry

    return registry.search_sources()


def source_of(kind: str) -> SearchSource | None:
    return next((s for s in _sources() if s.kind == kind), None)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _set_vectors(entries: QuerySet) -> None:
    from django.contrib.postgres.search import SearchVector

    for language, config in CONFIGS.items():
        entries.filter(language=language).update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config)
        )


def index_record(source: SearchSource, pk: int) -> None:
    """Read one record again and write (or remove) its entry."""
    obj = source.rows().filter(pk=pk).first()
    text = source.text(obj) if obj is not None else None
    if text is None:
        SearchEntry.objects.filter(kind=source.kind, object_id=pk).delete()
        return
    language = text.language if text.language in CONFIGS else "en"
    SearchEntry.objects.update_or_create(
        kind=source.kind,
        object_id=pk,
        defaults={
            "network_id": text.network_id,
            "year": text.year,
            "language": language,
            "title": (text.title or "")[:300],
            "body": (text.body or "")[:SEARCH_BODY_MAX_CHARS],
            "url": text.url[:300],
        },
    )
    if is_postgres():
        _set_vectors(SearchEntry.objects.filter(kind=source.kind, object_id=pk))


_paused = threading.local()


@contextmanager
def paused():
    """Writes inside do not index record by record (a bulk load); call
    `rebuild()` afterwards."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def _after_commit(source: SearchSource, pk: int) -> None:
    if getattr(_paused, "on", False):
        return

    def run() -> None:
        try:
            index_record(source, pk)
        except Exception:  # noqa: BLE001 - the write happened; rebuild() catches up
            log.exception("search: could not index %s %s", source.kind, pk)

    transaction.on_commit(run)


def connect(source: SearchSource) -> None:
    """Keep this source's entries current (called when it is registered)."""

    def saved(sender, instance, **kwargs):
        _after_commit(source, instance.pk)

    def deleted(sender, instance, **kwargs):
        if getattr(_paused, "on", False):
            return
        pk = instance.pk
        transaction.on_commit(
            lambda: SearchEntry.objects.filter(kind=source.kind, object_id=pk).delete()
        )

    post_save.connect(saved, sender=source.model, weak=False, dispatch_uid=f"search.{source.kind}")
    post_delete.connect(
        deleted, sender=source.model, weak=False, dispatch_uid=f"search.{source.kind}.delete"
    )
    for model, owners in source.watch:

        def changed(sender, instance, _owners=owners, **kwargs):
            for pk in set(_owners(instance)):
                if pk is not None:
                    _after_commit(source, pk)

        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"search.{source.kind}.{model.__name__}"
        )
        post_delete.connect(
            changed,
            sender=model,
            weak=False,
            dispatch_uid=f"search.{source.kind}.{model.__name__}.delete",
        )


def rebuild(kinds: Iterable[str] | None = None, *, batch: int = 500) -> dict[str, int]:
    """Write every entry again from the records (after a bulk load, or to
    repair); returns the number of entries per kind."""
    counts = {}
    wanted = set(kinds) if kinds else None
    for source in _sources():
        if wanted is not None and source.kind not in wanted:
            continue
        SearchEntry.objects.filter(kind=source.kind).delete()
        rows, total = [], 0
        for obj in source.rows().iterator(chunk_size=batch):
            text = source.text(obj)
            if text is None:
                continue
            rows.append(
                SearchEntry(
                    kind=source.kind,
                    object_id=obj.pk,
                    network_id=text.network_id,
                    year=text.year,
                    language=text.language if text.language in CONFIGS else "en",
                    title=(text.title or "")[:300],
                    body=(text.body or "")[:SEARCH_BODY_MAX_CHARS],
                    url=text.url[:300],
                )
            )
            if len(rows) >= batch:
                SearchEntry.objects.bulk_create(rows)
                total += len(rows)
                rows = []
        SearchEntry.objects.bulk_create(rows)
        total += len(rows)
        if is_postgres():
            _set_vectors(SearchEntry.objects.filter(kind=source.kind))
        counts[source.kind] = total
    if is_postgres():
        # The planner's figures for the table it was just refilled: without
        # them it scans by kind instead of the GIN index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
    return counts


# --- asking -----------------------------------------------------------------------------------


def clean_query(q: str) -> str:
    return " ".join((q or "").split())[:QUERY_MAX_CHARS]


def words_of(q: str) -> list[str]:
    return [w for w in re.findall(r"\w+", q.lower()) if len(w) > 1 or w.isdigit()][:12]


def available_sources(actor) -> list[SearchSource]:
    member = getattr(actor, "is_member_user", False) or getattr(actor, "manages_any", False)
    return [
        s for s in _sources() if not s.members_only or member or getattr(actor, "is_admin", False)
    ]


def _visible(source: SearchSource, actor) -> Q | None:
    """This kind's entries the actor may see, as one term of the query (None:
    none of them)."""
    visible = source.visible(actor)
    if visible.query.is_empty():
        return None
    if not visible.query.where:  # every record of the kind
        return Q(kind=source.kind)
    return Q(kind=source.kind, object_id__in=visible.order_by().values("pk"))


def _queries(q: str) -> dict[str, Any]:
    from django.contrib.postgres.search import SearchQuery

    return {
        lang: SearchQuery(q, config=config, search_type="websearch")
        for lang, config in CONFIGS.items()
    }


def _postgres_match(entries: QuerySet, q: str) -> QuerySet:
    from django.contrib.postgres.search import SearchRank

    queries = _queries(q)
    match = Q()
    for lang, query in queries.items():
        match |= Q(language=lang, search_vector=query)
    rank = Case(
        *[
            When(language=lang, then=SearchRank(F("search_vector"), query))
            for lang, query in queries.items()
        ],
        default=Value(0.0),
        output_field=FloatField(),
    )
    return entries.filter(match).annotate(rank=rank)


def _headlines(pks: list[int], q: str) -> dict[int, tuple[str, str]]:
    """ts_headline of the body and the title of the entries shown only: it
    reads the whole text, so never for every match."""
    from django.contrib.postgres.search import SearchHeadline

    if not pks:
        return {}
    queries = _queries(q)

    def headline(column: str, default, **options) -> Case:
        return Case(
            *[
                When(
                    language=lang,
                    then=SearchHeadline(
                        column,
                        query,
                        config=CONFIGS[lang],
                        start_sel=_START,
                        stop_sel=_STOP,
                        **options,
                    ),
                )
                for lang, query in queries.items()
            ],
            default=default,
            output_field=TextField(),
        )

    rows = (
        SearchEntry.objects.filter(pk__in=pks)
        .annotate(
            headline=headline(
                "body",
                Value(""),
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
            title_headline=headline("title", F("title"), highlight_all=True),
        )
        .values_list("pk", "headline", "title_headline")
    )
    return {pk: (body or "", title or "") for pk, body, title in rows}


def _simple_match(entries: QuerySet, words: list[str]) -> QuerySet:
    for word in words:
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    in_title = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
    return entries.annotate(rank=Case(When(in_title, then=Value(1.0)), default=Value(0.5)))


def _marked(text: str) -> SafeString:
    """Text from ts_headline, escaped, its matches in <mark>."""
    escaped = html.escape(text)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _snippet_simple(body: str, words: list[str]) -> SafeString:
    lowered = body.lower()
    first = min((i for i in (lowered.find(w) for w in words) if i >= 0), default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    piece = body[start : start + SNIPPET_CHARS]
    escaped = html.escape(
        ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(body) else "")
    )
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.sub(
            rf"(?i)(?<![\w<])({re.escape(html.escape(word))})", r"<mark>\1</mark>", escaped
        )
    return mark_safe(escaped)


def _title_simple(title: str, words: list[str]) -> SafeString:
    return _snippet_simple(title, words) if title else mark_safe("")


def search(
    actor,
    q: str,
    *,
    kind: str | None = None,
    network_id: int | None = None,
    year: int | None = None,
    per_kind: int = 5,
    offset: int = 0,
) -> list[KindResults]:
    """The results of each kind the actor may search (or of one `kind`),
    `per_kind` each from `offset`, with the number of matches of the kind.

    One query finds, ranks and counts the matches of every kind at once
    (each kind's permission filter is a term of its WHERE, the counts and
    places are window functions over the kind), keeping each kind's first
    row for its count and the rows of the page; on PostgreSQL a second query
    highlights the rows shown. Two queries, whatever the kinds and the data."""
    q = clean_query(q)
    words = words_of(q)
    if not words:
        return []
    sources = {s.kind: s for s in available_sources(actor) if not kind or s.kind == kind}
    allowed = Q()
    for source in sources.values():
        term = _visible(source, actor)
        if term is not None:
            allowed |= term
    if not allowed:
        return []
    entries = SearchEntry.objects.filter(allowed)
    if network_id:
        entries = entries.filter(network_id=network_id)
    if year:
        entries = entries.filter(year=year)
    postgres = is_postgres()
    matched = _postgres_match(entries, q) if postgres else _simple_match(entries, words)
    order = [F("rank").desc(), F("year").desc(), F("updated_at").desc(), F("pk").desc()]
    columns = ["pk", "kind", "object_id", "title", "url", "year", "network_id", "count", "place"]
    if not postgres:
        columns.append("body")
    rows = list(
        matched.annotate(
            count=Window(Count("pk"), partition_by=[F("kind")]),
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=order),
        )
        .filter(Q(place=1) | Q(place__gt=offset, place__lte=offset + per_kind))
        .values(*columns)
        .order_by("kind", "place")
    )
    shown = [r for r in rows if r["place"] > offset]
    marked = _headlines([r["pk"] for r in shown], q) if postgres else {}
    by_kind: dict[str, KindResults] = {}
    for row in rows:
        results = by_kind.setdefault(row["kind"], KindResults(sources[row["kind"]], row["count"]))
        if row["place"] <= offset:
            continue
        if postgres:
            body, title = marked.get(row["pk"], ("", row["title"]))
            snippet, title = _marked(body), _marked(title or row["title"])
        else:
            snippet = _snippet_simple(row["body"], words)
            title = _title_simple(row["title"], words)
        results.hits.append(
            Hit(
                row["kind"],
                row["object_id"],
                title,
                row["url"],
                snippet,
                row["year"],
                row["network_id"],
            )
        )
    return sorted(by_kind.values(), key=lambda r: (r.source.order, r.source.kind))
