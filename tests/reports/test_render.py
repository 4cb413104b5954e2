"""How a report is rendered: only the app's own static files are read (its
fonts among them), never `file://` or another host; the fonts that ship with
the app are embedded, so French and Spanish accents print the same on every
machine; the worker's task carries soft and hard time limits."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from meetings.pdf import static_file_for, static_only_fetcher
from reports import builder
from reports.tasks import build_report

from .conftest import membership_request, needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://fonts.example.com/static/fonts/LiberationSerif-Regular.ttf",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_what_is_not_the_apps_own(url):
    assert static_file_for(url) is None
    with pytest.raises(ValueError, match="Refused"):
        static_only_fetcher().fetch(url)


def test_the_report_fonts_are_served_from_the_app():
    path = static_file_for(f"{settings.SITE_URL}/static/fonts/LiberationSerif-Regular.ttf")
    assert path is not None and path.stat().st_size > 50_000
    css = builder.report_css()
    assert 'url("/static/fonts/LiberationSerif-Regular.ttf")' in css
    assert "../fonts/" not in css


@needs_pdftotext
def test_accents_print_with_the_shipped_fonts(network, agency_a, current_term):
    from pypdf import PdfReader

    agency_a.name = "Organisation internationale pour les migrations (OIM) – Unión Económica"
    agency_a.save()
    agency_a.memberships.update(executive_committee=True)
    build, _ = builder.request_build(membership_request(network), hand_over=False)
    built = builder.run_build(build.pk)
    assert "Organisation internationale pour les migrations (OIM) – Unión Económica" in pdf_text(
        built
    )
    with built.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert {"Report-Serif", "Report-Sans"} <= fonts, fonts
    assert not any("DejaVu" in f for f in fonts), fonts


def test_the_task_has_soft_and_hard_time_limits():
    assert build_report.soft_time_limit == settings.REPORT_BUILD_TIMEOUT_SECONDS
    assert build_report.time_limit == settings.REPORT_BUILD_TIMEOUT_SECONDS + 30
    assert settings.REPORT_RENDER_TIMEOUT_SECONDS <= settings.REPORT_BUILD_TIMEOUT_SECONDS
