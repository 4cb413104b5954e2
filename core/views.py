from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.health import health
from core.roles import actor_for
from members import selectors
from members.models import MembershipApplication, Person
from members.permissions import visible_applications


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status, payload = health()
    return JsonResponse(payload, status=status)


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the network's chair and troika and its members for
    everyone; for a signed-in user, what waits for them."""
    # request.network is lazy; `or None` gives a plain None when there is none.
    network = request.network or None
    context: dict = {"network": network}
    if network is not None:
        context.update(selectors.network_page(network=network))
    actor = actor_for(request)
    if actor.is_authenticated:
        waiting: dict = {}
        if actor.manages_any:
            apps = selectors.applications_waiting(visible_applications(actor))
            waiting["applications"] = list(apps[:10])
            waiting["applications_count"] = apps.count()
            from notifications.selectors import undeliverable_count

            # E-mails given up or stuck while sending: a person decides (admin "Send again").
            waiting["undeliverable_mail"] = undeliverable_count()
        if actor.chair_network_ids:
            waiting["chair_terms"] = list(
                selectors.current_chair_terms().filter(network_id__in=actor.chair_network_ids)
            )
        if actor.affiliations:
            from workplans.services.progress import progress_waiting

            waiting["progress"] = progress_waiting(actor)
            waiting["my_people"] = list(
                Person.objects.filter(user_id=actor.user_id, is_active=True).select_related(
                    "organization", "network"
                )
            )
        from meetings.models import Participant, Response
        from meetings.permissions import visible_meetings

        waiting["meetings"] = list(
            visible_meetings(actor).upcoming().select_related("network").order_by("start")[:5]
        )
        waiting["invitations"] = list(
            Participant.objects.filter(
                person__user_id=actor.user_id,
                response=Response.PENDING,
                meeting__in=visible_meetings(actor).upcoming(),
            ).select_related("meeting", "meeting__network")[:10]
        )
        waiting["my_applications"] = list(
            MembershipApplication.objects.filter(submitted_by_id=actor.user_id).select_related(
                "network"
            )[:10]
        )
        context["waiting"] = waiting
    return render(request, "core/home.html", context)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    from core.views_helpers import log_refusal

    log_refusal(request, exception)
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)
