"""What the search finds of the records: documents (their symbol, title,
summary and the text read out of their current PDF files) and engagements."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core import registry
from core.search import SearchSource, SearchText

from .models import Document, DocumentFile, Engagement
from .permissions import visible_documents, visible_engagements


def document_text(document: Document) -> SearchText:
    current: dict[str, DocumentFile] = {}
    for version in document.files.all():  # newest first within a language
        current.setdefault(version.language, version)
    texts = [v.text for v in current.values() if v.text]
    return SearchText(
        title=f"{document.symbol} {document.title}".strip(),
        body="\n".join([document.summary, *texts]),
        url=document.get_absolute_url(),
        network_id=document.network_id,
        year=document.date.year,
        language=document.original_language,
    )


def engagement_text(engagement: Engagement) -> SearchText:
    return SearchText(
        title=engagement.event,
        body=" ".join(
            p
            for p in (
                engagement.organizer,
                engagement.place,
                engagement.representative,
                engagement.outcome,
            )
            if p
        ),
        url=engagement.get_absolute_url(),
        network_id=engagement.network_id,
        year=engagement.start.year,
    )


registry.search_source(
    SearchSource(
        "documents",
        "document",
        _("Documents"),
        Document,
        document_text,
        visible_documents,
        order=10,
        queryset=lambda: Document.objects.prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.order_by("language", "-number"))
        ),
        # A new file (or its text read by the worker) changes what is found.
        watch=((DocumentFile, lambda version: [version.document_id]),),
    )
)
registry.search_source(
    SearchSource(
        "documents",
        "engagement",
        _("Engagements"),
        Engagement,
        engagement_text,
        visible_engagements,
        order=40,
    )
)
