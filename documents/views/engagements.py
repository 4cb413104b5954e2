"""The network's engagements outside it: the list (the newest first), an
engagement's page and its forms. Public engagements are read by everyone,
the others by the network's members; the managers record them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.views_helpers import (
    deny_unless,
    form_page,
    get_for_action,
    get_visible_or_404,
    paginate,
    querystring_without_page,
)
from members.models import Network
from members.roles import actor_for

from .. import selectors
from ..filters import EngagementFilter
from ..forms import EngagementForm
from ..permissions import can, visible_documents, visible_engagements
from ..services import engagement_save

PER_PAGE = 50
SAVED = gettext_lazy("The engagement is saved.")
CHAIR_TERM_NOTE = gettext_lazy("The chair term is found from the start date.")
LEAD = gettext_lazy(
    "An event outside the network where it was represented: who spoke for it, "
    "the statement or briefing delivered, and what came of it."
)


def engagement_index(request: HttpRequest) -> HttpResponse:
    network = request.network or Network.objects.in_display_order().first()
    if network is None:
        raise Http404
    return redirect("documents:engagements", slug=network.slug)


def engagement_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    actor = actor_for(request)
    visible = visible_engagements(actor).filter(network=network)
    filterset = EngagementFilter(request.GET or None, queryset=visible)
    page = paginate(request, selectors.engagement_rows(filterset.qs), PER_PAGE)
    n = page.paginator.count
    return render(
        request,
        "documents/engagement_list.html",
        {
            "network": network,
            "filter": filterset,
            "page": page,
            "count_label": ngettext("%(n)s engagement", "%(n)s engagements", n) % {"n": n},
            "querystring": querystring_without_page(request),
            "can_create": can(actor, "engagement.create", network_id=network.pk),
        },
    )


def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    engagement = get_visible_or_404(selectors.engagement_for(actor, pk))
    documents = (
        visible_documents(actor)
        .filter(engagements=engagement)
        .select_related("kind")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "documents/engagement_detail.html",
        {
            "engagement": engagement,
            "documents": list(documents),
            "may_edit": can(actor, "engagement.edit", engagement),
        },
    )


@login_required
def engagement_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    actor = actor_for(request)
    deny_unless(can(actor, "engagement.create", network_id=network.pk), "engagement.create")
    form = EngagementForm(request.POST or None, network=network, actor=actor)
    return form_page(
        request,
        form,
        save=lambda f: engagement_save(network=network, by=request.user, **f.service_kwargs()),
        done=lambda engagement: engagement,
        message=SAVED,
        title=_("New engagement of %(network)s") % {"network": network.short_name},
        lead=f"{LEAD} {CHAIR_TERM_NOTE}",
        back=reverse("documents:engagements", args=[network.slug]),
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    engagement = get_for_action(
        actor, selectors.engagement_for(actor, pk), can=can, action="engagement.edit", pk=pk
    )
    form = EngagementForm(
        request.POST or None,
        instance=engagement,
        network=engagement.network,
        actor=actor,
        # Only the documents this user may see are offered, and kept.
        initial={"documents": list(engagement.documents.values_list("pk", flat=True))},
    )
    return form_page(
        request,
        form,
        save=lambda f: engagement_save(
            network=engagement.network, by=request.user, engagement=engagement, **f.service_kwargs()
        ),
        done=engagement,
        message=SAVED,
        title=_("Edit the engagement"),
        lead=CHAIR_TERM_NOTE,
        back=engagement,
    )
