"""The dashboard lays out the panels the apps registered (core.registry); it
knows no app's models. The network's own sections come first for everyone;
a signed-in user then sees what waits for them ("For you")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.registry import RegistryError, registry
from members.roles import actor_for
from members.scope import networks_with_counts


def _panels(request: HttpRequest, actor, network, section: str) -> tuple[list, dict]:
    """Each panel with something to show, in order, and all their data by
    name. Two panels giving the same name is a programming error, refused
    here rather than one panel's figures silently replacing another's."""
    shown: list[tuple] = []
    found: dict = {}
    given_by: dict[str, str] = {}
    for panel in registry.ordered_panels(section):
        data = panel.data(request, actor, network)
        if data is None:
            continue
        for key in data:
            if key in given_by:
                raise RegistryError(
                    f"dashboard panels {given_by[key]!r} and {panel.name!r} both give {key!r}"
                )
            given_by[key] = panel.name
        shown.append((panel, data))
        found.update(data)
    return shown, found


def home(request: HttpRequest) -> HttpResponse:
    """The network in the header (members.scope) and, for a signed-in user,
    what waits for them there, or in all their networks with ?all=1; with
    where else work waits for them."""
    # request.network is lazy; `or None` gives a plain None when there is none.
    network = request.network or None
    actor = actor_for(request)
    show_all = request.GET.get("all") == "1"
    context: dict = {"network": network, "network_panels": [], "panels": [], "show_all": show_all}
    if network is not None:
        context["network_panels"], context["network_data"] = _panels(
            request, actor, network, "network"
        )
    if actor.is_authenticated:
        shown = None if show_all else network
        context["panels"], context["waiting"] = _panels(request, actor, shown, "for_you")
        if shown is not None:
            work = registry.work_by_network(actor)
            work.pop(shown.pk, None)
            context["work_elsewhere"] = networks_with_counts(work)
    return render(request, "home/home.html", context)
