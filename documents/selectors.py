"""Reads of the documents pages, each with its joins so that a page costs
the same number of queries whatever the data.

The register merges three kinds of rows in date order, in one query: the
network's documents the user may see, its approved minutes and its
circulated agendas (the meetings' own records, linked to the meeting page,
never copied). A page of the merged list is then read in at most three more
queries (its documents, their file languages, its meetings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import TruncDate

from decisions.permissions import visible_decisions
from meetings.models import Meeting, MeetingStatus, Minutes, MinutesStatus
from meetings.permissions import may_read_agenda_item, visible_meetings
from members.models import Network
from members.roles import Actor
from taskteams.permissions import visible_task_teams
from workplans.permissions import visible_activities

from .models import Document, DocumentFile, Engagement
from .permissions import visible_documents, visible_engagements

# The register's pseudo-kinds for the meetings' records.
MINUTES = "minutes"
AGENDA = "agenda"


@dataclass
class RegisterRow:
    """One line of the register: a document, or a meeting's approved minutes
    or circulated agenda."""

    kind: str
    day: date
    document: Document | None = None
    meeting: Meeting | None = None
    languages: list[str] = field(default_factory=list)

    @property
    def is_document(self) -> bool:
        return self.kind == "document"


def _document_ids(documents: QuerySet[Document]) -> QuerySet:
    return (
        documents.order_by()
        .annotate(
            row_kind=Value("document", output_field=CharField()),
            row_id=F("pk"),
            day=F("date"),
        )
        .values_list("row_kind", "row_id", "day")
    )


def meeting_records(
    actor: Actor, network: Network, *, kind: str = "", year: int | None = None, q: str = ""
) -> list[QuerySet]:
    """The approved minutes and circulated agendas of the network that the
    user may see, as (kind, meeting id, day) rows; `kind` narrows to one."""
    if not actor.is_authenticated:
        return []
    meetings = visible_meetings(actor).filter(network=network)
    if year is not None:
        meetings = meetings.filter(start__year=year)
    if q:
        meetings = meetings.filter(title__icontains=q)
    parts = []
    if kind in ("", MINUTES):
        minutes = Minutes.objects.filter(
            status=MinutesStatus.APPROVED, meeting__in=meetings.values("pk")
        )
        parts.append(
            minutes.order_by()
            .annotate(
                row_kind=Value(MINUTES, output_field=CharField()),
                row_id=F("meeting_id"),
                day=TruncDate("meeting__start"),
            )
            .values_list("row_kind", "row_id", "day")
        )
    if kind in ("", AGENDA):
        agendas = meetings.filter(agenda_circulated_at__isnull=False).exclude(
            status=MeetingStatus.CANCELLED
        )
        parts.append(
            agendas.order_by()
            .annotate(
                row_kind=Value(AGENDA, output_field=CharField()),
                row_id=F("pk"),
                day=TruncDate("start"),
            )
            .values_list("row_kind", "row_id", "day")
        )
    return parts


def register_ids(documents: QuerySet[Document] | None, meeting_parts: list[QuerySet]) -> QuerySet:
    """The merged register as (kind, id, day) rows, the newest first: one
    query for a page, one for the count."""
    parts = ([_document_ids(documents)] if documents is not None else []) + meeting_parts
    if not parts:
        return _document_ids(Document.objects.none())
    first, *rest = parts
    merged = first.union(*rest, all=True) if rest else first
    return merged.order_by("-day", "-row_id", "row_kind")


def register_rows(ids: list[tuple[str, int, date]]) -> list[RegisterRow]:
    """The records of one page of `register_ids`, in its order (up to three
    queries: the documents with their kind and lead agency, their files'
    languages, the meetings)."""
    doc_ids = [pk for kind, pk, _day in ids if kind == "document"]
    meeting_ids = {pk for kind, pk, _day in ids if kind != "document"}
    documents = {
        d.pk: d
        for d in Document.objects.filter(pk__in=doc_ids)
        .select_related("kind", "lead_agency", "superseded_by")
        .prefetch_related(
            Prefetch(
                "files",
                queryset=DocumentFile.objects.only("pk", "document_id", "language", "number"),
            )
        )
    }
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=meeting_ids)}
    rows = []
    for kind, pk, day in ids:
        if kind == "document" and pk in documents:
            doc = documents[pk]
            languages = {f.language for f in doc.files.all()} | {doc.original_language}
            rows.append(RegisterRow(kind, day, document=doc, languages=sorted(languages)))
        elif kind != "document" and pk in meetings:
            rows.append(RegisterRow(kind, day, meeting=meetings[pk]))
    return rows


# --- a document's page ---------------------------------------------------------------------

DETAIL_RELATED = (
    "network",
    "kind",
    "lead_agency",
    "meeting",
    "agenda_item__meeting",
    "decision",
    "activity",
    "task_team__network",
    "superseded_by",
    "created_by",
)


@dataclass
class LanguageVersions:
    language: str
    label: str
    original: bool
    current: DocumentFile | None
    versions: list[DocumentFile]


def document_for(actor: Actor, pk: int) -> QuerySet[Document]:
    return (
        visible_documents(actor)
        .filter(pk=pk)
        .select_related(*DETAIL_RELATED)
        .prefetch_related("contributors", "topics", "access_agencies")
    )


def language_versions(document: Document) -> tuple[list[LanguageVersions], list[DocumentFile]]:
    """Each language with its current file (the highest number) and its
    versions, the original first; and every version, the newest first (one
    query)."""
    from .models import Language

    files = list(
        document.files.select_related("uploaded_by")
        .order_by("language", "-number")
        # The extracted text can be long: a page does not need it.
        .defer("text")
    )
    by_language: dict[str, list[DocumentFile]] = {}
    for version in files:
        by_language.setdefault(version.language, []).append(version)
    languages = [
        LanguageVersions(
            language=code,
            label=str(label),
            original=code == document.original_language,
            current=by_language.get(code, [None])[0],
            versions=by_language.get(code, []),
        )
        for code, label in Language.choices
        if code in by_language or code == document.original_language
    ]
    languages.sort(key=lambda lv: not lv.original)
    every = sorted(files, key=lambda v: (v.uploaded_at, v.pk), reverse=True)
    return languages, every


def visible_links(actor: Actor, document: Document) -> dict:
    """The records the document belongs to that this user may open (one
    query per link the document has): a link to a record the user may not
    see is left out, not named."""
    links: dict = {}
    if document.meeting_id and (visible_meetings(actor).filter(pk=document.meeting_id).exists()):
        links["meeting"] = document.meeting
        item = document.agenda_item
        if item is not None and may_read_agenda_item(actor, item):
            links["agenda_item"] = item
    if document.decision_id and visible_decisions(actor).filter(pk=document.decision_id).exists():
        links["decision"] = document.decision
    if document.activity_id and visible_activities(actor).filter(pk=document.activity_id).exists():
        links["activity"] = document.activity
    if document.task_team_id and (
        visible_task_teams(actor).filter(pk=document.task_team_id).exists()
    ):
        links["task_team"] = document.task_team
    # The agenda items it was picked for as a paper, in meetings the user may see.
    papers_for = list(
        document.agenda_papers.filter(meeting__in=visible_meetings(actor))
        .select_related("meeting")
        .order_by("-meeting__start", "position")[:20]
    )
    if papers_for:
        links["papers_for"] = papers_for
    return links


def related_documents(actor: Actor, document: Document) -> dict:
    """The newer document that replaced it and the older ones it replaced,
    if the user may see them (two queries at most)."""
    visible = visible_documents(actor)
    newer = None
    if document.superseded_by_id:
        newer = visible.filter(pk=document.superseded_by_id).first()
    older = list(visible.filter(superseded_by=document).order_by("-date", "-pk")[:20])
    return {"newer": newer, "older": older}


def document_engagements(actor: Actor, document: Document) -> list[Engagement]:
    return list(visible_engagements(actor).filter(documents=document).order_by("-start", "-pk"))


def drafts_waiting(actor: Actor, network: Network | None = None, limit: int = 20):
    """Drafts shared with an agency the user speaks for (lead or
    contributor), the most recently changed first."""
    agencies = actor.organization_ids
    if not agencies:
        return []
    drafts = (
        visible_documents(actor)
        .filter(status="draft")
        .filter(
            Q(lead_agency_id__in=agencies)
            | Q(
                pk__in=Document.contributors.through.objects.filter(
                    organization_id__in=agencies
                ).values("document_id")
            )
        )
        .select_related("network", "lead_agency")
        .order_by("-updated_at", "-pk")
    )
    if network is not None:
        drafts = drafts.filter(network=network)
    return list(drafts[:limit])


def engagement_for(actor: Actor, pk: int) -> QuerySet[Engagement]:
    return (
        visible_engagements(actor)
        .filter(pk=pk)
        .select_related("network", "represented_by", "chair_term__organization", "created_by")
    )


def engagement_rows(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return engagements.select_related("represented_by").order_by("-start", "-pk")
