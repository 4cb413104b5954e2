"""What the reports app brings to the shared pages (core.registry): on the
chair's dashboard, the chair's summary report of the current term with what
is left to complete; for the secretariat, the builds that failed."""

from __future__ import annotations

from django.utils import timezone

from core import registry
from members.models import ChairTerm

from .models import BuildStatus, ReportBuild, ReportKind
from .permissions import manages


@registry.dashboard_panel("reports", order=45, template="reports/panels/chair_summary.html")
def chair_summary_panel(request, actor, network) -> dict | None:
    """The chair's summary of the term the user's agency holds on the
    network shown: the narrative's parts still empty, and its latest build."""
    if network is None or network.pk not in actor.chair_network_ids:
        return None
    today = timezone.localdate()
    term = (
        ChairTerm.objects.filter(network=network, start__lte=today, end__gte=today)
        .select_related("organization")
        .first()
    )
    if term is None:
        return None
    latest = (
        ReportBuild.objects.filter(
            network=network, kind=ReportKind.CHAIR_SUMMARY, subject_id=term.pk
        )
        .order_by("-requested_at", "-pk")
        .first()
    )
    empty = [
        label
        for field, label in (
            ("achievements", term._meta.get_field("achievements").verbose_name),
            ("challenges", term._meta.get_field("challenges").verbose_name),
            ("recommendations", term._meta.get_field("recommendations").verbose_name),
        )
        if not getattr(term, field).strip()
    ]
    return {"term": term, "latest": latest, "empty": empty, "network": network}


@registry.dashboard_panel("reports", order=46, template="reports/panels/failed.html")
def failed_panel(request, actor, network) -> dict | None:
    if network is None or not manages(actor, network.pk):
        return None
    failed = list(
        ReportBuild.objects.filter(network=network, status=BuildStatus.FAILED)
        .exclude(
            key__in=ReportBuild.objects.filter(
                network=network,
                status__in=[BuildStatus.READY, BuildStatus.QUEUED, BuildStatus.RUNNING],
            ).values("key")
        )
        .order_by("-requested_at")[:5]
    )
    return {"failed": failed, "network": network} if failed else None
