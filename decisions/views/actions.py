"""What is done to a decision: draft it, edit the draft, open it, revise it,
close it early, withdraw it, record it as adopted at a meeting, escalate it,
and state or record the agencies' positions.

Each view fetches and authorises first (404 for a decision the user may not
see, 403 for an action they may not take), then calls one service; a
DomainError lands on the form with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views_helpers import deny_unless, form_error, require
from members.models import Network, Organization
from members.roles import actor_for

from .. import selectors
from ..forms import (
    AdoptedForm,
    DecisionForm,
    EditDraftForm,
    EscalationResultForm,
    OpenForm,
    PositionForm,
    ReasonForm,
    RecordPositionForm,
    ReviseForm,
    default_deadline,
)
from ..models import Decision, DecisionStatus, EscalationOutcome, Procedure
from ..permissions import can, position_agency_ids
from ..services import escalation, positions, register
from .decisions import visible_decision_or_404

FORM = "decisions/decision_form.html"


def _managed(request: HttpRequest, pk: int) -> Decision:
    decision = visible_decision_or_404(request, pk)
    require(can, actor_for(request), "decision.manage", decision)
    return decision


def _not_now(request: HttpRequest, decision: Decision, allowed: bool, message: str):
    """Back to the decision with a message when the move does not apply to
    it in its state."""
    if allowed:
        return None
    messages.error(request, message)
    return redirect(decision)


def _form_page(
    request: HttpRequest,
    decision: Decision | None,
    form,
    *,
    save: Callable,
    message: str,
    title: str,
    lead: str = "",
    back=None,
    on_error: Callable | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """On a valid POST call `save(form)` (which returns where to go), say
    `message` and go there; a DomainError lands on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            done = save(form)
        except DomainError as error:
            form_error(form, error)
            if on_error:
                on_error(form, error)
        else:
            messages.success(request, message)
            return redirect(done)
    context = {
        "form": form,
        "decision": decision,
        "title": title,
        "lead": lead,
        "back": back or decision,
        **(extra or {}),
    }
    return render(request, FORM, context)


# --- drafting ------------------------------------------------------------------------------


@login_required
def decision_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    deny_unless(
        can(actor_for(request), "decision.create", network_id=network.pk), "decision.create"
    )
    form = DecisionForm(request.POST or None, network=network)
    return _form_page(
        request,
        None,
        form,
        save=lambda f: register.decision_create(
            network=network, by=request.user, **f.service_kwargs()
        ),
        message=_("The decision is saved as a draft: only the chair and the secretariat see it."),
        title=_("New decision of %(network)s") % {"network": network.short_name},
        lead=_(
            "Write the text the members decide on. It stays a draft until you open it for "
            "positions, or record it as adopted at a meeting."
        ),
        back=network,
    )


def _conflict(decision: Decision):
    """After a stale save: the form keeps the text typed and now expects the
    current version, which the page shows beside it."""

    def keep(form, error) -> None:
        decision.refresh_from_db()
        form.data = form.data.copy()
        form.data["expected_version"] = str(decision.version)

    return keep


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    if back := _not_now(
        request,
        decision,
        decision.status == DecisionStatus.DRAFT,
        _("Only a draft is edited; revise an open decision instead."),
    ):
        return back
    form = EditDraftForm(
        request.POST or None,
        initial={
            "title": decision.title,
            "text": decision.text,
            "expected_version": decision.version,
        },
    )
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: register.decision_edit_draft(
            decision=decision,
            title=f.cleaned_data["title"],
            text=f.cleaned_data["text"],
            expected_version=f.cleaned_data["expected_version"],
            by=request.user,
        ),
        message=_("The draft is saved."),
        title=_("Edit the draft"),
        on_error=_conflict(decision),
        extra={"current": decision},
    )


# --- opening, revising, closing -----------------------------------------------------------


@login_required
def decision_open(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    if back := _not_now(
        request,
        decision,
        decision.status == DecisionStatus.DRAFT and decision.procedure != Procedure.MEETING,
        _("Only a draft of a written consultation or a silence procedure is opened."),
    ):
        return back
    network = decision.network
    form = OpenForm(
        request.POST or None,
        network=network,
        initial={"deadline": default_deadline(network, decision.procedure)},
    )
    hours = register.silence_hours(network)
    lead = (
        _(
            "The text is adopted at the deadline unless a member agency objects. A silence "
            "procedure lasts at least %(hours)s hours."
        )
        % {"hours": hours}
        if decision.procedure == Procedure.SILENCE
        else _("Each member agency of the deciding body states its position until the deadline.")
    )
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: register.decision_open(
            decision=decision, deadline=f.cleaned_data["deadline"], by=request.user
        ),
        message=_("The decision is open: the member agencies are asked for their positions."),
        title=_("Open the decision for positions"),
        lead=lead,
    )


