"""PDF exports (agenda, minutes) rendered by WeasyPrint from a template.

Two guards sit around WeasyPrint, because the HTML carries text users typed:

- it reads nothing but the app's own static files: the URL fetcher serves
  `STATIC_URL` paths on `SITE_URL` from STATIC_ROOT or the static finders,
  and refuses every other address (`file://`, other hosts, the cloud
  metadata address, `data:`), which the PDF then simply lacks;
- a render never runs longer than `PDF_RENDER_TIMEOUT_SECONDS`: it happens in
  a forked child process that is killed when the time is up, and the view
  answers with a page that says so (`pdf_timeout_response`).
"""

from __future__ import annotations

import logging
import mimetypes
import multiprocessing
import time
from functools import wraps
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class PdfTimeout(Exception):
    """The render took longer than PDF_RENDER_TIMEOUT_SECONDS and was stopped."""


class PdfRenderError(Exception):
    """The render failed in the child process (its traceback is logged there)."""


# --- what WeasyPrint may read ---------------------------------------------------------


def pdf_base_url() -> str:
    """Relative addresses in the HTML resolve against the site, never against
    the project folder on disk (which `file://` would expose)."""
    return f"{settings.SITE_URL}/"


def static_file_for(url: str) -> Path | None:
    """The file on disk behind `url` when it is one of the app's static files
    on the app's own site, else None."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme.lower() not in ("http", "https") or parts.scheme.lower() != site.scheme:
        return None
    if parts.netloc.lower() != site.netloc.lower():
        return None
    static_prefix = urlsplit(settings.STATIC_URL).path
    if not static_prefix.startswith("/"):
        static_prefix = "/" + static_prefix
    if not parts.path.startswith(static_prefix):
        return None
    relative = unquote(parts.path[len(static_prefix) :])
    if not relative or "\x00" in relative:
        return None
    try:
        # Collected files first (their hashed names exist only there).
        collected = Path(safe_join(str(settings.STATIC_ROOT), relative))
        if collected.is_file():
            return collected
        found = finders.find(relative)
    except (SuspiciousFileOperation, ValueError):
        return None
    if isinstance(found, list):  # find(..., all=True) is never asked for; be safe
        found = found[0] if found else None
    return Path(found) if found and Path(found).is_file() else None


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves the app's static files from disk
    and refuses everything else, without opening a connection. (Built here so
    that importing this module does not load WeasyPrint.)"""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_for(url)
            if path is None:
                logger.warning("PDF render: refused to fetch %s", url[:200])
                raise ValueError(f"Refused by the PDF fetcher: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


def html_to_pdf_now(html: str) -> bytes:
    """The render itself, in this process, with the guarded fetcher."""
    from weasyprint import HTML  # imported late: heavy, and only PDFs need it

    return HTML(string=html, base_url=pdf_base_url(), url_fetcher=static_only_fetcher()).write_pdf()


# --- the time limit ----------------------------------------------------------------------


def _child(html: str, conn) -> None:
    try:
        conn.send(("ok", html_to_pdf_now(html)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        logger.exception("PDF render failed")
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def html_to_pdf(html: str, *, timeout: float | None = None) -> bytes:
    """Render `html` to PDF bytes in a child process, killed after `timeout`
    seconds (PDF_RENDER_TIMEOUT_SECONDS by default): a thread could not be
    stopped, and a pathological document would hold a CPU for ever.

    The child is forked, so it starts at once with WeasyPrint and the settings
    already loaded; it touches no database connection."""
    limit = settings.PDF_RENDER_TIMEOUT_SECONDS if timeout is None else timeout
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(html, sender), daemon=True)
    started = time.monotonic()
    process.start()
    sender.close()
    try:
        if not receiver.poll(limit):
            raise PdfTimeout(limit)
        try:
            status, payload = receiver.recv()
        except EOFError as exc:  # the child died without a word (killed, out of memory)
            raise PdfRenderError("the render process ended without a result") from exc
    except PdfTimeout:
        logger.error(
            "PDF render stopped after %.1f s (PDF_RENDER_TIMEOUT_SECONDS=%s)",
            time.monotonic() - started,
            limit,
        )
        raise
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status != "ok":
        raise PdfRenderError(payload)
    return payload


def render_pdf(template: str, context: dict) -> bytes:
    """The template rendered here (it may query the database), the PDF made
    under the time limit. Raises PdfTimeout."""
    return html_to_pdf(render_to_string(template, context))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_timeout_response(
    request: HttpRequest, *, back_url: str = "", back_label: str = ""
) -> HttpResponse:
    """What the reader sees instead of a PDF that took too long, with the way
    back to the page it came from (the meeting's, unless told otherwise)."""
    return render(
        request,
        "meetings/pdf_timeout.html",
        {
            "seconds": settings.PDF_RENDER_TIMEOUT_SECONDS,
            "back_url": back_url,
            "back_label": back_label or _("Back to the meeting"),
        },
        status=503,
    )


def time_limited_pdf_view(view):
    """Decorates a meeting's PDF view (its `pk` is the meeting's): a render
    stopped by the time limit answers with `pdf_timeout_response`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PdfTimeout:
            pk = kwargs.get("pk")
            back = reverse("meetings:detail", args=[pk]) if pk is not None else ""
            return pdf_timeout_response(request, back_url=back)

    return wrapper
