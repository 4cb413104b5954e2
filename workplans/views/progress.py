"""Progress pages: the activity page (details, the history as a table and a
chart, the log-progress link), logging an update, downloading its evidence,
a focal point's own activities, and a quarter's updates as one spreadsheet.

Each view fetches the activity through `visible_activities` (404 for what the
user may not see) and asks `can(actor, "progress.log", activity)` before a
write (403 for what they may see but not report on)."""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import files
from core.errors import DomainError
from core.limits import up_to
from core.views_helpers import deny_unless, form_error, paginate, querystring_without_page, require
from members.models import Network, Organization
from members.roles import Actor, actor_for
from members.scope import list_scope, your_networks

from ..charts import STATUS_COLOURS, decreases, legend, progress_chart
from ..models import DECREASE_REASON_MAX_CHARS, Activity, ActivityStatus, WorkplanStatus
from ..permissions import can, reporting_organization_ids
from ..services import progress
from ..services import progress_import as importing
from ..services.progress import Period

QUARTERS = [(q, f"Q{q}") for q in range(1, 5)]
MY_ACTIVITIES_PER_PAGE = 100

# --- forms --------------------------------------------------------------------------------


def _organization_field(organizations: QuerySet[Organization], form: forms.Form) -> None:
    """The agency reported for: a choice when the actor reports for several,
    fixed (and said in the page's lead) when for one."""
    field = form.fields["organization"]
    field.queryset = organizations
    field.label_from_instance = lambda o: f"{o.acronym} — {o.name}"
    if len(organizations) == 1:
        field.widget = forms.HiddenInput()
        form.initial.setdefault("organization", organizations[0].pk)


class ProgressForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Reporting for"), queryset=Organization.objects.none()
    )
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), coerce=int, choices=QUARTERS)
    percent_complete = forms.IntegerField(
        label=gettext_lazy("Percent complete"), min_value=0, max_value=100
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActivityStatus.choices)
    narrative = forms.CharField(
        label=gettext_lazy("What was done in the quarter"),
        max_length=progress.NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=up_to(progress.NARRATIVE_MAX_CHARS),
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Evidence (link)"),
        required=False,
        max_length=progress.EVIDENCE_URL_MAX_CHARS,
        assume_scheme="https",
        help_text=gettext_lazy("A report, a page or a folder that shows the progress."),
    )
    evidence_file = forms.FileField(
        label=gettext_lazy("Evidence (file)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(progress.EVIDENCE_SUFFIXES)}),
    )
    decrease_reason = forms.CharField(
        label=gettext_lazy("Why did progress go down?"),
        required=False,
        max_length=DECREASE_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: a figure reported too high before, or work that has to be done again. "
            "It is shown with the update and on the chart."
        ),
    )

    def __init__(
        self,
        *args,
        activity: Activity,
        organizations: QuerySet[Organization],
        today=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.today = today or timezone.localdate()
        current = Period.of(self.today)
        _organization_field(organizations, self)
        years = range(current.year, activity.start.year - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["evidence_file"].help_text = _(
            "PDF, Office or OpenDocument file, PNG or JPEG picture; up to %(mb)s MB."
        ) % {"mb": progress.evidence_max_bytes() // (1024 * 1024)}
        if not self.is_bound:
            self.initial.update(
                year=current.year,
                quarter=current.quarter,
                percent_complete=activity.percent_complete,
                status=activity.status,
            )

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            problem = progress.evidence_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("year") is None or data.get("quarter") is None:
            return data
        problems = progress.progress_problems(
            activity=self.activity,
            period=Period(data["year"], data["quarter"]),
            percent_complete=data.get("percent_complete"),
            status=data.get("status", ""),
            narrative=data.get("narrative", ""),
            evidence_url=data.get("evidence_url", ""),
            today=self.today,
        )
        if not any(p.field in ("year", "quarter") for p in problems):
            self.before = progress.counting_figure(self.activity, self.period_of(data))
            problem = progress.decrease_problem(
                before=self.before,
                percent_complete=data.get("percent_complete"),
                decrease_reason=data.get("decrease_reason", ""),
            )
            if problem:
                problems.append(problem)
        for problem in problems:
            # A field already refused says so once, in its own words.
            if problem.field not in self.errors:
                self.add_error(
                    problem.field if problem.field in self.fields else None, problem.message
                )
        return data

    @staticmethod
    def period_of(data) -> Period:
        return Period(data["year"], data["quarter"])

    def period(self) -> Period:
        return self.period_of(self.cleaned_data)

    def goes_down(self) -> bool:
        """The submitted figure is lower than the one that counted before."""
        return self.is_bound and progress.is_decrease(
            getattr(self, "before", None), self.cleaned_data.get("percent_complete")
        )


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Agency"), queryset=Organization.objects.none()
    )
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), coerce=int, choices=QUARTERS)
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("The template, filled in: .xlsx or .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, organizations: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        current = Period.of(self.today)
        _organization_field(organizations, self)
        self.fields["year"].choices = [
            (y, str(y)) for y in range(current.year, current.year - 6, -1)
        ]
        if not self.is_bound:
            self.initial.update(year=current.year, quarter=current.quarter)

    def clean(self):
        data = super().clean()
        if data.get("year") is not None and data.get("quarter") is not None:
            problem = progress.period_problem(self.period(), today=self.today)
            if problem:
                self.add_error(problem.field, problem.message)
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["year"], self.cleaned_data["quarter"])


