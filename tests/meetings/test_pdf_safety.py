"""PDF renders are safe with hostile text: WeasyPrint reads nothing but the
app's static files (no `file://`, no other host, no cloud metadata address,
no project folder as base), and a render never runs past
PDF_RENDER_TIMEOUT_SECONDS; the reader then sees a page that says so.

Personas (tests/conftest.py): the chair (focal point of agency A, which
holds the chair term) and focal_b, an ordinary member who sees the meeting.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import weasyprint.urls
from django.conf import settings
from django.urls import reverse

from meetings import pdf
from meetings.models import MeetingStatus
from meetings.services import minutes as minutes_service
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

HOSTILE_MARKDOWN = (
    "## Notes\n\n![x](file:///etc/passwd)\n\n"
    '<img src="http://169.254.169.254/latest/meta-data/">\n\n'
    '<link rel="stylesheet" href="https://evil.example/steal.css">\n\n'
    '<style>@import url("file:///etc/hosts");</style>\n\n'
    "[a link](file:///etc/shadow) and the rest of the minutes.\n"
)

HOSTILE_HTML = """<!doctype html><html><head>
<link rel="stylesheet" href="https://evil.example/steal.css">
<link rel="stylesheet" href="file:///etc/hosts">
<style>@import url("http://169.254.169.254/latest/meta-data/");
body { background: url("data:image/png;base64,iVBORw0KGgo="); }</style>
</head><body>
<h1>Hostile document</h1>
<img src="file:///etc/passwd">
<img src="http://169.254.169.254/latest/meta-data/iam/">
<img src="config/settings.py">
<img src="/static/../config/settings.py">
<p>Still rendered.</p>
</body></html>"""


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def opened_urls(monkeypatch):
    """Every address WeasyPrint's own fetcher (the one that really opens
    files and connections) is asked for."""
    asked: list[str] = []
    real_fetch = weasyprint.urls.URLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", spy)
    return asked


# --- the URL fetcher ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://evil.example/static/css/app.css",
        "data:text/css,body{color:red}",
        "ftp://localhost:8000/static/css/app.css",
        "{site}/static/../config/settings.py",
        "{site}/static/%2e%2e/config/settings.py",
        "{site}/static/..%2fconfig/settings.py",
        "{site}/static/",
        "{site}/media/applications/x.pdf",
        "{site}/static/css/does-not-exist.css",
        "{site}.evil.example/static/css/app.css",
    ],
)
def test_the_fetcher_refuses_anything_but_the_apps_static_files(url):
    """Local files, other hosts, the metadata address, data: URLs, paths that
    climb out of the static folder and missing files are all refused."""
    fetcher = pdf.static_only_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url.replace("{site}", settings.SITE_URL))


def test_the_fetcher_serves_static_files_from_the_finders_and_static_root(settings, tmp_path):
    """/static/... on the site is read from disk: from STATIC_ROOT when the
    file was collected there (hashed names), else from the static folders."""
    settings.STATIC_ROOT = tmp_path / "collected"
    (tmp_path / "collected" / "css").mkdir(parents=True)
    (tmp_path / "collected" / "css" / "print.abc123.css").write_text("h1 { color: red; }")
    fetcher = pdf.static_only_fetcher()

    collected = fetcher.fetch(f"{settings.SITE_URL}/static/css/print.abc123.css")
    assert collected.read() == b"h1 { color: red; }"
    assert collected.content_type == "text/css"

    app_css = fetcher.fetch(f"{settings.SITE_URL}/static/css/app.css")
    assert app_css.read() == (Path(settings.BASE_DIR) / "static/css/app.css").read_bytes()


def test_hostile_html_renders_without_opening_any_file_or_host(opened_urls, caplog):
    """Images, stylesheets and imports pointing at local files, the metadata
    address, another host or the project folder are refused (and logged);
    WeasyPrint's own fetcher is never asked for them; the PDF still renders."""
    caplog.set_level(logging.WARNING, logger="meetings.pdf")
    data = pdf.html_to_pdf_now(HOSTILE_HTML)
    assert data.startswith(b"%PDF-")
    assert opened_urls == []
    refused = " ".join(r.getMessage() for r in caplog.records if "refused" in r.getMessage())
    assert "file:///etc/passwd" in refused
    assert "169.254.169.254" in refused
    assert "evil.example" in refused
    # The base address is the site, not the project folder.
    assert f"{settings.SITE_URL}/config/settings.py" in refused
    if shutil.which("pdftotext"):
        text = _pdf_text(data)
        assert "Still rendered." in text and "root:" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_static_css_and_fonts_still_load(settings, tmp_path, opened_urls):
    """A stylesheet and a font under /static/ are served to WeasyPrint: the
    stylesheet's generated text appears in the PDF."""
    settings.STATIC_ROOT = tmp_path / "collected"
    (tmp_path / "collected" / "fonts").mkdir(parents=True)
    (tmp_path / "collected" / "print.css").write_text(
        '@font-face { font-family: "Shipped"; src: url("fonts/shipped.ttf"); }\n'
        'body { font-family: "Shipped"; } h1::after { content: " STYLESHEET-LOADED"; }'
    )
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.exists():
        pytest.skip("needs fonts-dejavu-core")
    shutil.copy(font, tmp_path / "collected" / "fonts" / "shipped.ttf")
    served: list[str] = []
    real = pdf.static_file_for

    def spy(url):
        found = real(url)
        served.append(found.name if found else "")
        return found

    html = '<html><head><link rel="stylesheet" href="/static/print.css"></head><body><h1>Title</h1></body></html>'
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "static_file_for", spy)
        data = pdf.html_to_pdf_now(html)
    assert "Title STYLESHEET-LOADED" in _pdf_text(data)
    assert served == ["print.css", "shipped.ttf"]
    assert opened_urls == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_minutes_with_hostile_markdown_still_render(client, network, chair, focal_b):
    """Minutes whose text tries to pull in local files, the metadata address
    or a remote stylesheet give a normal PDF through the real view (in the
    render's child process), with the text and without the files."""
    meeting = make_meeting(network, days=-3, status=MeetingStatus.HELD)
    minutes_service.minutes_save(
        meeting=meeting, body=HOSTILE_MARKDOWN, decisions="", base_version=0, by=chair
    )
    client.force_login(chair)
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "the rest of the minutes" in text
    assert "root:" not in text and "localhost" not in text


