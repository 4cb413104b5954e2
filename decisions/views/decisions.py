"""Decision pages (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from members.roles import actor_for

from ..permissions import visible_decisions


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    decision = get_object_or_404(visible_decisions(actor).select_related("network"), pk=pk)
    return render(request, "decisions/decision_detail.html", {"decision": decision})
