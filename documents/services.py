"""Writes of the records: documents, their file versions and status, and
engagements. Each is atomic and keyword-only, raises DomainError (with the
field) for the form to show, and leaves the history a user would expect.

An upload is checked by its content (core.files) before anything is
written, stored under a server name through the storage API, and becomes a
new numbered version of its language with its SHA-256; nothing ever
rewrites it. The text of a PDF is read out by a worker after the commit
(`documents.tasks.extract_text`); should the broker be down, the periodic
`extract_pending_texts` job finds the file later.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files import CONTENT_TYPES, suffix_of, upload_problem
from core.history import set_history_user
from core.limits import check_model_lengths
from members.models import ChairTerm, Network

from .models import (
    Access,
    Document,
    DocumentFile,
    DocumentStatus,
    Engagement,
    Language,
)

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DOCUMENT_SUFFIXES = {
    s: t
    for s, t in CONTENT_TYPES.items()
    if s
    in {
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".rtf",
        ".txt",
    }
}
LINKS = ("meeting", "agenda_item", "decision", "activity", "task_team")


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _check_links(network: Network, values: dict) -> None:
    for name in ("meeting", "decision", "task_team"):
        record = values.get(name)
        if record is not None and record.network_id != network.pk:
            raise DomainError(
                _("Link only records of the %(network)s.") % {"network": network.short_name},
                field=name,
            )
    item, meeting = values.get("agenda_item"), values.get("meeting")
    if item is not None:
        if meeting is None:
            values["meeting"] = meeting = item.meeting
        if item.meeting_id != meeting.pk:
            raise DomainError(
                _("The agenda item must be one of the meeting's."), field="agenda_item"
            )
        if meeting.network_id != network.pk:
            raise DomainError(_("Link only records of this network."), field="agenda_item")
    activity = values.get("activity")
    if activity is not None and activity.objective.workplan.network_id != network.pk:
        raise DomainError(_("Link only records of this network."), field="activity")


def _check_document(network: Network, values: dict, *, exclude: int | None = None) -> None:
    if not (values.get("title") or "").strip():
        raise DomainError(_("Give the document a title."), field="title")
    if values.get("date") is None:
        raise DomainError(_("Give the document's date."), field="date")
    check_model_lengths(
        Document,
        title=values.get("title"),
        symbol=values.get("symbol"),
        summary=values.get("summary"),
        external_url=values.get("external_url"),
    )
    symbol = (values.get("symbol") or "").strip()
    if symbol:
        taken = Document.objects.filter(network=network, symbol__iexact=symbol)
        if exclude:
            taken = taken.exclude(pk=exclude)
        if taken.exists():
            raise DomainError(
                _("Another document of this network has the symbol %(symbol)s.")
                % {"symbol": symbol},
                field="symbol",
            )
    if values.get("access") == Access.AGENCIES and not values.get("access_agencies"):
        raise DomainError(
            _("Name the agencies that may read it, or choose another access."),
            field="access_agencies",
        )
    _check_links(network, values)


SCALAR_FIELDS = (
    "symbol",
    "title",
    "kind",
    "date",
    "lead_agency",
    "summary",
    "external_url",
    "original_language",
    "access",
    "publish_on",
    *LINKS,
)


def document_create(
    *, network: Network, by, contributors=(), topics=(), access_agencies=(), **values
) -> Document:
    """A new document, a draft shared with its drafting agencies."""
    values = {k: v for k, v in values.items() if k in SCALAR_FIELDS}
    values.setdefault("access", Access.MEMBERS)
    _check_document(network, {**values, "access_agencies": list(access_agencies)})
    values["symbol"] = (values.get("symbol") or "").strip()
    values["title"] = values["title"].strip()
    with transaction.atomic():
        document = Document(network=network, created_by=_by(by), **values)
        set_history_user(document, by)
        document.save()
        document.contributors.set(contributors)
        document.topics.set(topics)
        document.access_agencies.set(access_agencies)
    log.info("documents.created document=%s network=%s", document.pk, network.pk)
    return document


def document_edit(
    *,
    document: Document,
    by,
    expected_version: int | None = None,
    contributors=None,
    topics=None,
    access_agencies=None,
    **values,
) -> Document:
    """Change what the document says about itself; an edit made on an older
    version of the record is refused, with nothing changed."""
    values = {k: v for k, v in values.items() if k in SCALAR_FIELDS}
    agencies = list(access_agencies) if access_agencies is not None else None
    with transaction.atomic():
        row = Document.objects.select_for_update().get(pk=document.pk)
        if expected_version is not None and expected_version != row.version:
            raise DomainError(
                _(
                    "Someone changed this document while you were editing it. Your changes "
                    "are kept in the form: read the current record and save again."
                )
            )
        if row.status in (DocumentStatus.SUPERSEDED, DocumentStatus.WITHDRAWN):
            raise DomainError(_("A superseded or withdrawn document is no longer changed."))
        merged = {name: getattr(row, name) for name in SCALAR_FIELDS}
        merged.update(values)
        check_agencies = (
            agencies
            if agencies is not None
            else list(row.access_agencies.values_list("pk", flat=True))
        )
        _check_document(row.network, {**merged, "access_agencies": check_agencies}, exclude=row.pk)
        for name, value in values.items():
            setattr(row, name, value.strip() if name in ("title", "symbol") else value)
        row.version += 1
        set_history_user(row, by)
        row.save()
        if contributors is not None:
            row.contributors.set(contributors)
        if topics is not None:
            row.topics.set(topics)
        if agencies is not None:
            row.access_agencies.set(agencies)
    return row


# --- files ---------------------------------------------------------------------------------


def _checksum(upload: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def file_upload(*, document: Document, upload, language: str, by, note: str = "") -> DocumentFile:
    """A new version of one language of the document."""
    if language not in Language.values:
        raise DomainError(_("Choose the language of the file."), field="language")
    if document.status in (DocumentStatus.SUPERSEDED, DocumentStatus.WITHDRAWN):
        raise DomainError(_("A superseded or withdrawn document takes no new file."))
    problem = upload_problem(upload, accepted=DOCUMENT_SUFFIXES)
    if problem:
        raise DomainError(problem, field="file")
    checksum, size = _checksum(upload)
    if size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is larger than %(n)s MB.") % {"n": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field="file",
        )
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    check_model_lengths(DocumentFile, note=note)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        last = DocumentFile.objects.filter(document=document, language=language).aggregate(
            n=Max("number")
        )["n"]
        if (
            last
            and DocumentFile.objects.filter(
                document=document, language=language, number=last, checksum=checksum
            ).exists()
        ):
            raise DomainError(
                _("This file is the same as the current version: nothing was added."),
                field="file",
            )
        version = DocumentFile(
            document=document,
            language=language,
            number=(last or 0) + 1,
            file=upload,
            size=size,
            checksum=checksum,
            content_type=DOCUMENT_SUFFIXES[suffix_of(upload.name)],
            note=note.strip(),
            uploaded_by=_by(by),
        )
        version.save()
        Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
        if version.content_type == "application/pdf":
            transaction.on_commit(lambda: _queue_extraction(version.pk))
    log.info(
        "documents.uploaded document=%s file=%s language=%s number=%s size=%s",
        document.pk,
        version.pk,
        language,
        version.number,
        size,
    )
    return version


def _queue_extraction(file_id: int) -> None:
    from core.publish import publish_once

    from .tasks import extract_text

    publish_once(extract_text, args=[file_id], what=f"text of document file {file_id} later")


def extract_file_text(file_id: int) -> bool:
    """Read the text of a PDF version for search (pypdf); safe to run twice:
    a file already read is left alone. False when there was nothing to do."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    row = DocumentFile.objects.filter(pk=file_id, text_extracted_at__isnull=True).first()
    if row is None or row.content_type != "application/pdf":
        return False
    try:
        with row.file.open("rb") as handle:
            reader = PdfReader(handle)
            parts = []
            total = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                parts.append(text)
                total += len(text)
                if total > DocumentFile._meta.get_field("text").max_length:
                    break
    except (PdfReadError, OSError, ValueError) as error:
        log.warning("documents.extract_failed file=%s error=%s", file_id, error)
        parts = []
    text = " ".join(" ".join(parts).split())[: DocumentFile._meta.get_field("text").max_length]
    row.text, row.text_extracted_at = text, timezone.now()
    row.save(update_fields=["text", "text_extracted_at"])
    log.info("documents.text_extracted file=%s chars=%s", file_id, len(text))
    return True