class MyActivitiesFilter(django_filters.FilterSet):
    network = django_filters.ModelChoiceFilter(
        field_name="objective__workplan__network",
        queryset=Network.objects.in_display_order(),
        label=gettext_lazy("Network"),
        empty_label=gettext_lazy("All my networks"),
    )
    q = django_filters.CharFilter(label=gettext_lazy("Code or title"), method="search")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ActivityStatus.choices
    )
    update = django_filters.ChoiceFilter(
        choices=[("missing", gettext_lazy("Missing")), ("logged", gettext_lazy("Logged"))],
        method="filter_update",
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args, period: Period | None = None, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        period = period or Period.current()
        self.filters["update"].label = _("Update for %(period)s") % {"period": period}
        if networks is not None:  # the user's own networks (members.scope)
            self.filters["network"].queryset = networks

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))

    def filter_update(self, queryset, name, value):
        if value == "missing":
            return queryset.filter(missing=True)
        return queryset.filter(reported=True)


# --- helpers ------------------------------------------------------------------------------


def _visible_activity_or_404(actor: Actor, pk: int) -> Activity:
    return get_object_or_404(progress.activity_for_page(actor), pk=pk)


def _reporting_organizations(actor: Actor, activity: Activity) -> QuerySet[Organization]:
    ids = reporting_organization_ids(actor, activity)
    return Organization.objects.filter(pk__in=ids).order_by("acronym")


# --- the activity page --------------------------------------------------------------------


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    activity = _visible_activity_or_404(actor, pk)
    updates = progress.activity_updates(activity)
    marks = {u.pk: n for n, u in decreases(updates)}
    for update in updates:
        update.decrease_number = marks.get(update.pk)
        update.colour = STATUS_COLOURS.get(update.status)
        update.activity = activity  # joined: no query per update
        update.evidence_visible = can(actor, "progress.view_evidence", update)
    current = Period.current()
    workplan = activity.objective.workplan
    # A closed workplan takes no more updates (services.progress).
    may_log = can(actor, "progress.log", activity) and workplan.status != WorkplanStatus.CLOSED
    chart = (
        progress_chart(
            updates,
            first=Period.of(activity.start),
            last=Period.of(activity.end),
            current=current,
        )
        if updates
        else None
    )
    leads = sorted(activity.lead_organizations.all(), key=lambda o: o.acronym)
    return render(
        request,
        "workplans/activity_detail.html",
        {
            "activity": activity,
            "colour": STATUS_COLOURS.get(activity.status),
            "objective": activity.objective,
            "workplan": workplan,
            "may_manage": can(actor, "activity.manage", activity),
            "history": progress.activity_history(activity)
            if can(actor, "activity.manage", activity)
            else None,
            "leads": leads,
            "partners": sorted(
                (o for o in activity.partner_organizations.all() if o not in leads),
                key=lambda o: o.acronym,
            ),
            "framework_objectives": list(activity.framework_objectives.all()),
            "updates": updates,
            "decreases": decreases(updates),
            "chart": chart,
            "legend": legend(),
            "current": current,
            "missing_now": progress.is_due(activity, current)
            and not any(progress.period_of(u) == current for u in updates),
            "may_log": may_log,
        },
    )


