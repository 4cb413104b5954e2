from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.health import health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status, payload = health()
    return JsonResponse(payload, status=status)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    from core.views_helpers import log_refusal

    log_refusal(request, exception)
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)
