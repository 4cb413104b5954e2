"""URLs of the task teams' pages."""

app_name = "taskteams"

urlpatterns: list = []
