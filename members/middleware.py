from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .models import Network
from .roles import build_actor
from .scope import start_network_id

SESSION_KEY = "current_network_id"
# Set when the user chose the network in the header: sign-in keeps it.
CHOSEN_KEY = "current_network_chosen"


def start_on_your_network(sender, request, user, **kwargs) -> None:
    """At sign-in, start on the user's own network (members.scope), unless
    they chose one in the header before signing in."""
    if request is None or request.session.get(CHOSEN_KEY):
        return
    network_id = start_network_id(build_actor(user))
    if network_id is not None:
        request.session[SESSION_KEY] = network_id


def _resolve_network(request):
    network_id = request.session.get(SESSION_KEY)
    network = None
    if network_id:
        network = Network.objects.filter(pk=network_id).first()
    if network is None:
        network = Network.objects.in_display_order().first()
    return network


# Pages under a network's own address show that network in the header,
# whatever the one chosen in the switcher (which they leave as it is).
NETWORK_ROUTE = "networks/<slug:slug>/"


class CurrentNetworkMiddleware:
    """Puts `request.network`, the network chosen in the switcher, on every
    request; on a page under /networks/<slug>/, that page's network. It is
    lazy: a page that never looks costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.network = SimpleLazyObject(lambda: _resolve_network(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        slug = view_kwargs.get("slug")
        if slug and match is not None and match.route.startswith(NETWORK_ROUTE):
            request.network = SimpleLazyObject(
                lambda: Network.objects.filter(slug=slug).first() or _resolve_network(request)
            )
