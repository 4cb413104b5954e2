"""An agenda item's papers picked from the register: whoever manages the
meeting (its network's secretariat and chair) adds a document of the
network's register to an item, or takes it off; the document stays one
record, so a later version reaches the meeting too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views_helpers import form_error, get_for_action
from meetings.models import AgendaItem, Meeting
from meetings.permissions import can as meetings_can
from meetings.permissions import visible_meetings
from members.roles import actor_for

from ..forms import PaperForm
from ..permissions import visible_documents
from ..services import paper_attach, paper_detach


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    actor = actor_for(request)
    return get_for_action(
        actor,
        visible_meetings(actor).select_related("network"),
        can=meetings_can,
        action="meeting.manage",
        pk=pk,
    )


def _back(meeting: Meeting) -> str:
    return f"{meeting.get_absolute_url()}#register-papers"


@login_required
def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    actor = actor_for(request)
    initial = {"item": request.GET.get("item")} if request.GET.get("item", "").isdigit() else {}
    form = PaperForm(request.POST or None, meeting=meeting, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        item, document = form.cleaned_data["item"], form.cleaned_data["document"]
        try:
            added = paper_attach(item=item, document=document, by=request.user)
        except DomainError as error:
            form_error(form, error)
        else:
            if added:
                messages.success(
                    request,
                    _("“%(document)s” is now a paper of “%(item)s”.")
                    % {"document": document.title, "item": item.title},
                )
            else:
                messages.info(request, _("It already was one of the item's papers."))
            return redirect(_back(meeting))
    return render(
        request,
        "documents/paper_form.html",
        {"form": form, "meeting": meeting, "back_url": _back(meeting)},
    )


@require_POST
@login_required
def paper_remove(request: HttpRequest, pk: int, item_pk: int, document_pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    document = get_object_or_404(visible_documents(actor_for(request)), pk=document_pk)
    if paper_detach(item=item, document=document, by=request.user):
        messages.success(
            request,
            _("“%(document)s” is no longer a paper of “%(item)s”; it stays in the register.")
            % {"document": document.title, "item": item.title},
        )
    return redirect(_back(meeting))
