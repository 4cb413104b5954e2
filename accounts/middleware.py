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


def mark_seen(request: HttpRequest) -> None:
    """Restart the idle clock now, whatever the resolution (the keep-alive
    endpoint: the browser then knows the deadline to the second)."""
    request.session[LAST_SEEN_AT] = _now()


def seconds_left(request: HttpRequest) -> tuple[int, int] | None:
    """(until the idle deadline, until the end of the lifetime) of this
    signed-in session, in seconds, as the middleware will judge them; None
    for an anonymous request or a session without the clocks."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return None
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        return None
    now = _now()
    ends = signed_in_at + settings.SESSION_MAX_AGE_HOURS * 3600
    idle_deadline = min(last_seen_at + settings.SESSION_IDLE_TIMEOUT_MINUTES * 60, ends)
    return max(idle_deadline - now, 0), max(ends - now, 0)


def _return_path(request: HttpRequest) -> str:
    """The page the user was on, to come back to after signing in again: for
    an htmx fragment the page it belongs to; for a form post (or the
    keep-alive call) the page that sent it, when the browser says so and it
    is this site (a POST-only address is no page to come back to); else the
    address asked for."""
    if request.headers.get("HX-Request"):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        return current.path + (f"?{current.query}" if current.query else "") or "/"
    if request.method not in ("GET", "HEAD"):
        referer = urlsplit(request.headers.get("Referer", ""))
        path = referer.path
        if referer.netloc == request.get_host() and path.startswith("/") and path[1:2] != "/":
            return path + (f"?{referer.query}" if referer.query else "")
    return request.get_full_path()


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
        next_url = _return_path(request)
        logout(request)
        messages.info(request, reason)
        response = redirect_to_login(next_url)
        if request.headers.get("HX-Request"):
            # An htmx fragment: send the whole page to the sign-in form.
            hx = HttpResponse(status=204)
            hx["HX-Redirect"] = response["Location"]
            return hx
        return response