# --- status --------------------------------------------------------------------------------


def document_move(
    *, document: Document, status: str, by, superseded_by: Document | None = None, reason: str = ""
) -> Document:
    """draft → final → published → superseded (by a newer document of the
    network) | withdrawn (with a reason). Publishing needs content."""
    with transaction.atomic():
        row = Document.objects.select_for_update().get(pk=document.pk)
        if not row.can_move_to(status):
            raise DomainError(
                _("A document that is %(now)s cannot become %(then)s.")
                % {
                    "now": row.get_status_display().lower(),
                    "then": DocumentStatus(status).label.lower(),
                }
            )
        if status == DocumentStatus.PUBLISHED and not (row.external_url or row.files.exists()):
            raise DomainError(_("Upload a file or give a link before publishing."))
        if status == DocumentStatus.SUPERSEDED:
            if superseded_by is None or superseded_by.pk == row.pk:
                raise DomainError(_("Choose the document that replaces it."), field="superseded_by")
            if superseded_by.network_id != row.network_id:
                raise DomainError(
                    _("The newer document must be one of this network's."), field="superseded_by"
                )
            row.superseded_by = superseded_by
        if status == DocumentStatus.WITHDRAWN:
            if not reason.strip():
                raise DomainError(_("Say why the document is withdrawn."), field="reason")
            row.status_note = reason.strip()[:500]
        if status == DocumentStatus.PUBLISHED and row.publish_on is None:
            row.publish_on = timezone.now()
        row.status = status
        row.version += 1
        set_history_user(row, by)
        row._change_reason = f"status: {status}"
        row.save()
    document.status = row.status
    return row