@login_required
def decision_revise(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    if back := _not_now(
        request,
        decision,
        decision.status in (DecisionStatus.OPEN, DecisionStatus.NO_CONSENSUS),
        _("Only an open decision, or one without consensus, is revised."),
    ):
        return back
    network = decision.network
    form = ReviseForm(
        request.POST or None,
        network=network,
        initial={
            "title": decision.title,
            "text": decision.text,
            "expected_version": decision.version,
            "deadline": default_deadline(network, decision.procedure),
        },
    )
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: register.decision_revise(
            decision=decision,
            title=f.cleaned_data["title"],
            text=f.cleaned_data["text"],
            note=f.cleaned_data["note"],
            deadline=f.cleaned_data["deadline"],
            expected_version=f.cleaned_data["expected_version"],
            by=request.user,
        ),
        message=_(
            "The new version is open with its new deadline: positions on the earlier version "
            "no longer count."
        ),
        title=_("Revise the text"),
        lead=_(
            "A revision is a new version: the deadline starts again and every agency answers it."
        ),
        on_error=_conflict(decision),
        extra={"current": decision},
    )


def _closed_early(request: HttpRequest, decision: Decision, reason: str) -> Decision:
    register.decision_close(
        decision=decision, now=timezone.now(), by=request.user, early_reason=reason
    )
    return decision


@login_required
def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    if back := _not_now(
        request,
        decision,
        decision.status == DecisionStatus.OPEN,
        _("Only an open decision is closed."),
    ):
        return back
    form = ReasonForm(request.POST or None)
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: _closed_early(request, decision, f.cleaned_data["reason"]),
        message=_("The decision is closed before its deadline."),
        title=_("Close before the deadline"),
        lead=_(
            "The positions on the current version decide: adopted if no member agency objects, "
            "otherwise no consensus."
        ),
    )


@login_required
def decision_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    if back := _not_now(
        request,
        decision,
        decision.can_move_to(DecisionStatus.WITHDRAWN),
        _("This decision can no longer be withdrawn."),
    ):
        return back
    form = ReasonForm(request.POST or None)
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: register.decision_withdraw(
            decision=decision, reason=f.cleaned_data["reason"], by=request.user
        ),
        message=_("The decision is withdrawn."),
        title=_("Withdraw the decision"),
    )


@login_required
def decision_adopted(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    if back := _not_now(
        request,
        decision,
        decision.procedure == Procedure.MEETING and decision.can_move_to(DecisionStatus.ADOPTED),
        _("Only a decision taken at a meeting is recorded as adopted."),
    ):
        return back
    initial = {"on": decision.meeting.start.date() if decision.meeting else timezone.localdate()}
    form = AdoptedForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: register.decision_record_adopted(
            decision=decision, on=f.cleaned_data["on"], by=request.user
        ),
        message=_("The decision is recorded as adopted, with its reference number."),
        title=_("Record as adopted at a meeting"),
    )


# --- escalation ----------------------------------------------------------------------------


@login_required
@require_POST
def escalation_start(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    try:
        step = escalation.escalation_start(decision=decision, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Step started: %(step)s") % {"step": step.title})
    return redirect(decision)


@login_required
def escalation_result(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _managed(request, pk)
    step = decision.escalation.filter(outcome=EscalationOutcome.PENDING).first()
    if back := _not_now(request, decision, step is not None, _("No escalation step is under way.")):
        return back
    form = EscalationResultForm(request.POST or None)
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: (
            escalation.escalation_record(
                step=step,
                outcome=f.cleaned_data["outcome"],
                result=f.cleaned_data["result"],
                by=request.user,
            ).decision
        ),
        message=_("The result of the step is recorded."),
        title=_("Record the result: %(step)s") % {"step": step.title},
    )


# --- positions -----------------------------------------------------------------------------


def _stated(request: HttpRequest, decision: Decision, form, *, received_by: str = "") -> Decision:
    positions.position_state(
        decision=decision,
        actor=actor_for(request),
        organization_id=form.cleaned_data["organization"],
        stance=form.cleaned_data["stance"],
        statement=form.cleaned_data["statement"],
        by=request.user,
        received_by=received_by,
    )
    return decision


@login_required
def position_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's agency states (or changes) its position."""
    decision = visible_decision_or_404(request, pk)
    actor = actor_for(request)
    require(can, actor, "position.state", decision)
    agencies = list(
        Organization.objects.filter(pk__in=position_agency_ids(actor, decision)).order_by("acronym")
    )
    tally = selectors.tally(decision)
    initial = {}
    if len(agencies) == 1 and (current := tally.of(agencies[0].pk)):
        initial = {"stance": current.stance, "statement": current.statement}
    form = PositionForm(request.POST or None, agencies=agencies, initial=initial)
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: _stated(request, decision, f),
        message=_("Your agency's position is recorded. You can change it until the deadline."),
        title=_("State your agency's position"),
        lead=_("Consensus means no objection: an objection blocks the decision."),
        extra={"show_text": True, "mine": [(o, tally.of(o.pk)) for o in agencies]},
    )


@login_required
def position_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair or the secretariat records a position received for an agency."""
    decision = visible_decision_or_404(request, pk)
    require(can, actor_for(request), "position.record", decision)
    agencies = selectors.body_agencies(decision)
    form = RecordPositionForm(request.POST or None, agencies=agencies)
    return _form_page(
        request,
        decision,
        form,
        save=lambda f: _stated(request, decision, f, received_by=f.cleaned_data["received_by"]),
        message=_("The position is recorded for the agency, with how it was received."),
        title=_("Record a position for an agency"),
        lead=_("For a position received by e-mail or given at a meeting: the record says so."),
        extra={"show_text": True},
    )
