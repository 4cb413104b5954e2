"""Carrying decisions out: the network's implementation page (every
follow-up action, from its meetings and its decisions, overdue first, with
filters and a CSV/XLSX export), adding an action to an adopted decision,
and doing what the decision decided about the records it concerns (admit
the applicant, approve the workplan, establish the task team)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views_helpers import form_error, paginate, querystring_without_page, require
from meetings.models import ACTION_POINT_PENDING
from meetings.permissions import visible_action_points
from members.models import Membership, Network, Organization
from members.roles import actor_for

from ..filters import ImplementationFilter
from ..permissions import can, reads_network, visible_decisions
from ..services import follow_up
from .exports import FORMATS, export_response

PER_PAGE = 100


class DecisionActionForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Action"), max_length=500)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"), queryset=Organization.objects.none()
    )
    due = forms.DateField(
        label=gettext_lazy("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.current().filter(network=network).values("organization_id")
        field = self.fields["owner"]
        field.queryset = Organization.objects.filter(pk__in=members).order_by("acronym")
        field.label_from_instance = lambda o: f"{o.acronym} — {o.name}"


def action_form_for(decision) -> DecisionActionForm:
    return DecisionActionForm(network=decision.network)


# --- the implementation page -------------------------------------------------------------


def _network_actions(actor, network: Network):
    today = timezone.localdate()
    return (
        visible_action_points(actor)
        .filter(network=network)
        .select_related("owner", "meeting", "decision_link__decision")
        .annotate(
            late=Case(
                When(status__in=ACTION_POINT_PENDING, due__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("late", F("due").asc(nulls_last=True), "pk")
    )


@login_required
def implementation(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    network = get_object_or_404(Network, slug=slug)
    actions = _network_actions(actor, network)
    if not reads_network(actor, network.pk):
        raise Http404
    filterset = ImplementationFilter(request.GET or None, queryset=actions, network=network)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return _export(filterset, network, fmt)
    page = paginate(request, filterset.qs, per_page=PER_PAGE)
    today = timezone.localdate()
    rows = list(page.object_list)
    for point in rows:
        point.overdue = point.is_overdue(today)
    return render(
        request,
        "decisions/implementation.html",
        {
            "network": network,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "querystring": querystring_without_page(request),
            "export_query": querystring_without_page(request),
        },
    )


def _export_rows(points) -> list[list[object]]:
    today = timezone.localdate()
    rows = []
    for p in points:
        link = getattr(p, "decision_link", None)
        rows.append(
            [
                p.description,
                p.owner.acronym,
                p.due,
                str(p.get_status_display()),
                str(_("yes")) if p.is_overdue(today) else "",
                p.meeting.title if p.meeting else "",
                p.meeting.start.date() if p.meeting else None,
                link.decision.reference or link.decision.title if link else "",
                p.done_at,
                p.drop_reason,
            ]
        )
    return rows


EXPORT_HEADERS = [
    gettext_lazy("Action"),
    gettext_lazy("Owner"),
    gettext_lazy("Due"),
    gettext_lazy("Status"),
    gettext_lazy("Overdue"),
    gettext_lazy("Meeting"),
    gettext_lazy("Meeting date"),
    gettext_lazy("Decision"),
    gettext_lazy("Done"),
    gettext_lazy("Dropped because"),
]
EXPORT_WIDTHS = [60, 12, 12, 14, 9, 36, 12, 22, 18, 40]


def _export(filterset, network: Network, fmt: str) -> HttpResponse:
    return export_response(
        fmt=fmt,
        network=network,
        filterset=filterset,
        stem="implementation",
        title=_("Actions"),
        headers=EXPORT_HEADERS,
        rows_of=_export_rows,
        items=list(filterset.qs),
        widths=EXPORT_WIDTHS,
    )


# --- an adopted decision's follow-up -----------------------------------------------------


def _decision_or_404(actor, pk: int):
    return get_object_or_404(
        visible_decisions(actor).select_related(
            "network", "application", "workplan", "related_task_team"
        ),
        pk=pk,
    )


@login_required
@require_POST
def decision_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    decision = _decision_or_404(actor, pk)
    require(can, actor, "decision.manage", decision)
    form = DecisionActionForm(request.POST, network=decision.network)
    if form.is_valid():
        data = form.cleaned_data
        try:
            follow_up.decision_action_create(
                decision=decision,
                description=data["description"],
                owner=data["owner"],
                due=data["due"],
                by=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Action added for %(agency)s: its focal points see it on their dashboard.")
                % {"agency": data["owner"].acronym},
            )
            return redirect(decision.get_absolute_url() + "#follow-up")
    return render(
        request,
        "decisions/action_form.html",
        {"decision": decision, "form": form},
        status=200,
    )


CARRY_OUT = {
    "admit": (follow_up.decision_admit, gettext_lazy("The applicant is admitted as decided.")),
    "approve-workplan": (
        follow_up.decision_approve_workplan,
        gettext_lazy("The workplan is approved as decided."),
    ),
    "establish-task-team": (
        follow_up.decision_establish_task_team,
        gettext_lazy("The task team is established as decided."),
    ),
}


@login_required
@require_POST
def decision_carry_out(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    if what not in CARRY_OUT:
        raise Http404
    actor = actor_for(request)
    decision = _decision_or_404(actor, pk)
    require(can, actor, "decision.manage", decision)
    service, done = CARRY_OUT[what]
    try:
        service(decision=decision, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(done))
    return redirect(decision.get_absolute_url() + "#follow-up")


def follow_up_context(actor, decision) -> dict:
    """What the decision page shows under "Follow-up": its actions (two
    queries), what it did to the records it concerns, and for managers the
    carry-out buttons and the form to add an action."""
    today = timezone.localdate()
    points = list(
        decision.actions.select_related("owner").order_by(F("due").asc(nulls_last=True), "pk")
    )
    for point in points:
        point.overdue = point.is_overdue(today)
    results = []
    application = decision.application
    if application is not None and application.status == "admitted" and application.organization_id:
        results.append(
            (
                _("%(org)s was admitted on this decision.") % {"org": application.org_acronym},
                application.get_absolute_url(),
            )
        )
    if decision.workplan is not None and decision.workplan.approval_reference == decision.reference:
        results.append(
            (_("The workplan was approved on this decision."), decision.workplan.get_absolute_url())
        )
    team = decision.related_task_team
    if team is not None and team.status != "proposed" and decision.status == "adopted":
        results.append(
            (_("%(team)s was established.") % {"team": team.name}, team.get_absolute_url())
        )
    may_manage = can(actor, "decision.manage", decision)
    return {
        "actions": points,
        "results": results,
        "may_manage": may_manage,
        "carry_out": follow_up.carry_out_choices(decision) if may_manage else {},
        "form": action_form_for(decision) if may_manage and decision.status == "adopted" else None,
    }
