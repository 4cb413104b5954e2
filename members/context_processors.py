from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .models import Network
from .roles import actor_for


def frame(request) -> dict:
    """What the frame of every page needs: the actor and the network switcher."""
    return {
        "actor": SimpleLazyObject(lambda: actor_for(request)),
        "switcher_networks": SimpleLazyObject(
            lambda: list(
                Network.objects.in_display_order().only("id", "short_name", "name", "level", "slug")
            )
        ),
    }