# --- engagements ----------------------------------------------------------------------------

ENGAGEMENT_FIELDS = (
    "event",
    "organizer",
    "place",
    "start",
    "end",
    "kind",
    "represented_by",
    "representative",
    "outcome",
    "public",
)


def chair_term_on(network: Network, day: date) -> ChairTerm | None:
    return ChairTerm.objects.filter(network=network, start__lte=day, end__gte=day).first()


def _check_engagement(network: Network, values: dict, documents) -> None:
    if not (values.get("event") or "").strip():
        raise DomainError(_("Name the event."), field="event")
    if values.get("start") is None:
        raise DomainError(_("Give the date of the event."), field="start")
    if values.get("end") and values["end"] < values["start"]:
        raise DomainError(_("The event cannot end before it starts."), field="end")
    check_model_lengths(
        Engagement,
        event=values.get("event"),
        organizer=values.get("organizer"),
        place=values.get("place"),
        representative=values.get("representative"),
        outcome=values.get("outcome"),
    )
    for doc in documents:
        if doc.network_id != network.pk:
            raise DomainError(_("Link only documents of this network."), field="documents")


def engagement_save(
    *, network: Network, by, engagement: Engagement | None = None, documents=(), **values
) -> Engagement:
    values = {k: v for k, v in values.items() if k in ENGAGEMENT_FIELDS}
    documents = list(documents)
    _check_engagement(network, values, documents)
    with transaction.atomic():
        row = engagement or Engagement(network=network, created_by=_by(by))
        for name, value in values.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        row.chair_term = chair_term_on(network, row.start)
        set_history_user(row, by)
        row.save()
        row.documents.set(documents)
    return row


# --- papers of agenda items, picked from the register --------------------------------------


def paper_attach(*, item, document: Document, by) -> bool:
    """Make a document of the register a paper of an agenda item of the same
    network. False when it already was one (nothing changed)."""
    if document.network_id != item.meeting.network_id:
        raise DomainError(_("Pick a document of this network's register."), field="document")
    if document.status == DocumentStatus.WITHDRAWN:
        raise DomainError(_("A withdrawn document is no paper for a meeting."), field="document")
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        if document.agenda_papers.filter(pk=item.pk).exists():
            return False
        document.agenda_papers.add(item)
    log.info(
        "documents.paper_attached document=%s item=%s by=%s",
        document.pk,
        item.pk,
        getattr(by, "pk", None),
    )
    return True


def paper_detach(*, item, document: Document, by) -> bool:
    """Take the document off the item's papers (the document stays in the
    register). False when it was not one."""
    with transaction.atomic():
        removed = document.agenda_papers.filter(pk=item.pk).exists()
        document.agenda_papers.remove(item)
    if removed:
        log.info(
            "documents.paper_detached document=%s item=%s by=%s",
            document.pk,
            item.pk,
            getattr(by, "pk", None),
        )
    return removed
