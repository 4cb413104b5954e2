from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("decisions/<int:pk>/", views.decision_detail, name="detail"),
]
