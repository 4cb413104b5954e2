from django.urls import include, path

app_name = "workplans"

urlpatterns = [
    path("", include("workplans.urls_plans")),
    path("", include("workplans.urls_progress")),
]
