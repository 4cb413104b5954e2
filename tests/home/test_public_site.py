"""The public site, as an anonymous visitor meets it on the demo data: every
page reachable from the home page, the networks' pages, the sitemap and the
feeds opens without an account, and none of them holds anything private:
no contact's e-mail or phone, no draft or member-only document, no position,
no decision that is not public and adopted, no engagement kept to members.
A link to a page that needs an account sends the visitor to sign in; no link
is broken."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from documents.models import Document, Engagement
from documents.permissions import public_filter
from members.models import Network, Person
from tests.home.test_demo_links import _internal, _parse

LIMIT = 600  # pages: far more than the demo's public site has
NOT_CRAWLED = ("/accounts/", "/static/", "/admin/", "/search/", "/apply/", "/application/")


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _private_markers() -> dict[str, str]:
    """Texts that must never reach an anonymous visitor, with what they are."""
    markers: dict[str, str] = {}
    for email, phone in Person.objects.values_list("email", "phone"):
        if email:
            markers[email] = "a contact's e-mail"
        if phone and len(phone) >= 6:
            markers[phone] = "a contact's phone"
    for email, first, last in User.objects.values_list("email", "first_name", "last_name"):
        markers[email] = "an account's e-mail"
        if first and last:
            # Who uploaded or wrote what is the members' business.
            markers[f"{first} {last}"] = "an account holder's name"
    for title in Document.objects.exclude(public_filter()).values_list("title", flat=True):
        markers[title] = "a document that is not public"
    for event, outcome in Engagement.objects.filter(public=False).values_list("event", "outcome"):
        if len(outcome) > 30:
            markers[outcome] = f"the outcome of an engagement kept to members ({event})"
        elif len(event) > 30:
            markers[event] = "an engagement kept to members"
    markers.update(_decision_markers())
    return markers


def _decision_markers() -> dict[str, str]:
    from decisions.models import Decision, DecisionStatus, Position

    markers = {}
    public = Decision.objects.filter(public=True, status=DecisionStatus.ADOPTED)
    for title in Decision.objects.exclude(pk__in=public).values_list("title", flat=True):
        if len(title) > 25:
            markers[title] = "a decision that is not public"
    for reason in Position.objects.exclude(statement="").values_list("statement", flat=True):
        if len(reason) > 25:
            markers[reason] = "a position's reason"
    return markers


def _text(html: str) -> str:
    """The page as text, entities resolved, spaces collapsed."""
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_an_anonymous_visitor_sees_only_what_is_public(demo):
    markers = _private_markers()
    assert any("not public" in what for what in markers.values()), "the demo has private records"
    client = Client()
    start = ["/", "/networks/", "/members/", "/sitemap.xml"]
    start += [n.get_absolute_url() for n in Network.objects.all()]
    queue, seen, problems, pages = list(dict.fromkeys(start)), set(), [], 0
    while queue and pages < LIMIT:
        url = queue.pop(0)
        if url in seen or url.startswith(NOT_CRAWLED):
            continue
        seen.add(url)
        response = client.get(url)
        pages += 1
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"]).path
            if not target.startswith("/accounts/login/"):
                queue.append(target)
            continue
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        kind = response.get("Content-Type", "")
        if "html" not in kind and "xml" not in kind:
            continue  # a public file: followed, not read
        body = response.content.decode()
        text = _text(body) if "html" in kind else body
        for marker, what in markers.items():
            if marker in text or marker in body:
                problems.append(f"{url}: {what}: {marker[:60]!r}")
        if "html" in kind:
            queue += _internal(url, _parse(body).main)
        else:
            queue += [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
            queue += [urlsplit(h).path for h in re.findall(r'href="([^"]+)"', body)]
    assert not problems, "\n".join(problems)
    assert pages > 20, f"the crawl reached only {pages} pages"


def test_the_sitemap_lists_the_public_pages_and_no_private_one(demo):
    client = Client()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = {urlsplit(loc.text).path for loc in root.findall("s:url/s:loc", namespace)}
    for network in Network.objects.all():
        assert network.get_absolute_url() in paths
    public = Document.objects.filter(public_filter())
    assert public.exists()
    for document in public:
        assert document.get_absolute_url() in paths
    for document in Document.objects.exclude(public_filter()):
        assert document.get_absolute_url() not in paths


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /accounts/" in body
