"""The dashboard lays out the panels the apps registered (core.registry); it
knows no app's models. The network's own sections come first for everyone;
a signed-in user then sees what waits for them ("For you")."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import search as search_core
from core.registry import RegistryError, registry
from core.search import QUERY_MAX_CHARS
from core.views_helpers import querystring_without_page
from members.roles import actor_for
from members.scope import networks_with_counts
from members.selectors import network_list


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


# --- one search over every app's records -----------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=QUERY_MAX_CHARS, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    network = forms.TypedChoiceField(
        label=_("Network"), required=False, coerce=int, empty_value=None
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)

    def __init__(self, *args, sources, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [(s.kind, s.label) for s in sources]
        self.fields["network"].choices = [("", _("All networks"))] + [
            (n.pk, n.short_name) for n in networks
        ]
        for name in ("kind", "network"):
            self.fields[name].widget.attrs["class"] = "form-select"


SEARCH_PER_KIND = 5
SEARCH_PAGE = 20


def search(request: HttpRequest) -> HttpResponse:
    """`/search/?q=…`: results grouped by kind, each kind's best first, with
    the matching words marked; with `kind`, one kind, page by page. Only what
    the user may open is found (core.search filters in the query)."""
    actor = actor_for(request)
    sources = search_core.available_sources(actor)
    form = SearchForm(request.GET or None, sources=sources, networks=network_list())
    results, page, q = [], 1, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        q = data["q"]
        kind = data["kind"] or None
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        per = SEARCH_PAGE if kind else SEARCH_PER_KIND
        results = search_core.search(
            actor,
            q,
            kind=kind,
            network_id=data["network"],
            year=data["year"],
            per_kind=per,
            offset=(page - 1) * per if kind else 0,
        )
    total = sum(r.count for r in results)
    one = results[0] if len(results) == 1 and form.cleaned_data.get("kind") else None
    return render(
        request,
        "home/search.html",
        {
            "form": form,
            "q": q,
            "results": results,
            "total": total,
            "one_kind": one,
            "page": page,
            "has_next": bool(one and page * SEARCH_PAGE < one.count),
            "querystring": querystring_without_page(request),
            "too_short": bool(q) and not search_core.words_of(q),
        },
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages and are told where the sitemap is;
    the sign-in, admin and search pages are no use to them."""
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
