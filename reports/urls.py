from django.urls import path

from . import publishing, views

app_name = "reports"

urlpatterns = [
    path("networks/<slug:slug>/reports/", views.report_list, name="list"),
    path("networks/<slug:slug>/reports/build/", views.report_build, name="build"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/status/", views.report_status, name="status"),
    path("reports/<int:pk>/pdf/", views.report_download, name="download"),
    path("reports/<int:pk>/docx/", views.report_docx, name="docx"),
    path("reports/<int:pk>/retry/", views.report_retry, name="retry"),
    path("reports/<int:pk>/publish/", publishing.report_publish, name="publish"),
]
