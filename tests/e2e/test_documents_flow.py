"""End to end, in a real browser: a statement from the register to the
network's public face and the search.

The secretariat of the Global Test Network creates a statement in the
network's register, uploads an English and a French PDF (the English one
marked original), records the engagement where it was delivered (through
its form, picking the statement from the register), marks the statement
final, then publishes it with public access. An anonymous visitor finds it
on the network's public page, in the register and in the Atom feed (fetched
and parsed as XML); a member of the network finds it through the header
search by a word that is only in its English PDF. A document for members
only stays invisible to the public: absent from the public page, the
register, the feed and the search, its page a 404.

The text of each PDF is read by a real Celery worker, as in a deployment:
the suite runs tasks eagerly (tests/conftest.py), so the live server would
otherwise read it inside the upload's request; the `filesystem_worker`
fixture (tests/core/test_celery.py) turns that off for this test and runs a
worker on the embedded filesystem broker, to which the live server's upload
publishes `documents.tasks.extract_text` after its commit. The test waits
for the worker's report of each file.

The second test takes the public pages of the demo (/networks/gmg/ after
seed_demo, a public document of it and the register) at 1280 and 360 px as
an anonymous visitor: nothing wider than the window, axe-core finds no
serious or critical violation.

Screenshots go to test-artifacts/screenshots/ (doc01-… and doc-demo-…)."""

from __future__ import annotations

import importlib
import os
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import transaction
from playwright.sync_api import expect

from documents import services
from documents.models import (
    Access,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    Engagement,
)
from documents.tasks import extract_text
from tests.core import test_celery as harness
from tests.documents.conftest import pdf_upload, small_pdf
from tests.e2e.conftest import horizontal_overflow, sign_in
from tests.e2e.test_accessibility import BLOCKING, _axe, only_local, report
from tests.e2e.test_application_flow import field, shot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

filesystem_worker = harness.filesystem_worker

TITLE = "Statement to the Friends of the Forum on circular migration"
SYMBOL = "GTN/ST/2007/3"
SUMMARY = "Delivered on behalf of the network at the meeting of the Friends of the Forum."
# Only in the English PDF: not in the title, the summary or the symbol.
PDF_WORD = "polycentric"
EN_TEXT = (
    f"The network welcomes a {PDF_WORD} approach to circular migration and to the "
    "portability of social security."
)
FR_TEXT = (
    "Le réseau salue une approche polycentrique de la migration circulaire et de la "
    "portabilité de la sécurité sociale."
)
EVENT = "Friends of the Forum, Geneva, 27 March 2007"
SECRET_TITLE = "Internal note on the chair's budget"
SECRET_WORD = "caravanserai"
EXTRACT = extract_text.name
ATOM = "{http://www.w3.org/2005/Atom}"


def _load_reference_rows() -> None:
    """The rows data migrations load (the document kinds, the GCM
    objectives): an earlier transactional test's flush took them."""
    importlib.import_module("documents.migrations.0002_standard_kinds").add_kinds(django_apps, None)
    importlib.import_module("workplans.migrations.0002_framework_objectives").load(
        django_apps, None
    )


def _pdf(name: str, text: str) -> dict:
    """A real PDF (WeasyPrint), as Playwright hands a file to an input."""
    return {"name": name, "mimeType": "application/pdf", "buffer": small_pdf(text)}


def _upload(page, pdf: dict, language: str, *, original: bool = False, note: str = "") -> None:
    page.get_by_role("link", name="Upload a file").click()
    field(page, "File").set_input_files(pdf)
    field(page, "Language").select_option(label=language)
    if original:
        page.get_by_label("This is the original language").check()
    if note:
        field(page, "What changed").fill(note)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{language} file is saved")


def _feed_entries(page, url: str) -> dict[str, str]:
    """The Atom feed as a reader fetches it: {entry title: its link}."""
    response = page.request.get(url)
    assert response.status == 200
    assert "atom" in response.headers["content-type"]
    root = ET.fromstring(response.body())
    assert root.tag == f"{ATOM}feed"
    return {
        entry.findtext(f"{ATOM}title"): entry.find(f"{ATOM}link").get("href")
        for entry in root.findall(f"{ATOM}entry")
    }


def _header_search(page, q: str) -> None:
    box = page.locator("#header-search")
    box.fill(q)
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("Search")


