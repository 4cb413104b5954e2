"""The register's filters (kind, year, agency, topic, language, status and a
text search) and the engagements'. The register's kind offers the meetings'
records too (approved minutes, circulated agendas); a filter only documents
have (agency, topic, language, status, a document kind) leaves them out."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Network, Organization
from workplans.models import FrameworkObjective

from .models import (
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    Engagement,
    EngagementKind,
    Language,
)
from .selectors import AGENDA, MINUTES

MEETING_KINDS = [(AGENDA, _("Agenda (circulated)")), (MINUTES, _("Minutes (approved)"))]
# The filters that only documents answer.
DOCUMENT_ONLY = ("agency", "topic", "language", "status")


class DocumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=(), method="of_kind", empty_label=_("Any kind")
    )
    # A year a document can have: out of range is a form error, not a 500.
    year = django_filters.NumberFilter(
        label=_("Year"), method="in_year", min_value=1900, max_value=2999, decimal_places=0
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=Organization.objects.none(),
        empty_label=_("Any agency"),
        method="of_agency",
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=FrameworkObjective.objects.order_by("pk"),
        empty_label=_("Any topic"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Language.choices,
        method="in_language",
        empty_label=_("Any language"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DocumentStatus.choices, empty_label=_("Any status")
    )
    q = django_filters.CharFilter(label=_("Title or symbol"), method="search", max_length=200)

    class Meta:
        model = Document
        fields = ["kind", "year", "agency", "topic", "language", "status", "q"]

    def __init__(self, data=None, *args, network: Network, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.network = network
        self.filters["kind"].extra["choices"] = [
            *((k.slug, k.name) for k in DocumentKind.objects.all()),
            *MEETING_KINDS,
        ]
        self.filters["agency"].queryset = (
            Organization.objects.filter(memberships__network=network).distinct().order_by("acronym")
        )

    def value(self, name: str):
        """The valid value of a filter (None when empty or invalid)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.form.cleaned_data.get(name) or None

    @property
    def wants_meeting_records(self) -> bool:
        if any(self.value(name) for name in DOCUMENT_ONLY):
            return False
        return self.value("kind") in (None, AGENDA, MINUTES)

    @property
    def wants_documents(self) -> bool:
        return self.value("kind") not in (AGENDA, MINUTES)

    def of_kind(self, queryset, name, value):
        if not value or value in (AGENDA, MINUTES):
            return queryset
        return queryset.filter(kind__slug=value)

    def in_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(date__year=value)

    def of_agency(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Q(lead_agency=value)
            | Q(
                pk__in=Document.contributors.through.objects.filter(organization=value).values(
                    "document_id"
                )
            )
        )

    def in_language(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(original_language=value)
            | Q(pk__in=DocumentFile.objects.filter(language=value).values("document_id"))
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(symbol__icontains=value))


class EngagementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=EngagementKind.choices, empty_label=_("Any kind")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), method="in_year", min_value=1900, max_value=2999, decimal_places=0
    )

    class Meta:
        model = Engagement
        fields = ["kind", "year"]

    def in_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(start__year=value)
