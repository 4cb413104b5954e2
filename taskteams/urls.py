"""URLs of the task teams' pages: a network's teams live under the network."""

from django.urls import path

from . import views
from .models import TaskTeamStatus

app_name = "taskteams"

TEAM = "networks/<slug:network>/task-teams/<slug:slug>/"

urlpatterns = [
    path("task-teams/", views.index, name="index"),
    path("networks/<slug:network>/task-teams/", views.task_team_list, name="list"),
    # Before the team's own address: "new" is reserved (services.RESERVED_SLUGS).
    path("networks/<slug:network>/task-teams/new/", views.task_team_create, name="create"),
    path(TEAM, views.task_team_detail, name="detail"),
    path(f"{TEAM}edit/", views.task_team_edit, name="edit"),
    path(
        f"{TEAM}activate/",
        views.task_team_transition,
        {"to": TaskTeamStatus.ACTIVE},
        name="activate",
    ),
    path(f"{TEAM}close/", views.task_team_transition, {"to": TaskTeamStatus.CLOSED}, name="close"),
    path(f"{TEAM}membership/", views.task_team_membership, name="membership"),
    path(f"{TEAM}terms-of-reference/", views.tor_document, name="tor_document"),
]
