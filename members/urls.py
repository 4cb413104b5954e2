from django.urls import path, register_converter

from core.converters import TokenConverter

from . import views

register_converter(TokenConverter, "token")

app_name = "members"

urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<slug:slug>/people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/switch/", views.switch_network, name="switch_network"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path("networks/<slug:slug>/edit/", views.network_edit, name="network_edit"),
    path("networks/<slug:slug>/members/new/", views.membership_create, name="membership_create"),
    path("networks/<slug:slug>/chairs/new/", views.chair_term_create, name="chair_term_create"),
    path("networks/<slug:slug>/chairs/plan/", views.chair_plan, name="chair_plan"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("chairs/<int:pk>/edit/", views.chair_term_edit, name="chair_term_edit"),
    path("chairs/<int:pk>/narrative/", views.chair_term_narrative, name="chair_term_narrative"),
    path("apply/", views.apply_start, name="apply_start"),
    path("apply/<slug:slug>/", views.apply_form, name="apply_form"),
    path("apply/<slug:slug>/check/", views.apply_check, name="apply_check"),
    path("application/<token:token>/", views.application_status, name="application_status"),
    path(
        "application/<token:token>/documents/<int:doc_id>/",
        views.application_document_by_token,
        name="application_document_by_token",
    ),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/documents/<int:doc_id>/",
        views.application_document,
        name="application_document",
    ),
]
