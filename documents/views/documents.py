"""The register of a network's records and a document's page, and the
download of a file version.

The register is the same page for everyone: the public sees the public,
published documents that are not under embargo; members see what their
access allows, with the network's approved minutes and circulated agendas
merged in by date (linked to their meeting). Every view fetches and
authorises in its first lines: a document the user may not see is a 404,
its files too."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from core.files import stored_file_response
from core.views_helpers import get_visible_or_404, paginate, querystring_without_page
from members.models import Network
from members.roles import actor_for

from .. import selectors
from ..filters import DocumentFilter
from ..models import DOCUMENT_TRANSITIONS, DocumentStatus
from ..permissions import can, visible_documents
from ..selectors import AGENDA, MINUTES

PER_PAGE = 50
# The moves that need more than a click: the newer document, or a reason.
MOVES_WITH_FORM = (DocumentStatus.SUPERSEDED, DocumentStatus.WITHDRAWN)


def _count_label(n: int) -> str:
    return ngettext("%(n)s record", "%(n)s records", n) % {"n": n}


def document_index(request: HttpRequest) -> HttpResponse:
    """The register of the network in the header."""
    network = request.network or Network.objects.in_display_order().first()
    if network is None:
        raise Http404
    return redirect("documents:list", slug=network.slug)


def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    actor = actor_for(request)
    visible = visible_documents(actor).filter(network=network)
    filterset = DocumentFilter(request.GET or None, queryset=visible, network=network)
    documents = filterset.qs if filterset.wants_documents else None
    meeting_parts = []
    if filterset.wants_meeting_records:
        kind = filterset.value("kind")
        meeting_parts = selectors.meeting_records(
            actor,
            network,
            kind=kind if kind in (AGENDA, MINUTES) else "",
            year=filterset.value("year"),
            q=(filterset.value("q") or "").strip(),
        )
    page = paginate(request, selectors.register_ids(documents, meeting_parts), PER_PAGE)
    rows = selectors.register_rows(list(page.object_list))
    return render(
        request,
        "documents/document_list.html",
        {
            "network": network,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "count_label": _count_label(page.paginator.count),
            "querystring": querystring_without_page(request),
            "can_create": can(actor, "document.create", network_id=network.pk),
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    document = get_visible_or_404(selectors.document_for(actor, pk))
    languages, versions = selectors.language_versions(document)
    moves = []
    if can(actor, "document.status", document):
        moves = [
            status for status in DocumentStatus if status in DOCUMENT_TRANSITIONS[document.status]
        ]
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "zone": document.network.time_zone,
            "languages": languages,
            "versions": versions,
            "links": selectors.visible_links(actor, document),
            "related": selectors.related_documents(actor, document),
            "engagements": selectors.document_engagements(actor, document),
            "moves": moves,
            "moves_with_form": MOVES_WITH_FORM,
            "may_edit": can(actor, "document.edit", document),
            "may_upload": can(actor, "document.upload", document),
            "may_manage": can(actor, "document.status", document),
        },
    )


def file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """One file version, to those who may read the document: streamed from
    the storage (core.files.stored_file_response opens it through the
    storage API) as an attachment under the sender's name."""
    actor = actor_for(request)
    document = get_visible_or_404(visible_documents(actor), pk=pk)
    version = document.files.filter(pk=file_pk).first()
    if version is None:
        raise Http404
    return stored_file_response(version.file, name=version.file_name)
