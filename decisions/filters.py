"""The implementation page's filters: what did we agree and is it done."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import ACTION_POINT_PENDING, ActionPoint, ActionPointStatus
from members.models import Organization

STATUS_CHOICES = [("pending", _("Still to do")), *ActionPointStatus.choices, ("all", _("All"))]
SOURCE_CHOICES = [("meeting", _("Agreed at a meeting")), ("decision", _("To carry out a decision"))]


class ImplementationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=Organization.objects.none(), empty_label=_("Every agency")
    )
    source = django_filters.ChoiceFilter(
        label=_("Agreed"), choices=SOURCE_CHOICES, method="filter_source", empty_label=_("Anywhere")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="filter_overdue",
        widget=django_filters.widgets.forms.CheckboxInput,
    )
    q = django_filters.CharFilter(label=_("Text"), method="search")

    class Meta:
        model = ActionPoint
        fields: list[str] = []

    def __init__(self, data=None, *args, network, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "pending")
        super().__init__(data, *args, **kwargs)
        self.filters["owner"].queryset = Organization.objects.filter(
            pk__in=ActionPoint.objects.filter(network=network).values("owner_id")
        ).order_by("acronym")

    def filter_status(self, queryset, name, value):
        if value == "pending" or not value:
            return queryset.filter(status__in=ACTION_POINT_PENDING)
        if value == "all":
            return queryset
        return queryset.filter(status=value)

    def filter_source(self, queryset, name, value):
        if value == "meeting":
            return queryset.filter(meeting__isnull=False)
        if value == "decision":
            return queryset.filter(decision_link__isnull=False)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=ACTION_POINT_PENDING, due__lt=timezone.localdate())
        return queryset

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(decision_link__decision__reference__icontains=value)
        )
