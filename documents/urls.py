from django.urls import path

from . import views
from .feeds import PublishedDocuments

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_index, name="index"),
    path("networks/<slug:slug>/documents/", views.document_list, name="list"),
    path("networks/<slug:slug>/documents/feed/", PublishedDocuments(), name="feed"),
    path("networks/<slug:slug>/documents/new/", views.document_create_view, name="create"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/edit/", views.document_edit_view, name="edit"),
    path("documents/<int:pk>/upload/", views.file_upload_view, name="upload"),
    path("documents/<int:pk>/move/", views.document_move_view, name="move"),
    path("documents/<int:pk>/files/<int:file_pk>/", views.file_download, name="download"),
    path("meetings/<int:pk>/papers/add/", views.paper_add, name="paper_add"),
    path(
        "meetings/<int:pk>/papers/<int:item_pk>/<int:document_pk>/remove/",
        views.paper_remove,
        name="paper_remove",
    ),
    path("engagements/", views.engagement_index, name="engagements_index"),
    path("networks/<slug:slug>/engagements/", views.engagement_list, name="engagements"),
    path(
        "networks/<slug:slug>/engagements/new/",
        views.engagement_create,
        name="engagement_create",
    ),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/edit/", views.engagement_edit, name="engagement_edit"),
]
