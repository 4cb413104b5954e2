"""What the search finds of the decisions register."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.search import SearchSource, SearchText

from .models import Decision
from .permissions import visible_decisions


def decision_text(decision: Decision) -> SearchText:
    day = decision.decided_on or decision.created_at.date()
    return SearchText(
        title=f"{decision.reference} {decision.title}" if decision.reference else decision.title,
        body=decision.text,
        url=decision.get_absolute_url(),
        network_id=decision.network_id,
        year=day.year,
    )


registry.search_source(
    SearchSource(
        "decisions",
        "decision",
        _("Decisions"),
        Decision,
        decision_text,
        visible_decisions,
        order=30,
    )
)
