"""What the search finds of the task teams."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.search import SearchSource, SearchText

from .models import TaskTeam
from .permissions import visible_task_teams


def team_text(team: TaskTeam) -> SearchText:
    return SearchText(
        title=team.name,
        body=f"{team.focus}\n{team.terms_of_reference}",
        url=team.get_absolute_url(),
        network_id=team.network_id,
        year=team.established.year if team.established else None,
    )


registry.search_source(
    SearchSource(
        "taskteams",
        "task_team",
        _("Task teams"),
        TaskTeam,
        team_text,
        visible_task_teams,
        order=60,
        queryset=lambda: TaskTeam.objects.select_related("network"),
    )
)