@login_required
def progress_log(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    activity = _visible_activity_or_404(actor, pk)
    require(can, actor, "progress.log", activity)
    organizations = _reporting_organizations(actor, activity)
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        activity=activity,
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = progress.progress_log(
                activity=activity,
                actor=actor,
                organization=data["organization"],
                period=form.period(),
                percent_complete=data["percent_complete"],
                status=data["status"],
                narrative=data["narrative"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"] or None,
                decrease_reason=data["decrease_reason"],
                by=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you: the progress of %(code)s for %(period)s is logged.")
                % {"code": activity.code, "period": update.period},
            )
            return redirect(activity)
    updates = list(
        activity.updates.select_related("organization").order_by(
            "-year", "-quarter", "-created_at", "-pk"
        )
    )
    latest = updates[0] if updates else None
    return render(
        request,
        "workplans/progress_form.html",
        {
            "activity": activity,
            "form": form,
            "organizations": organizations,
            "latest": latest,
            # The figure that counts in each reported quarter (its newest
            # update), so that the page can ask for a reason as soon as a
            # lower one is typed (static/js/progress.js); the form checks it again.
            "counting": json.dumps(
                {f"{u.year}-{u.quarter}": u.percent_complete for u in reversed(updates)}
            ),
            "show_reason": bool(
                form.is_bound and (form.goes_down() or form["decrease_reason"].value())
            ),
            "current": Period.current(),
            "starts_later": activity.start.year > Period.current().year,
        },
    )


@login_required
def progress_evidence(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    """Evidence files are not public media: they are downloaded here by
    those the update's reporting concerns (permissions.may_view_evidence);
    anyone else gets a 404, as for a file that is not there."""
    actor = actor_for(request)
    activity = _visible_activity_or_404(actor, pk)
    update = get_object_or_404(activity.updates, pk=update_id)
    update.activity = activity
    if not update.evidence_file or not can(actor, "progress.view_evidence", update):
        raise Http404
    return files.stored_file_response(update.evidence_file, name=update.evidence_file_name)


# --- a focal point's activities -----------------------------------------------------------


@login_required
def my_activities(request: HttpRequest) -> HttpResponse:
    """The activities of the actor's agencies, those with no update for the
    current quarter first, each with its one-click "log progress" link."""
    actor = actor_for(request)
    current = Period.current()
    activities = progress.my_activities(actor, period=current)
    data = request.GET.copy()
    if "network" not in data and request.network:
        data["network"] = str(request.network.pk)
    filterset = MyActivitiesFilter(
        data, queryset=activities, period=current, networks=your_networks(actor)
    )
    page = paginate(request, filterset.qs, per_page=MY_ACTIVITIES_PER_PAGE)
    scope = list_scope(
        request,
        filterset,
        empty=not page.object_list,
        count_label=lambda n: ngettext("%(n)s activity", "%(n)s activities", n) % {"n": n},
        network_field="objective__workplan__network_id",
    )
    # The counts above the list are of the network shown, whatever the other filters.
    if scope.network is not None:
        activities = activities.filter(objective__workplan__network=scope.network)
    filtered = any(v for k, v in filterset.form.cleaned_data.items() if k != "network")
    rows = []
    for activity in page:
        mine = reporting_organization_ids(actor, activity)
        leads = list(activity.lead_organizations.all())
        rows.append(
            {
                "activity": activity,
                "colour": STATUS_COLOURS.get(activity.status),
                "leads": leads,
                "partners": [o for o in activity.partner_organizations.all() if o not in leads],
                "mine": mine,
                "may_log": bool(mine)
                and activity.objective.workplan.status != WorkplanStatus.CLOSED,
                "last": Period(activity.last_year, activity.last_quarter)
                if activity.last_year
                else None,
            }
        )
    return render(
        request,
        "workplans/my_activities.html",
        {
            "filter": filterset,
            "scope": scope,
            "page": page,
            "rows": rows,
            "querystring": querystring_without_page(request),
            "current": current,
            "missing": activities.filter(missing=True).count(),
            # With no other filter, the paginator has counted them all already.
            "total": activities.count() if filtered else page.paginator.count,
            "may_import": any(r["may_log"] for r in rows),
        },
    )


# --- a quarter's updates as one spreadsheet -----------------------------------------------


@login_required
def progress_import(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    organizations = importing.reporting_organizations(actor)
    deny_unless(bool(organizations), "progress.import")
    queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by("acronym")
    form = ImportForm(request.POST or None, request.FILES or None, organizations=queryset)
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check, created = importing.progress_import(
                upload=data["file"],
                actor=actor,
                organization=data["organization"],
                period=form.period(),
                by=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            if created:
                message = ngettext(
                    "%(n)s update for %(period)s was logged for %(agency)s.",
                    "%(n)s updates for %(period)s were logged for %(agency)s.",
                    len(created),
                ) % {"n": len(created), "period": form.period(), "agency": data["organization"]}
                if check.skipped:
                    message += " " + ngettext(
                        "%(n)s row was left empty.", "%(n)s rows were left empty.", check.skipped
                    ) % {"n": check.skipped}
                messages.success(request, message)
                return redirect("workplans:mine")
    current = Period.current()
    return render(
        request,
        "workplans/progress_import.html",
        {
            "form": form,
            "check": check,
            "organizations": organizations,
            "current": current,
            "columns": importing.COLUMNS,
            "statuses": ActivityStatus.values,
        },
    )


@login_required
def progress_template(request: HttpRequest) -> HttpResponse:
    """The template for one agency and quarter: the activities the actor
    may report on for it, prefilled; `?format=csv` or `xlsx` (the default)."""
    actor = actor_for(request)
    organizations = {o.pk: o for o in importing.reporting_organizations(actor)}
    try:
        organization = organizations[int(request.GET.get("organization", ""))]
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    try:
        period = Period(int(request.GET["year"]), int(request.GET["quarter"]))
    except (KeyError, ValueError):
        period = Period.current()
    if progress.period_problem(period):
        period = Period.current()
    activities = importing.reportable_activities(actor, organization, due_in=period)
    name = f"progress-{slugify(organization.acronym)}-{period.slug}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            importing.template_csv(activities), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        importing.template_xlsx(activities, organization=organization, period=period),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
