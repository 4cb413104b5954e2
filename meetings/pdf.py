"""PDF exports (agenda, minutes) rendered by WeasyPrint from a template."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: heavy, and only PDFs need it

    html = render_to_string(template, context)
    # Static files (the print stylesheet) are read from disk, never fetched.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
