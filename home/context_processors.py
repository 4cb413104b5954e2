from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from core.registry import registry
from members.roles import actor_for


def menu(request) -> dict:
    """The header's links that this user may follow: the registered menu
    entries (core.registry) whose `visible` says yes, in order."""

    def entries(section: str):
        actor = actor_for(request)
        user = request.user
        return [e for e in registry.menu_entries(section) if e.visible(actor, user)]

    return {
        "menu_main": SimpleLazyObject(lambda: entries("main")),
        "menu_account": SimpleLazyObject(lambda: entries("account")),
    }
