"""The members side's public pages in /sitemap.xml: the lists of networks
and members, each network's page, each agency's page, and the page to apply
where a network takes applications."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Network, Organization


class MemberPages(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["members:network_list", "members:directory"]

    def location(self, item: str) -> str:
        return reverse(item)


class NetworkPages(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Network.objects.order_by("pk")


class OrganizationPages(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Organization.objects.order_by("pk")
