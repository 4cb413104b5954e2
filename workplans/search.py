"""What the search finds of the workplans: activities and the narratives
of their progress updates, under the workplans' visibility rule."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.search import SearchSource, SearchText

from .models import Activity, ProgressUpdate
from .permissions import visible_activities


def activity_text(activity: Activity) -> SearchText:
    return SearchText(
        title=f"{activity.code} {activity.title}".strip(),
        body=" ".join(p for p in (activity.description, activity.indicator, activity.target) if p),
        url=activity.get_absolute_url(),
        network_id=activity.objective.workplan.network_id,
        year=activity.start.year,
    )


def update_text(update: ProgressUpdate) -> SearchText:
    activity = update.activity
    return SearchText(
        title=str(
            _("%(activity)s: Q%(q)s %(year)s")
            % {"activity": activity.title, "q": update.quarter, "year": update.year}
        ),
        body=update.narrative,
        url=f"{activity.get_absolute_url()}#update-{update.pk}",
        network_id=activity.objective.workplan.network_id,
        year=update.year,
    )


registry.search_source(
    SearchSource(
        "workplans",
        "activity",
        _("Activities"),
        Activity,
        activity_text,
        visible_activities,
        order=50,
        queryset=lambda: Activity.objects.select_related("objective__workplan"),
    )
)
registry.search_source(
    SearchSource(
        "workplans",
        "progress",
        _("Progress reports"),
        ProgressUpdate,
        update_text,
        lambda actor: ProgressUpdate.objects.filter(
            activity__in=visible_activities(actor).values("pk")
        ),
        order=51,
        queryset=lambda: ProgressUpdate.objects.select_related("activity__objective__workplan"),
    )
)
