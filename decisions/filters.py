"""The register's filters: network, year, body, procedure, status, topic,
agency (the one that proposed it or stated a position) and a text search."""

from __future__ import annotations

import django_filters
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Network, Organization
from workplans.models import FrameworkObjective

from .models import Body, Decision, DecisionStatus, Position, Procedure


class DecisionFilter(django_filters.FilterSet):
    network = django_filters.ModelChoiceFilter(
        queryset=Network.objects.in_display_order(), empty_label=_("All my networks")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), method="in_year", min_value=1945, max_value=2999
    )
    body = django_filters.ChoiceFilter(
        label=_("Deciding body"), choices=Body.choices, empty_label=_("Any body")
    )
    procedure = django_filters.ChoiceFilter(
        label=_("Procedure"), choices=Procedure.choices, empty_label=_("Any procedure")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DecisionStatus.choices, empty_label=_("Any status")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=FrameworkObjective.objects.order_by("pk"),
        empty_label=_("Any topic"),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=Organization.objects.order_by("acronym"),
        empty_label=_("Any agency"),
        method="of_agency",
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Decision
        fields = ["network", "year", "body", "procedure", "status", "topic", "agency", "q"]

    def __init__(self, data=None, *args, fixed_network: Network | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        if fixed_network is not None:
            # The network's own register: its agencies only, and no network choice.
            self.filters["agency"].queryset = (
                Organization.objects.filter(memberships__network=fixed_network)
                .distinct()
                .order_by("acronym")
            )

    def in_year(self, queryset, name, value):
        if value is None:
            return queryset
        value = int(value)
        return queryset.filter(
            Q(decided_on__year=value) | Q(decided_on__isnull=True, created_at__year=value)
        )

    def of_agency(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Q(proposed_by=value)
            | Q(pk__in=Position.objects.filter(organization=value).values("decision_id"))
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("title", "text", "reference", config="simple")
            return queryset.annotate(_search=vector).filter(
                Q(_search=SearchQuery(value, config="simple", search_type="websearch"))
                | Q(reference__icontains=value)
                | Q(title__icontains=value)
            )
        return queryset.filter(
            Q(title__icontains=value) | Q(text__icontains=value) | Q(reference__icontains=value)
        )