def _no_blocking_violation(page, where: str) -> list[dict]:
    return [
        {**v, "page": where}
        for v in _axe.run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def members_only(network, secretariat, filesystem_worker):
    """A final document for the members of the network, with a PDF whose
    text the worker reads: never shown to the public."""
    document = services.document_create(
        network=network,
        by=secretariat,
        title=SECRET_TITLE,
        kind=DocumentKind.objects.get(slug="briefing-note"),
        date=date(2007, 11, 19),
        access=Access.MEMBERS,
    )
    with transaction.atomic():
        services.file_upload(
            document=document,
            upload=pdf_upload(f"The {SECRET_WORD} of the budget.", name="note.pdf"),
            language="en",
            by=secretariat,
        )
    assert filesystem_worker.wait_for(EXTRACT) == ("SUCCESS", True)
    services.document_move(document=document, status=DocumentStatus.FINAL, by=secretariat)
    return document


@pytest.fixture
def _reference_rows(transactional_db):
    _load_reference_rows()


def test_a_statement_from_the_register_to_the_public_site_the_feed_and_the_search(
    _reference_rows,
    live_server,
    new_context,
    screenshot_dir,
    network,
    agency_a,
    secretariat,
    focal_a,
    filesystem_worker,
    members_only,
):
    base = live_server.url
    register = f"{base}/networks/{network.slug}/documents/"
    feed = f"{base}/networks/{network.slug}/documents/feed/"

    # --- the secretariat creates the statement in the register -----------------------
    staff = new_context().new_page()
    sign_in(staff, live_server, secretariat.email, PASSWORD)
    staff.goto(register)
    staff.get_by_role("link", name="New document").click()
    field(staff, "Title").fill(TITLE)
    field(staff, "Symbol or reference").fill(SYMBOL)
    field(staff, "Kind").select_option(label="Statement")
    field(staff, "Date").fill("2007-03-27")
    field(staff, "Lead agency").select_option(label=f"{agency_a.acronym} — {agency_a.name}")
    field(staff, "Summary").fill(SUMMARY)
    field(staff, "Who may read it").select_option(label="Public")
    shot(staff, screenshot_dir, "doc01-new-document.png")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("h1")).to_have_text(TITLE)
    expect(staff.locator("[data-status]")).to_have_text("Draft")
    document = Document.objects.get(title=TITLE)
    assert (document.network, document.access) == (network, Access.PUBLIC)

    # --- two language versions; the worker reads each PDF ----------------------------
    _upload(staff, _pdf("statement-en.pdf", EN_TEXT), "English", original=True)
    assert filesystem_worker.wait_for(EXTRACT) == ("SUCCESS", True)
    _upload(staff, _pdf("declaration-fr.pdf", FR_TEXT), "French", note="Traduction")
    assert filesystem_worker.wait_for(EXTRACT) == ("SUCCESS", True)
    expect(staff.locator('[data-language="en"] [data-original]')).to_be_visible()
    expect(staff.locator('[data-language="fr"]')).to_contain_text("declaration-fr.pdf")
    expect(staff.locator("[data-versions] tbody tr")).to_have_count(2)
    files = {f.language: f for f in DocumentFile.objects.filter(document=document)}
    assert PDF_WORD in files["en"].text
    assert "polycentrique" in files["fr"].text
    assert all(f.text_extracted_at for f in files.values())
    shot(staff, screenshot_dir, "doc02-two-languages.png")

    # --- the engagement where it was delivered, picking it from the register ---------
    staff.goto(f"{base}/networks/{network.slug}/engagements/")
    staff.get_by_role("link", name="New engagement").click()
    field(staff, "Event").fill(EVENT)
    field(staff, "Kind").select_option(label="Statement delivered")
    field(staff, "Organizer").fill("Global Forum on Migration and Development")
    field(staff, "Place").fill("Geneva")
    field(staff, "From").fill("2007-03-27")
    field(staff, "Represented by").fill("The Chair")
    staff.locator("select[name=documents]").select_option(label=f"{SYMBOL} {TITLE}")
    staff.locator("input[name=public]").check()
    shot(staff, screenshot_dir, "doc03-new-engagement.png")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("h1")).to_have_text(EVENT)
    expect(staff.locator("[data-statements]")).to_contain_text(TITLE)
    engagement = Engagement.objects.get(event=EVENT)
    assert list(engagement.documents.all()) == [document]

    # --- final, then published -------------------------------------------------------
    staff.goto(base + document.get_absolute_url())
    expect(staff.locator("[data-links]")).to_contain_text(EVENT)
    staff.get_by_role("button", name="Mark final").click()
    expect(staff.locator("[data-status]")).to_have_text("Final")
    staff.get_by_role("button", name="Publish").click()
    expect(staff.locator("[data-status]")).to_have_text("Published")
    expect(staff.locator("[data-access]")).to_have_text("Public")
    shot(staff, screenshot_dir, "doc04-published.png")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED and document.publish_on is not None

    # --- the public: the network's page, the register, the feed ----------------------
    public_context = new_context()
    outside: list[str] = []
    only_local(public_context, live_server, outside)
    public = public_context.new_page()
    violations: list[dict] = []
    public.goto(f"{base}/networks/{network.slug}/")
    expect(public.locator("[data-network-document]").filter(has_text=TITLE)).to_be_visible()
    expect(public.locator("[data-network-engagement]").filter(has_text=EVENT)).to_be_visible()
    expect(public.locator("main")).not_to_contain_text(SECRET_TITLE)
    violations += _no_blocking_violation(public, "the network's public page")
    shot(public, screenshot_dir, "doc05-public-network.png")

    public.locator("[data-network-document]").get_by_role("link", name=TITLE).click()
    expect(public.locator("h1")).to_have_text(TITLE)
    expect(public.locator("[data-manage]")).to_have_count(0)
    expect(public.locator('[data-language="fr"] [data-download]')).to_be_visible()
    violations += _no_blocking_violation(public, "the document's page")
    shot(public, screenshot_dir, "doc06-public-document.png")
    with public.expect_download() as download:
        public.locator('[data-language="en"] [data-download]').click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    public.goto(register)
    expect(public.locator("[data-row=document]").filter(has_text=TITLE)).to_be_visible()
    expect(public.locator("main")).not_to_contain_text(SECRET_TITLE)
    violations += _no_blocking_violation(public, "the register")
    shot(public, screenshot_dir, "doc07-public-register.png")

    entries = _feed_entries(public, feed)
    assert f"{SYMBOL} {TITLE}" in entries
    assert entries[f"{SYMBOL} {TITLE}"].endswith(document.get_absolute_url())
    assert not any(SECRET_TITLE in title for title in entries)

    # The members' document: absent from the search, its page a 404.
    _header_search(public, SECRET_WORD)
    expect(public.locator("main")).not_to_contain_text(SECRET_TITLE)
    response = public.goto(base + members_only.get_absolute_url())
    assert response.status == 404
    expect(public.locator("body")).not_to_contain_text(SECRET_TITLE)
    assert not outside, "requests left the app: " + ", ".join(sorted(set(outside)))
    assert not violations, "axe-core found serious or critical violations:\n" + report(violations)

    # --- a member finds it by a word of its PDF --------------------------------------
    member = new_context().new_page()
    sign_in(member, live_server, focal_a.email, PASSWORD)
    _header_search(member, PDF_WORD)
    hits = member.locator('[data-kind="document"] .search-results li')
    expect(hits.filter(has_text=TITLE)).to_have_count(1)
    expect(hits.filter(has_text=TITLE).locator("mark").first).to_have_text(
        re.compile(PDF_WORD, re.I)
    )
    shot(member, screenshot_dir, "doc08-member-search.png")
    hits.filter(has_text=TITLE).get_by_role("link").first.click()
    expect(member.locator("h1")).to_have_text(TITLE)
    # The member reads the members' document too, and finds it by its PDF's word.
    _header_search(member, SECRET_WORD)
    expect(member.locator('[data-kind="document"]')).to_contain_text(SECRET_TITLE)


