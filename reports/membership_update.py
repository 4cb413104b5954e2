"""The executive committee membership update for the Secretary-General
(seed 002: the Network updates him yearly on the membership of its
Executive Committee): who sits on the committee at the end of the period,
and the members who joined or left the network within it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import Membership, Network

from .kinds import KindSpec, Missing, iso, register
from .models import ReportKind


def _row(m: Membership) -> dict:
    org = m.organization
    return {
        "acronym": org.acronym,
        "name": org.name,
        "joined": iso(m.joined),
        "left": iso(m.left),
        "committee": m.executive_committee,
    }


def collect(network: Network, start: date, end: date, subject_id: int | None):
    memberships = list(
        Membership.objects.filter(network=network, joined__lte=end)
        .select_related("organization")
        .order_by("organization__acronym")
    )
    current = [m for m in memberships if m.left is None or m.left > end]
    committee = [_row(m) for m in current if m.executive_committee]
    snapshot = {
        "network": {"name": network.name, "short_name": network.short_name},
        "coordinator": network.coordinator.name if network.coordinator_id else "",
        "members": len(current),
        "committee": committee,
        "joined": [_row(m) for m in memberships if start <= m.joined <= end],
        "left": [_row(m) for m in memberships if m.left and start <= m.left <= end],
    }
    missing = []
    if not committee:
        missing.append(
            Missing(
                _("No member is marked as sitting on the executive committee."),
                reverse("members:network_detail", args=[network.slug]),
            )
        )
    return snapshot, missing


def title(network: Network, start: date, end: date, subject_id: int | None) -> str:
    return _("Membership of the Executive Committee of %(network)s, %(year)s") % {
        "network": network.name,
        "year": end.year if start.year == end.year else f"{start.year}–{end.year}",
    }


SPEC = register(
    KindSpec(
        kind=ReportKind.MEMBERSHIP_UPDATE,
        template="reports/pdf/membership_update.html",
        collect=collect,
        title=title,
    )
)
