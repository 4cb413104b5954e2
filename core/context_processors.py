from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from core.roles import actor_for


def frame(request) -> dict:
    """What the frame of every page needs: the actor and the network switcher."""
    from members.models import Network

    return {
        "actor": SimpleLazyObject(lambda: actor_for(request)),
        "switcher_networks": SimpleLazyObject(
            lambda: list(
                Network.objects.in_display_order().only("id", "short_name", "name", "level", "slug")
            )
        ),
    }
