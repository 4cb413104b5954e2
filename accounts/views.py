from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.net import client_ip

from .middleware import mark_seen, seconds_left
from .throttle import within_limit


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, rate-limited per client address and per e-mail
    address asked for (known or not, so the refusal tells nothing either)."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        email_key = hashlib.sha256(email.encode()).hexdigest()[:32]
        if not within_limit(
            f"pwreset-ip:{client_ip(self.request)}",
            limit=settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR,
        ):
            return self._refuse(
                form,
                _(
                    "Too many password reset requests came from your address in the last "
                    "hour. Please try again later."
                ),
            )
        if not within_limit(
            f"pwreset-email:{email_key}", limit=settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR
        ):
            return self._refuse(
                form,
                _(
                    "A reset link was asked for this e-mail address several times in the last "
                    "hour. Please use the link already sent (check your spam folder too) or "
                    "try again later."
                ),
            )
        return super().form_valid(form)

    def _refuse(self, form, message: str):
        form.add_error(None, message)
        response = self.form_invalid(form)
        response.status_code = 429
        return response


@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """The page says "I am still here" (the "Stay signed in" button, or the
    user typing in a form): restart the idle clock now and answer 204 with
    the seconds left, so the page can set its timers. The session middleware
    has already refused a session past its idle time or lifetime (a redirect
    to the sign-in page); nothing here moves the end of the lifetime. The
    CSRF token is required, as for any POST."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    mark_seen(request)
    idle_left, ends_in = seconds_left(request) or (0, 0)
    response = HttpResponse(status=204)
    response["X-Session-Idle-Left"] = str(idle_left)
    response["X-Session-Ends-In"] = str(ends_in)
    response["Cache-Control"] = "no-store"
    return response
