"""Forms of the workplan pages. Plain forms: the services write, and the
rules an activity must follow are checked by the service's own
`activity_problems`, so the form shows every broken rule on its field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import drop_fields
from core.limits import LONG_TEXT_MAX_CHARS, up_to
from members.models import Organization
from taskteams.models import TaskTeam

from .models import Activity, FrameworkObjective, Objective, Workplan
from .services import imports, plans

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkplanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start_year = forms.IntegerField(
        label=_("From year"), min_value=plans.MIN_YEAR, max_value=plans.MAX_YEAR
    )
    end_year = forms.IntegerField(
        label=_("To year"),
        min_value=plans.MIN_YEAR,
        max_value=plans.MAX_YEAR,
        help_text=_("The same year for an annual workplan."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=up_to(LONG_TEXT_MAX_CHARS),
    )

    def __init__(self, *args, workplan: Workplan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if workplan is not None and not self.is_bound:
            self.initial.update(
                title=workplan.title,
                start_year=workplan.start_year,
                end_year=workplan.end_year,
                description=workplan.description,
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("A workplan cannot end before it starts."))
        return data


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)
    approval_reference = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        help_text=_(
            "The decision or meeting that approved it, e.g. Executive Committee meeting of 12 March 2026."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["approved_on"] = timezone.localdate()

    def clean_approved_on(self):
        value = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A workplan cannot be approved in the future."))
        return value


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, close this workplan: it will no longer change."), required=True
    )


class ObjectiveForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. 1, or A"))
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=up_to(LONG_TEXT_MAX_CHARS),
    )

    def __init__(self, *args, objective: Objective | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if objective is not None and not self.is_bound:
            self.initial.update(
                code=objective.code, title=objective.title, description=objective.description
            )


class ActivityForm(forms.Form):
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none(), empty_label=None
    )
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. 1.2"))
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=up_to(LONG_TEXT_MAX_CHARS),
    )
    lead_organizations = forms.ModelMultipleChoiceField(
        label=_("Lead organizations"),
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Members of the network. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    partner_organizations = forms.ModelMultipleChoiceField(
        label=_("Partner organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    task_team = forms.ModelChoiceField(
        label=_("Task team"),
        queryset=TaskTeam.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End"), widget=DATE)
    indicator = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    target = forms.CharField(label=_("Target"), max_length=300, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        min_value=plans.MIN_WEIGHT,
        initial=1,
        help_text=_(
            "Its share in the objective's and the workplan's progress: 1 for all gives equal shares."
        ),
    )
    framework_objectives = forms.ModelMultipleChoiceField(
        label=_("Framework objectives"),
        queryset=FrameworkObjective.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The GCM objectives and SDG targets the activity serves."),
    )

    def __init__(
        self,
        *args,
        workplan: Workplan,
        activity: Activity | None = None,
        objective: Objective | None = None,
        limited: bool = False,
        locked: Iterable[str] = (),
        **kwargs,
    ):
        """`limited`: the editor manages the activity, not the workplan (a
        co-chair of its task team): the objective stays as it is.
        `locked`: the access fields the editor may not change
        (workplans.permissions.ACTIVITY_ACCESS); the form does not show
        them, and the activity keeps its values."""
        super().__init__(*args, **kwargs)
        self.workplan = workplan
        self.activity = activity
        self.context = plans.PlanContext.load(workplan)
        self.kept: set[int] = set()
        if activity is not None:
            self.kept = {o.pk for o in activity.lead_organizations.all()} | {
                o.pk for o in activity.partner_organizations.all()
            }
        organizations = Organization.objects.filter(
            pk__in=self.context.member_ids | self.kept
        ).order_by("acronym")
        self.fields["lead_organizations"].queryset = organizations
        self.fields["partner_organizations"].queryset = organizations
        self.fields["task_team"].queryset = TaskTeam.objects.filter(
            network_id=workplan.network_id
        ).order_by("name")
        self.fields["objective"].queryset = workplan.objectives.order_by("position", "code")
        if limited:
            self.fields["objective"].disabled = True
        # Always: a disabled field takes its value from the initial data.
        if activity is not None:
            self.initial.update(
                objective=activity.objective_id,
                code=activity.code,
                title=activity.title,
                description=activity.description,
                lead_organizations=[o.pk for o in activity.lead_organizations.all()],
                partner_organizations=[o.pk for o in activity.partner_organizations.all()],
                task_team=activity.task_team_id,
                start=activity.start,
                end=activity.end,
                indicator=activity.indicator,
                target=activity.target,
                weight=activity.weight,
                framework_objectives=[f.pk for f in activity.framework_objectives.all()],
            )
        elif objective is not None and not self.is_bound:
            self.initial["objective"] = objective.pk
        self.locked = frozenset(locked)
        drop_fields(self, self.locked)

    def _kept_or_given(self, name: str, current):
        """A dropped (locked) field keeps the activity's value."""
        if name in self.locked and self.activity is not None:
            return current()
        return self.cleaned_data.get(name)

    def to_data(self) -> plans.ActivityData:
        data = self.cleaned_data
        return plans.ActivityData(
            code=data.get("code") or "",
            title=data.get("title") or "",
            description=data.get("description") or "",
            start=data.get("start"),
            end=data.get("end"),
            lead_organizations=list(
                self._kept_or_given(
                    "lead_organizations", lambda: self.activity.lead_organizations.all()
                )
                or []
            ),
            partner_organizations=list(
                self._kept_or_given(
                    "partner_organizations", lambda: self.activity.partner_organizations.all()
                )
                or []
            ),
            task_team=self._kept_or_given("task_team", lambda: self.activity.task_team),
            indicator=data.get("indicator") or "",
            target=data.get("target") or "",
            weight=data.get("weight"),
            framework_objectives=list(data.get("framework_objectives") or []),
        )

    def clean(self):
        data = super().clean()
        problems = plans.activity_problems(
            context=self.context,
            data=self.to_data(),
            activity_id=self.activity.pk if self.activity else None,
            kept_ids=self.kept,
        )
        for name, message in problems.items():
            # A field that failed on its own already says why.
            if name in self.fields and name not in self.errors and name in data:
                self.add_error(name, message)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (UTF-8) or Excel (.xlsx), up to 5 MB, laid out as the template."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in imports.SUFFIXES:
            raise forms.ValidationError(
                _("%(name)s is neither a CSV nor an Excel (.xlsx) file.") % {"name": upload.name}
            )
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("%(name)s is larger than 5 MB: split it, or leave out what is not needed.")
                % {"name": upload.name}
            )
        return upload
