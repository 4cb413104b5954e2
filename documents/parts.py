"""What the documents app brings to the shared pages (core.registry): the
drafts shared with the user's agency on the dashboard, a menu entry for the
register (the public has one too), the benchmark pages and what the search
finds."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage
from meetings.permissions import can as meetings_can

from . import scale, selectors, sitemaps
from .demo import load_documents
from .models import Document, DocumentFile, Engagement
from .permissions import visible_documents, visible_engagements

PANEL_LIMIT = 20


@registry.dashboard_panel("documents", order=40, template="documents/panels/documents.html")
def drafts_panel(request, actor, network) -> dict | None:
    """Drafts on which the user's agency is a lead or contributing agency."""
    drafts = selectors.drafts_waiting(actor, network, limit=PANEL_LIMIT)
    return {"document_drafts": drafts} if drafts else None


registry.menu_entry(
    "documents",
    _("Documents"),
    "documents:index",
    order=47,
    # The register is open to everyone: the public sees the published documents.
    visible=lambda actor, user: True,
)


def bench_pages() -> list[BenchPage]:
    document = Document.objects.select_related("network").order_by("-date", "-pk").first()
    if document is None:
        return []
    slug = document.network.slug
    pages = [
        BenchPage("documents register", reverse("documents:list", args=[slug]), True),
        BenchPage("documents register (public)", reverse("documents:list", args=[slug]), False),
        BenchPage("engagements", reverse("documents:engagements", args=[slug]), True),
    ]
    busiest = Document.objects.annotate(n=Count("files")).order_by("-n", "pk").first()
    if busiest:
        pages.append(BenchPage("document page (most files)", busiest.get_absolute_url(), True))
    return pages


def bench_counts() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "document files": DocumentFile.objects.count(),
        "engagements": Engagement.objects.count(),
    }


registry.bench_pages("documents", bench_pages, counts=bench_counts)
registry.demo_loader("documents", load_documents)
registry.scale_builder(scale.BUILDER)


from . import search  # noqa: E402, F401 - registers what the search finds

# --- the network's public page ----------------------------------------------------------

NETWORK_PAGE_LIMIT = 8


@registry.page_section(
    "documents", place="members.network", order=30, template="documents/parts/network.html"
)
def network_documents(request, actor, network) -> dict:
    """The latest documents this user may read (for the public: published),
    and the latest engagements, with the ways to all of them and the feed.
    Always shown: the register and the feed are the network's public record
    even before its first document."""
    documents = list(
        visible_documents(actor)
        .filter(network=network)
        .select_related("kind", "lead_agency")
        .order_by("-date", "-pk")[:NETWORK_PAGE_LIMIT]
    )
    engagements = list(
        visible_engagements(actor)
        .filter(network=network)
        .select_related("represented_by")
        .order_by("-start", "-pk")[:NETWORK_PAGE_LIMIT]
    )
    return {"network": network, "documents": documents, "engagements": engagements}


registry.sitemap_section("documents", "documents-registers", sitemaps.RegisterPages)
registry.sitemap_section("documents", "engagement-lists", sitemaps.EngagementListPages)
registry.sitemap_section("documents", "documents", sitemaps.PublicDocuments)
registry.sitemap_section("documents", "engagements", sitemaps.PublicEngagements)


# --- the meeting page: papers from the register ---------------------------------------------


@registry.page_section(
    "documents", place="meetings.agenda", order=10, template="documents/parts/agenda_papers.html"
)
def agenda_papers(request, actor, meeting) -> dict | None:
    """The documents of the register picked as papers of the meeting's agenda
    items, those the user may read, by item (two queries); the way to pick
    one for those who manage the meeting."""
    may_manage = meetings_can(actor, "meeting.manage", meeting)
    links = (
        Document.agenda_papers.through.objects.filter(
            agendaitem__meeting=meeting,
            document__in=visible_documents(actor),
        )
        .select_related("agendaitem", "document__kind")
        .order_by("agendaitem__position", "agendaitem__created_at", "-document__date")
    )
    items: dict[int, dict] = {}
    for link in links:
        row = items.setdefault(link.agendaitem_id, {"item": link.agendaitem, "documents": []})
        row["documents"].append(link.document)
    if not items and not may_manage:
        return None
    return {
        "meeting": meeting,
        "items": list(items.values()),
        "may_manage": may_manage,
        "may_pick": may_manage and meeting.agenda_items.exists(),
    }