# --- the time limit ----------------------------------------------------------------------------


def _slow_render(html: str) -> bytes:
    time.sleep(60)
    return b"%PDF-never"


def test_a_slow_render_is_stopped_and_the_reader_told(
    client, settings, monkeypatch, caplog, network, chair
):
    """With a render slower than PDF_RENDER_TIMEOUT_SECONDS, the agenda PDF
    answers after about that time with a page that says so (503, no stack
    trace), and a log line records it."""
    settings.PDF_RENDER_TIMEOUT_SECONDS = 1
    monkeypatch.setattr(pdf, "html_to_pdf_now", _slow_render)
    caplog.set_level(logging.ERROR, logger="meetings.pdf")
    meeting = make_meeting(network)
    client.force_login(chair)
    started = time.monotonic()
    response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "The PDF took too long to make" in body and "Traceback" not in body
    assert reverse("meetings:detail", args=[meeting.pk]) in body
    assert elapsed < 10
    assert any("PDF render stopped" in r.getMessage() for r in caplog.records)


def test_the_stopped_render_process_is_killed(monkeypatch):
    """The child that overran is gone when the caller gets PdfTimeout: it
    does not keep a CPU busy in the background."""
    import multiprocessing

    monkeypatch.setattr(pdf, "html_to_pdf_now", _slow_render)
    before = set(multiprocessing.active_children())
    with pytest.raises(pdf.PdfTimeout):
        pdf.html_to_pdf("<p>x</p>", timeout=0.5)
    assert set(multiprocessing.active_children()) - before == set()


def test_a_fast_render_returns_the_pdf_under_the_limit(settings):
    """The time limit does not change a normal render: the bytes come back."""
    settings.PDF_RENDER_TIMEOUT_SECONDS = 30
    data = pdf.html_to_pdf("<h1>Agenda</h1>")
    assert data.startswith(b"%PDF-")
