"""The documents' public pages in /sitemap.xml: each network's register and
engagements list, and every document and engagement the public may read."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from members.models import Network

from .models import Document, Engagement
from .permissions import public_filter


class RegisterPages(Sitemap):
    changefreq = "weekly"

    def items(self):
        return list(Network.objects.order_by("pk").values_list("slug", flat=True))

    def location(self, slug: str) -> str:
        return reverse("documents:list", args=[slug])


class EngagementListPages(RegisterPages):
    def location(self, slug: str) -> str:
        return reverse("documents:engagements", args=[slug])


class PublicDocuments(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Document.objects.filter(public_filter()).order_by("pk")

    def lastmod(self, document: Document):
        return document.updated_at


class PublicEngagements(Sitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Engagement.objects.filter(public=True).order_by("pk")

    def lastmod(self, engagement: Engagement):
        return engagement.updated_at
