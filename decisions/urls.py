from django.urls import path

from . import views
from .views import follow_up

app_name = "decisions"

urlpatterns = [
    path("decisions/<int:pk>/", views.decision_detail, name="detail"),
    path("networks/<slug:slug>/implementation/", follow_up.implementation, name="implementation"),
    path("decisions/<int:pk>/actions/new/", follow_up.decision_action_new, name="action_new"),
    path(
        "decisions/<int:pk>/carry-out/<slug:what>/",
        follow_up.decision_carry_out,
        name="carry_out",
    ),
]
