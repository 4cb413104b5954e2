"""The roof's own entries: the dashboard and the administration in the menu,
and the dashboard among the benchmark pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage

registry.menu_entry("home", _("Dashboard"), "home", order=0, visible=lambda actor, user: True)
registry.menu_entry(
    "home",
    _("Administration"),
    "admin:index",
    order=90,
    section="account",
    visible=lambda actor, user: user.is_staff,
)


def bench_pages() -> list[BenchPage]:
    return [
        BenchPage("home (anonymous)", reverse("home"), False),
        BenchPage("home (admin)", reverse("home"), True),
    ]


registry.bench_pages("home", bench_pages)
