"""A follow-up action's page: what is to be done, by whom and when, where
it was agreed (a meeting, a decision), its status and progress notes; its
owner agency and the chair and secretariat update it here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.limits import up_to
from core.views_helpers import form_error, get_visible_or_404, paginate, require
from members.roles import actor_for

from ..models import ACTION_NOTE_MAX_CHARS, ActionPointStatus
from ..permissions import can, visible_action_points
from ..services import actions


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionPointStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Progress note"),
        required=False,
        max_length=ACTION_NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=up_to(ACTION_NOTE_MAX_CHARS),
    )
    drop_reason = forms.CharField(
        label=gettext_lazy("Why is it dropped?"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Needed only when the action is dropped."),
    )


def _action_or_404(actor, pk: int):
    return get_visible_or_404(
        visible_action_points(actor).select_related(
            "network", "owner", "meeting", "decision_link__decision"
        ),
        pk=pk,
    )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    point = _action_or_404(actor, pk)
    may_update = can(actor, "action.update", point)
    form = None
    if request.method == "POST":
        require(can, actor, "action.update", point)
        form = ActionUpdateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            speaks = [
                a.organization_id for a in actor.affiliations if a.organization_id == point.owner_id
            ]
            try:
                actions.action_update(
                    action=point,
                    status=data["status"],
                    note=data["note"],
                    drop_reason=data["drop_reason"],
                    by=request.user,
                    organization_id=speaks[0] if speaks else None,
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Saved: the action is %(status)s.")
                    % {"status": point.get_status_display().lower()},
                )
                return redirect(point.get_absolute_url())
    elif may_update:
        form = ActionUpdateForm(initial={"status": point.status, "drop_reason": point.drop_reason})
    return render(
        request,
        "meetings/action_detail.html",
        {
            "point": point,
            "form": form,
            # The newest first, fifty a page: a long-running action's page
            # stays the same size however many notes it gathers.
            "page": paginate(request, point.notes.select_related("author", "organization")),
            "overdue": point.is_overdue(),
        },
    )
