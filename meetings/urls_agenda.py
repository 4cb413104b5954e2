"""URLs of the meetings' agenda pages (their own module: see meetings/urls.py)."""

from django.urls import path

from .views import agenda

urlpatterns = [
    path("meetings/<int:pk>/agenda/propose/", agenda.agenda_propose, name="agenda_propose"),
    path(
        "meetings/<int:pk>/agenda/items/<int:item_id>/decide/",
        agenda.agenda_decide,
        name="agenda_decide",
    ),
    path(
        "meetings/<int:pk>/agenda/items/<int:item_id>/paper/",
        agenda.agenda_paper,
        name="agenda_paper",
    ),
    path("meetings/<int:pk>/agenda/order/", agenda.agenda_reorder, name="agenda_reorder"),
    path("meetings/<int:pk>/agenda/circulate/", agenda.agenda_circulate, name="agenda_circulate"),
    path("meetings/<int:pk>/agenda.pdf", agenda.agenda_pdf, name="agenda_pdf"),
]
