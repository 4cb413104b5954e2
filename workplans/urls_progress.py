"""URLs of the workplans' progress pages (their own module: see workplans/urls.py)."""

from django.urls import path

from .views import progress, reporting

urlpatterns = [
    path("activities/<int:pk>/", progress.activity_detail, name="activity"),
    path("activities/<int:pk>/progress/new/", progress.progress_log, name="progress_log"),
    path(
        "activities/<int:pk>/progress/<int:update_id>/evidence/",
        progress.progress_evidence,
        name="progress_evidence",
    ),
    path("workplans/<int:pk>/not-reported/", reporting.not_reported, name="not_reported"),
    path(
        "workplans/<int:pk>/not-reported/remind/",
        reporting.not_reported_remind,
        name="not_reported_remind",
    ),
    path("my-activities/", progress.my_activities, name="mine"),
    path("progress/import/", progress.progress_import, name="progress_import"),
    path("progress/import/template/", progress.progress_template, name="progress_template"),
]
