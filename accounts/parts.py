"""What accounts bring to the shared pages (core.registry): the account menu's
password change."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

registry.menu_entry(
    "accounts",
    _("Change password"),
    "password_change",
    order=30,
    section="account",
    visible=lambda actor, user: user.is_authenticated,
)
