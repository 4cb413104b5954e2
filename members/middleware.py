from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .models import Network

SESSION_KEY = "current_network_id"


def _resolve_network(request):
    network_id = request.session.get(SESSION_KEY)
    network = None
    if network_id:
        network = Network.objects.filter(pk=network_id).first()
    if network is None:
        network = Network.objects.in_display_order().first()
    return network


class CurrentNetworkMiddleware:
    """Puts `request.network`, the network chosen in the switcher, on every
    request. It is lazy: a page that never looks costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.network = SimpleLazyObject(lambda: _resolve_network(request))
        return self.get_response(request)