# --- the demo's public pages at two widths -----------------------------------------------

WIDTHS = (1280, 360)


def test_the_demo_public_pages_fit_a_phone_and_a_laptop(
    transactional_db, live_server, new_context, screenshot_dir
):
    _load_reference_rows()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    document = (
        Document.objects.filter(
            network__slug="gmg", access=Access.PUBLIC, status=DocumentStatus.PUBLISHED
        )
        .filter(files__isnull=False)
        .distinct()
        .order_by("-date")
        .first()
    )
    assert document is not None, "the demo has a published GMG document with a file"
    pages = {
        "network": "/networks/gmg/",
        "document": document.get_absolute_url(),
        "register": "/networks/gmg/documents/",
    }
    context = new_context()
    outside: list[str] = []
    only_local(context, live_server, outside)
    page = context.new_page()
    found, wide = [], []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{name} ({path}) answered {response.status}"
            shot(page, screenshot_dir, f"doc-demo-{name}-{width}.png")
            if horizontal_overflow(page) > 0:
                wide.append(f"{name} at {width} px: {horizontal_overflow(page)} px too wide")
            found += _no_blocking_violation(page, f"{name} ({path}) at {width} px")
    assert not outside, "requests left the app: " + ", ".join(sorted(set(outside)))
    assert not wide, "; ".join(wide)
    assert not found, "axe-core found serious or critical violations:\n" + report(found)
