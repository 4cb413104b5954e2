"""The filters of the workplan list and of a workplan's activities (the
monitoring page and its exports share ActivityFilter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Network, Organization
from taskteams.models import TaskTeam

from .models import (
    Activity,
    ActivityStatus,
    FrameworkObjective,
    Objective,
    Workplan,
    WorkplanStatus,
)

YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class WorkplanFilter(django_filters.FilterSet):
    network = django_filters.ModelChoiceFilter(
        queryset=Network.objects.in_display_order(), empty_label=_("All my networks")
    )
    status = django_filters.ChoiceFilter(
        choices=WorkplanStatus.choices, empty_label=_("Any status")
    )
    year = django_filters.NumberFilter(label=_("Covers the year"), method="covering")
    q = django_filters.CharFilter(label=_("Title"), method="search")

    class Meta:
        model = Workplan
        fields = ["network", "status", "year", "q"]

    def covering(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(start_year__lte=value, end_year__gte=value)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset


class ActivityFilter(django_filters.FilterSet):
    """Filters over one workplan's activities; `workplan` limits the choices
    to its objectives, its lead agencies and its network's task teams."""

    objective = django_filters.ModelChoiceFilter(
        queryset=Objective.objects.none(),
        label=_("Objective"),
        empty_label=_("All"),
    )
    lead = django_filters.ModelChoiceFilter(
        field_name="lead_organizations",
        queryset=Organization.objects.none(),
        label=_("Lead organization"),
        empty_label=_("Any"),
    )
    status = django_filters.ChoiceFilter(
        choices=ActivityStatus.choices, label=_("Status"), empty_label=_("Any")
    )
    task_team = django_filters.ModelChoiceFilter(
        queryset=TaskTeam.objects.none(),
        label=_("Task team"),
        empty_label=_("Any"),
        null_label=_("No task team"),
    )
    framework = django_filters.ModelChoiceFilter(
        field_name="framework_objectives",
        queryset=FrameworkObjective.objects.all(),
        label=_("Framework"),
        empty_label=_("Any"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Activity
        fields = ["objective", "lead", "status", "task_team", "framework", "overdue"]

    def __init__(self, data=None, *args, workplan: Workplan, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.workplan = workplan
        self.filters["objective"].queryset = workplan.objectives.order_by("position", "code")
        self.filters["lead"].queryset = (
            Organization.objects.filter(led_activities__objective__workplan=workplan)
            .distinct()
            .order_by("acronym")
        )
        self.filters["task_team"].queryset = TaskTeam.objects.filter(
            network_id=workplan.network_id
        ).order_by("name")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(end__lt=timezone.localdate()) & ~Q(status=ActivityStatus.COMPLETED)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (an invalid value does not)."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return any(value not in (None, "", [], ()) for value in data.values())

    def described(self) -> list[tuple[str, str]]:
        """The active filters as (label, value), to say what an export holds."""
        if not self.active:
            return []
        result = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            label = str(self.filters[name].label or name)
            if name == "status":
                shown = str(ActivityStatus(value).label)
            elif name == "overdue":
                shown = str(_("Yes") if value else _("No"))
            elif name == "task_team" and value == "null":
                shown = str(_("No task team"))
            else:
                shown = str(value)
            result.append((label, shown))
        return result
