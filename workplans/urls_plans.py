"""URLs of the workplans' plans pages (their own module: see workplans/urls.py)."""

from django.urls import path

from .views import plans

urlpatterns = [
    path("workplans/", plans.workplan_list, name="list"),
    path("networks/<slug:slug>/workplans/new/", plans.workplan_create, name="create"),
    path("workplans/<int:pk>/", plans.workplan_detail, name="detail"),
    path("workplans/<int:pk>/edit/", plans.workplan_edit, name="edit"),
    path("workplans/<int:pk>/approve/", plans.workplan_approve, name="approve"),
    path("workplans/<int:pk>/close/", plans.workplan_close, name="close"),
    path("workplans/<int:pk>/objectives/new/", plans.objective_create, name="objective_create"),
    path(
        "workplans/<int:pk>/objectives/order/", plans.objectives_reorder, name="objective_reorder"
    ),
    path("objectives/<int:pk>/edit/", plans.objective_edit, name="objective_edit"),
    path("workplans/<int:pk>/activities/new/", plans.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", plans.activity_edit, name="activity_edit"),
    path("workplans/<int:pk>/import/", plans.workplan_import, name="import"),
    path(
        "workplans/<int:pk>/import/template.<str:fmt>",
        plans.import_template,
        name="import_template",
    ),
    path("workplans/<int:pk>/activities.<str:fmt>", plans.workplan_export, name="export"),
]
