"""Every form where a user types long text keeps it in the browser while
typed (data-keep-draft, read by static/js/app.js): minutes, agenda item
proposals, progress narratives, application texts, and any other. A walk
over a page of every template (the demo data, as tests/core/test_csp.py
walks it) finds each POST form with a textarea and checks it is marked, so
a new form with long text gets the mark or fails here."""

from __future__ import annotations

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.core.test_csp import _demo_pages, _states_the_demo_lacks

pytestmark = pytest.mark.django_db


class TextForms(HTMLParser):
    """(form action, textarea name, marked?) for each editable textarea of a
    POST form in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form: dict | None = None
        self.found: list[tuple[str, str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.form = attributes
        elif tag == "textarea" and self.form is not None:
            if (self.form.get("method") or "get").lower() != "post":
                return
            if "readonly" in attributes or "disabled" in attributes:
                return
            self.found.append(
                (
                    self.form.get("action") or "",
                    attributes.get("name") or "",
                    "data-keep-draft" in self.form,
                )
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def text_forms(html: str) -> list[tuple[str, str, bool]]:
    parser = TextForms()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_finder_tells_marked_from_unmarked_forms():
    """The parser reports a textarea of an unmarked POST form as unmarked, of
    a marked one as marked, and ignores GET forms and read-only fields."""
    html = (
        '<form method="post" data-keep-draft><textarea name="body"></textarea></form>'
        '<form method="POST" action="/x/"><textarea name="note"></textarea></form>'
        '<form method="get"><textarea name="q"></textarea></form>'
        '<form method="post"><textarea name="old" readonly></textarea></form>'
    )
    assert text_forms(html) == [("", "body", True), ("/x/", "note", False)]


def test_every_form_with_long_text_keeps_a_draft():
    """On a page of every template, every textarea of a POST form sits in a
    form marked data-keep-draft; the minutes, a proposal, a progress
    narrative and an application are among those seen."""
    call_command("seed_demo", stdout=StringIO())
    circulated = _states_the_demo_lacks()
    pages = _demo_pages()
    pages.append((None, "get", reverse("meetings:minutes_comment", args=[circulated.pk])))
    client = Client(raise_request_exception=False)
    seen: dict[str, list[str]] = {}
    unmarked: list[str] = []
    for who, method, url in pages:
        client.logout()
        if who:
            client.force_login(User.objects.get(email=who))
        elif "minutes/comment" in url:
            for email in ("principal@demo.example.org", "chair@demo.example.org"):
                client.force_login(User.objects.get(email=email))
                if client.get(url).status_code == 200:
                    break
        response = getattr(client, method)(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for action, name, marked in text_forms(response.content.decode()):
            seen.setdefault(url, []).append(name)
            if not marked:
                unmarked.append(f"{url} (form action {action!r}): {name}")
    assert not unmarked, "textareas of forms without data-keep-draft:\n" + "\n".join(unmarked)
    names = {name for fields in seen.values() for name in fields}
    assert {"body", "decisions", "purpose", "narrative", "mandate", "note"} <= names, names
    assert any("minutes/edit" in url for url in seen)
    assert any("propose" in url for url in seen)
