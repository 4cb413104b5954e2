from django.urls import path

from . import views
from .views import follow_up

app_name = "decisions"

urlpatterns = [
    path("decisions/", views.decision_list, name="list"),
    path("networks/<slug:slug>/decisions/", views.network_decisions, name="network"),
    path("networks/<slug:slug>/decisions/new/", views.decision_create, name="create"),
    path("decisions/<int:pk>/", views.decision_detail, name="detail"),
    path("networks/<slug:slug>/implementation/", follow_up.implementation, name="implementation"),
    path("decisions/<int:pk>/actions/new/", follow_up.decision_action_new, name="action_new"),
    path(
        "decisions/<int:pk>/carry-out/<slug:what>/",
        follow_up.decision_carry_out,
        name="carry_out",
    ),
    path("decisions/<int:pk>/pdf/", views.decision_pdf, name="pdf"),
    path("decisions/<int:pk>/compare/", views.decision_compare, name="compare"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="edit"),
    path("decisions/<int:pk>/open/", views.decision_open, name="open"),
    path("decisions/<int:pk>/revise/", views.decision_revise, name="revise"),
    path("decisions/<int:pk>/close/", views.decision_close, name="close"),
    path("decisions/<int:pk>/withdraw/", views.decision_withdraw, name="withdraw"),
    path("decisions/<int:pk>/adopted/", views.decision_adopted, name="adopted"),
    path("decisions/<int:pk>/escalate/", views.escalation_start, name="escalate"),
    path(
        "decisions/<int:pk>/escalation/result/", views.escalation_result, name="escalation_result"
    ),
    path("decisions/<int:pk>/position/", views.position_state, name="position"),
    path("decisions/<int:pk>/positions/record/", views.position_record, name="record_position"),
]
