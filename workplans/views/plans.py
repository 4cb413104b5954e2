"""Workplan pages: the list, the monitoring page (objectives and activities,
roll-ups, the timeline), building a workplan (new, edit, objectives and their
order, activities, approve, close), the spreadsheet import and the exports.

Every view fetches and authorises in its first lines: a workplan the user may
not see is a 404, an action the user may not take on one they see is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.history import changes_for
from core.ordering import moved
from core.views_helpers import (
    form_error,
    form_page,
    get_for_action,
    paginate,
    querystring_without_page,
    require,
)
from members.models import Network
from members.roles import actor_for
from members.scope import list_scope

from .. import selectors
from ..filters import ActivityFilter, WorkplanFilter
from ..forms import (
    ActivityForm,
    ApproveForm,
    CloseForm,
    ImportForm,
    ObjectiveForm,
    WorkplanForm,
)
from ..models import (
    Activity,
    ActivityStatus,
    Objective,
    Workplan,
    WorkplanStatus,
)
from ..permissions import ACTIVITY_ACCESS, can, visible_activities, visible_workplans
from ..services import exports, imports, not_reported, plans

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- helpers -------------------------------------------------------------------------


def _visible_workplan_or_404(request: HttpRequest, pk: int) -> Workplan:
    return get_object_or_404(visible_workplans(actor_for(request)).select_related("network"), pk=pk)


def _managed_workplan(request: HttpRequest, pk: int) -> Workplan:
    """The workplan, if the user may see it (else 404) and manage it (else 403)."""
    actor = actor_for(request)
    return get_for_action(
        actor,
        visible_workplans(actor).select_related("network"),
        can=can,
        action="workplan.manage",
        pk=pk,
    )


def _closed(request: HttpRequest, workplan: Workplan) -> HttpResponse | None:
    """Back to the workplan with a message when it no longer changes."""
    if workplan.status != WorkplanStatus.CLOSED:
        return None
    messages.error(request, _("This workplan is closed: it no longer changes."))
    return redirect(workplan)


def _activity_filter(request: HttpRequest, workplan: Workplan) -> ActivityFilter:
    return ActivityFilter(
        request.GET or None,
        queryset=Activity.objects.filter(objective__workplan=workplan),
        workplan=workplan,
    )


def _shown_ids(filterset: ActivityFilter) -> set[int] | None:
    """The ids the filters let through; None when no filter is on."""
    if not filterset.active:
        return None
    return set(filterset.qs.order_by().values_list("pk", flat=True))


# --- the list and the monitoring page ---------------------------------------------------


@login_required
def workplan_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    data = request.GET.copy()
    if "network" not in data and request.network:
        data["network"] = str(request.network.pk)
    filterset = WorkplanFilter(data, queryset=selectors.workplan_list(visible_workplans(actor)))
    page = paginate(request, filterset.qs.order_by("-start_year", "-end_year", "title"))
    workplans = list(page.object_list)
    scope = list_scope(
        request,
        filterset,
        empty=not workplans,
        count_label=lambda n: ngettext("%(n)s workplan", "%(n)s workplans", n) % {"n": n},
    )
    rollups = selectors.list_rollups(workplans, timezone.localdate())
    network = request.network or None
    return render(
        request,
        "workplans/workplan_list.html",
        {
            "filter": filterset,
            "scope": scope,
            "page": page,
            "rows": [(w, rollups[w.pk]) for w in workplans],
            "querystring": querystring_without_page(request),
            "network": network,
            "can_create": network is not None and can(actor, "workplan.create", network),
        },
    )


@login_required
def workplan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _visible_workplan_or_404(request, pk)
    actor = actor_for(request)
    may_manage = can(actor, "workplan.manage", workplan)
    filterset = _activity_filter(request, workplan)
    today = timezone.localdate()
    page = selectors.plan_page(workplan=workplan, shown_ids=_shown_ids(filterset), today=today)
    editable = may_manage and workplan.status != WorkplanStatus.CLOSED
    # Who has not reported yet (one count query, for those who may remind them).
    monitor = (
        not_reported.monitor_link(workplan, today=today)
        if can(actor, "progress.monitor", workplan)
        else None
    )
    return render(
        request,
        "workplans/workplan_detail.html",
        {
            "workplan": workplan,
            "plan": page,
            "filter": filterset,
            "filters_on": filterset.active,
            "querystring": request.GET.urlencode(),
            "may_manage": may_manage,
            "may_edit": editable,
            "may_approve": may_manage and workplan.can_move_to(WorkplanStatus.APPROVED),
            "may_close": may_manage and workplan.can_move_to(WorkplanStatus.CLOSED),
            "statuses": ActivityStatus.choices,
            "objective_ids": [b.objective.pk for b in page.blocks],
            "today": today,
            "history": changes_for(workplan) if may_manage else None,
            "monitor": monitor,
        },
    )


# --- building a workplan --------------------------------------------------------------


@login_required
def workplan_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(can, actor_for(request), "workplan.create", network)
    year = timezone.localdate().year
    form = WorkplanForm(
        request.POST or None,
        initial={
            "title": _("Workplan of %(n)s") % {"n": network.short_name},
            "start_year": year,
            "end_year": year,
        },
    )
    created: list[Workplan] = []

    def save(f: WorkplanForm) -> None:
        created.append(plans.workplan_create(network=network, by=request.user, **f.cleaned_data))

    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The workplan was created as a draft: add its objectives and activities."),
            )
            return redirect(created[0])
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": _("New workplan of %(n)s") % {"n": network.short_name},
            "lead": _(
                "An annual or multi-year workplan. Build it here or import it from a spreadsheet; "
                "approve it once the network has."
            ),
            "back": network,
        },
    )


@login_required
def workplan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if closed := _closed(request, workplan):
        return closed
    return form_page(
        request,
        WorkplanForm(request.POST or None, workplan=workplan),
        save=lambda f: plans.workplan_update(workplan=workplan, by=request.user, **f.cleaned_data),
        done=workplan,
        message=_("Saved."),
        title=_("Edit %(w)s") % {"w": workplan},
        back=workplan,
    )


@login_required
def workplan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if not workplan.can_move_to(WorkplanStatus.APPROVED):
        messages.error(
            request,
            _("Only a draft workplan can be approved; this one is %(state)s.")
            % {"state": workplan.get_status_display().lower()},
        )
        return redirect(workplan)
    return form_page(
        request,
        ApproveForm(request.POST or None),
        save=lambda f: plans.workplan_approve(workplan=workplan, by=request.user, **f.cleaned_data),
        done=workplan,
        message=_("The workplan is approved."),
        title=_("Approve %(w)s") % {"w": workplan},
        lead=_("Record the approval the network gave: when, and by which decision or meeting."),
        back=workplan,
    )


@login_required
def workplan_close(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if not workplan.can_move_to(WorkplanStatus.CLOSED):
        messages.error(
            request,
            _("Only an approved workplan can be closed; this one is %(state)s.")
            % {"state": workplan.get_status_display().lower()},
        )
        return redirect(workplan)
    return form_page(
        request,
        CloseForm(request.POST if request.method == "POST" else None),
        save=lambda f: plans.workplan_close(workplan=workplan, by=request.user),
        done=workplan,
        message=_("The workplan is closed."),
        title=_("Close %(w)s") % {"w": workplan},
        lead=_(
            "A closed workplan stays readable with its progress, and no longer changes: "
            "no new activities, edits or imports."
        ),
        back=workplan,
    )


@login_required
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if closed := _closed(request, workplan):
        return closed
    return form_page(
        request,
        ObjectiveForm(request.POST or None),
        save=lambda f: plans.objective_create(workplan=workplan, by=request.user, **f.cleaned_data),
        done=f"{workplan.get_absolute_url()}#objectives",
        message=_("The objective was added."),
        title=_("New objective of %(w)s") % {"w": workplan},
        back=workplan,
    )


@login_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(
        Objective.objects.select_related("workplan__network").filter(
            workplan__in=visible_workplans(actor_for(request))
        ),
        pk=pk,
    )
    workplan = objective.workplan
    require(can, actor_for(request), "workplan.manage", workplan)
    if closed := _closed(request, workplan):
        return closed
    return form_page(
        request,
        ObjectiveForm(request.POST or None, objective=objective),
        save=lambda f: plans.objective_update(
            objective=objective, by=request.user, **f.cleaned_data
        ),
        done=f"{workplan.get_absolute_url()}#objective-{objective.pk}",
        message=_("Saved."),
        title=_("Edit objective %(code)s") % {"code": objective.code},
        back=workplan,
    )


@login_required
@require_POST
def objectives_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """The objectives' new order: the `objective` ids in order, and `move`
    ("12:up" or "12:down") from the buttons."""
    workplan = _managed_workplan(request, pk)
    try:
        ids = [int(v) for v in request.POST.getlist("objective")]
        move = request.POST.get("move", "")
        if move:
            ids = moved(ids, move)
    except ValueError:
        messages.error(request, _("That order could not be read: reload the page and try again."))
        return redirect(f"{workplan.get_absolute_url()}#objectives")
    try:
        plans.objectives_reorder(workplan=workplan, objective_ids=ids, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The order of the objectives was saved."))
    return redirect(f"{workplan.get_absolute_url()}#objectives")


@login_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if closed := _closed(request, workplan):
        return closed
    objectives = list(workplan.objectives.order_by("position", "code"))
    if not objectives:
        messages.info(request, _("Add an objective first: every activity serves one."))
        return redirect("workplans:objective_create", workplan.pk)
    chosen = next(
        (o for o in objectives if str(o.pk) == request.GET.get("objective", "")), objectives[0]
    )
    form = ActivityForm(request.POST or None, workplan=workplan, objective=chosen)

    def save(f: ActivityForm) -> Activity:
        return plans.activity_create(
            objective=f.cleaned_data["objective"],
            data=f.to_data(),
            by=request.user,
            context=f.context,
        )

    return form_page(
        request,
        form,
        save=save,
        done=f"{workplan.get_absolute_url()}#activities",
        message=lambda f: _("Activity %(code)s was added.") % {"code": f.cleaned_data["code"]},
        title=_("New activity of %(w)s") % {"w": workplan},
        back=workplan,
        template="workplans/activity_form.html",
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    activity = get_object_or_404(
        visible_activities(actor)
        .select_related("objective__workplan__network", "task_team")
        .prefetch_related(
            "task_team__co_chairs",
            "lead_organizations",
            "partner_organizations",
            "framework_objectives",
        ),
        pk=pk,
    )
    workplan = activity.objective.workplan
    require(can, actor, "activity.manage", activity)
    if closed := _closed(request, workplan):
        return closed
    limited = not can(actor, "workplan.manage", workplan)
    # Who leads, partners and reports stays with the secretariat (ACTIVITY_ACCESS).
    locked = ACTIVITY_ACCESS.locked(actor, can, activity)
    form = ActivityForm(
        request.POST or None,
        workplan=workplan,
        activity=activity,
        limited=limited,
        locked=locked,
    )

    def save(f: ActivityForm) -> Activity:
        return plans.activity_update(
            activity=activity,
            objective=f.cleaned_data["objective"],
            data=f.to_data(),
            by=request.user,
            context=f.context,
            locked=locked,
        )

    return form_page(
        request,
        form,
        save=save,
        done=f"{workplan.get_absolute_url()}#activity-{activity.pk}",
        message=_("Saved. Its progress stays as reported."),
        title=_("Edit activity %(code)s") % {"code": activity.code},
        back=workplan,
        template="workplans/activity_form.html",
    )


# --- import and export ---------------------------------------------------------------------


@login_required
def workplan_import(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if closed := _closed(request, workplan):
        return closed
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[imports.RowError] = []
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.workplan_import(
                workplan=workplan, name=upload.name, raw=upload.read(), by=request.user
            )
        except imports.ImportRefused as error:
            errors, refused = error.errors, error.message
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Imported %(rows)s rows: %(ac)s activities added, %(au)s updated; "
                    "%(oc)s objectives added, %(ou)s renamed."
                )
                % {
                    "rows": result.rows,
                    "ac": result.activities_created,
                    "au": result.activities_updated,
                    "oc": result.objectives_created,
                    "ou": result.objectives_updated,
                },
            )
            return redirect(workplan)
    return render(
        request,
        "workplans/workplan_import.html",
        {
            "workplan": workplan,
            "form": form,
            "errors": errors,
            "refused": refused,
            "file_name": request.FILES["file"].name if errors or refused else "",
            "columns": imports.COLUMNS,
            "example": imports.example_rows(workplan),
            "keys": imports.KEYS,
        },
    )


@login_required
def import_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    workplan = _managed_workplan(request, pk)
    if fmt == "csv":
        content, kind = imports.template_csv(workplan), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content, kind = imports.template_xlsx(workplan), XLSX
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="workplan-import-template.{fmt}"'
    return response


@login_required
def workplan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The activities the page's filters let through, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    workplan = _visible_workplan_or_404(request, pk)
    filterset = _activity_filter(request, workplan)
    activities = selectors.export_activities(workplan, _shown_ids(filterset))
    if fmt == "csv":
        response = HttpResponse(
            exports.activities_csv(activities), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.activities_xlsx(activities, workplan=workplan, filters=filterset.described()),
            content_type=XLSX,
        )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(workplan, fmt)}"'
    return response
