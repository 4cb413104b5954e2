"""Signed-in sessions end after an idle time and after an absolute lifetime
(SESSION_IDLE_TIMEOUT_MINUTES, SESSION_MAX_AGE_HOURS). Any request counts
as activity; the lifetime runs from the sign-in and nothing extends it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Epoch seconds, so the session stays JSON.
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# The last-seen time is written at most this often: a session save (a
# database write) on every request would buy a precision nobody needs.
SEEN_RESOLUTION_SECONDS = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def session_start(request: HttpRequest) -> None:
    """Start both clocks; called on sign-in (accounts.signals)."""
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _expiry_reason(request: HttpRequest) -> str | None:
    """Why this signed-in session is over, or None (and then the idle clock
    is moved on)."""
    session = request.session
    now = _now()
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        # A session from before these clocks: they start now.
        session_start(request)
        return None
    max_age = settings.SESSION_MAX_AGE_HOURS * 3600
    idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    if now - signed_in_at >= max_age:
        return _(
            "For your security, a session lasts at most %(duration)s. Please sign in again."
        ) % {"duration": _duration(settings.SESSION_MAX_AGE_HOURS * 60)}
    if now - last_seen_at >= idle:
        return _(
            "You were signed out after %(duration)s without activity. Please sign in again."
        ) % {"duration": _duration(settings.SESSION_IDLE_TIMEOUT_MINUTES)}
    if now - last_seen_at >= SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_AT] = now
    return None


class SessionTimeoutMiddleware:
    """Signs out a session past its idle time or lifetime and sends the
    browser to the sign-in page, which says why and leads back to the page
    that was asked for. Sits after the authentication and message
    middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = _expiry_reason(request)
            if reason is not None:
                return self._signed_out(request, reason)
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, reason: str) -> HttpResponse:
        next_url = request.get_full_path()
        if request.headers.get("HX-Request"):
            # An htmx fragment: send the whole page to the sign-in form, and
            # come back to the page the fragment belonged to.
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            next_url = current.path + (f"?{current.query}" if current.query else "") or "/"
        logout(request)
        messages.info(request, reason)
        response = redirect_to_login(next_url)
        if request.headers.get("HX-Request"):
            hx = HttpResponse(status=204)
            hx["HX-Redirect"] = response["Location"]
            return hx
        return response
