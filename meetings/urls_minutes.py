"""URLs of the meetings' minutes pages (their own module: see meetings/urls.py)."""

from django.urls import path

from .views import actions, minutes

urlpatterns = [
    path("meetings/<int:pk>/minutes/edit/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "meetings/<int:pk>/minutes/circulate/",
        minutes.minutes_circulate,
        name="minutes_circulate",
    ),
    path("meetings/<int:pk>/minutes/withdraw/", minutes.minutes_withdraw, name="minutes_withdraw"),
    path("meetings/<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/comment/", minutes.minutes_comment, name="minutes_comment"),
    path("meetings/<int:pk>/minutes/versions/", minutes.minutes_versions, name="minutes_versions"),
    path("meetings/<int:pk>/minutes/compare/", minutes.minutes_diff, name="minutes_diff"),
    path("meetings/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path(
        "action-points/<int:pk>/done/",
        minutes.action_point_done,
        name="action_point_done",
    ),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
]
