"""What the outbox brings to the dashboard (core.registry): the e-mails that
could not be sent, for whoever manages a network."""

from __future__ import annotations

from core import registry

from .selectors import undeliverable_count


@registry.dashboard_panel(
    "notifications", order=20, template="notifications/panels/undeliverable_mail.html"
)
def undeliverable_mail(request, actor, network) -> dict | None:
    """Given up, or stuck while sending: a person decides (admin "Send again")."""
    if not actor.manages_any:
        return None
    return {"undeliverable_mail": undeliverable_count()}
