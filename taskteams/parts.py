"""What task teams bring to the shared pages and commands (core.registry): the
menu entry, the demo's task teams and working groups, and the benchmark pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage

from .demo import load_task_teams
from .models import TaskTeam
from .permissions import sees_any_network

registry.menu_entry(
    "taskteams",
    _("Task teams"),
    "taskteams:index",
    order=50,
    visible=lambda actor, user: sees_any_network(actor),
)


registry.demo_loader("taskteams", load_task_teams)


def bench_pages() -> list[BenchPage]:
    team = TaskTeam.objects.select_related("network").order_by("pk").first()
    if team is None:
        return []
    return [
        BenchPage("task teams list", reverse("taskteams:list", args=[team.network.slug]), True),
        BenchPage("task team page", team.get_absolute_url(), True),
    ]


registry.bench_pages(
    "taskteams", bench_pages, counts=lambda: {"task teams": TaskTeam.objects.count()}
)


from . import search  # noqa: E402, F401 - registers what the search finds
