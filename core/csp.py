"""The Content-Security-Policy header (settings.CONTENT_SECURITY_POLICY).

django-csp's middleware, with one exception: PDF responses (agenda and
minutes). A browser shows a PDF in a viewer page it builds itself, which a
strict policy breaks (Chromium applies `object-src 'none'` and `style-src`
to its viewer: a blank or cut-off page, crbug.com/271452), and a PDF runs
no script of ours, so the header would protect nothing there.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
