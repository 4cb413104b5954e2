"""What workplans bring to the shared pages and commands (core.registry): the
progress to log this quarter on the dashboard, two menu entries, the demo's
workplan, and the benchmark pages."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage

from .demo import load_workplans
from .models import Activity, ProgressUpdate, Workplan
from .services.progress import Period, progress_missing, progress_waiting


@registry.dashboard_panel("workplans", order=30, template="workplans/panels/progress.html")
def progress(request, actor, network) -> dict | None:
    """The activities of the user's agencies with no update for this quarter."""
    if not actor.affiliations:
        return None
    return {"progress": progress_waiting(actor, network=network)}


def progress_by_network(actor) -> dict[int, int]:
    """Activities still to report on this quarter, per network (one query)."""
    if not actor.affiliations:
        return {}
    rows = (
        progress_missing(actor, Period.current())
        .order_by()
        .values("objective__workplan__network_id")
        .annotate(n=Count("pk"))
    )
    return {row["objective__workplan__network_id"]: row["n"] for row in rows}


registry.work_counter("workplans", progress_by_network)


registry.menu_entry(
    "workplans",
    _("Workplans"),
    "workplans:list",
    order=40,
    visible=lambda actor, user: actor.is_member_user,
)
registry.menu_entry(
    "workplans",
    _("My activities"),
    "workplans:mine",
    order=10,
    section="account",
    visible=lambda actor, user: actor.is_focal_point(),
)


registry.demo_loader("workplans", load_workplans)


def bench_pages() -> list[BenchPage]:
    pages = [BenchPage("workplans list", reverse("workplans:list"), True)]
    largest = Workplan.objects.annotate(n=Count("objectives__activities")).order_by("-n").first()
    if largest:
        pages.append(BenchPage("workplan page (largest)", largest.get_absolute_url(), True))
    busiest = Activity.objects.annotate(n=Count("updates")).order_by("-n").first()
    if busiest:
        pages.append(BenchPage("activity page (most updates)", busiest.get_absolute_url(), True))
    return pages


def bench_counts() -> dict[str, int]:
    return {
        "activities": Activity.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
    }


registry.bench_pages("workplans", bench_pages, counts=bench_counts)


from . import search  # noqa: E402, F401 - registers what the search finds
