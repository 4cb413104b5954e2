"""The Atom feed of a network's newly published documents: what anyone may
read (public, published, not under embargo), the newest publication first.
A feed reader has no account, so the feed is the public's whatever the
request carries."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from members.models import Network

from .models import Document
from .permissions import public_filter

FEED_LENGTH = 30


class PublishedDocuments(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str) -> Network:
        return get_object_or_404(Network, slug=slug)

    def title(self, network: Network) -> str:
        return _("%(network)s: published documents") % {"network": network.short_name}

    def subtitle(self, network: Network) -> str:
        return _("Documents newly published by the %(network)s.") % {"network": network.name}

    def link(self, network: Network) -> str:
        return network.get_absolute_url()

    def feed_url(self, network: Network) -> str:
        return reverse("documents:feed", args=[network.slug])

    def items(self, network: Network):
        # One query: the kind and lead agency come with each row.
        return (
            Document.objects.filter(public_filter(), network=network)
            .select_related("kind", "lead_agency")
            .order_by("-publish_on", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, document: Document) -> str:
        return str(document)

    def item_description(self, document: Document) -> str:
        parts = [document.kind.name]
        if document.lead_agency:
            parts.append(document.lead_agency.acronym)
        parts.append(document.date.strftime("%d %B %Y").lstrip("0"))
        lead = " · ".join(parts)
        # The reader takes the summary as HTML: the text goes in escaped.
        return escape(f"{lead}. {document.summary}" if document.summary else lead)

    def item_link(self, document: Document) -> str:
        return document.get_absolute_url()

    def item_pubdate(self, document: Document):
        return document.publish_on

    def item_updateddate(self, document: Document):
        return document.updated_at

    def item_author_name(self, document: Document) -> str:
        return document.lead_agency.name if document.lead_agency else ""

    def item_categories(self, document: Document):
        return [document.kind.name]
