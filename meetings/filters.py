import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Network

from .models import Meeting, MeetingLevel, MeetingStatus


class MeetingFilter(django_filters.FilterSet):
    network = django_filters.ModelChoiceFilter(
        queryset=Network.objects.all(), empty_label=_("All my networks")
    )
    level = django_filters.ChoiceFilter(choices=MeetingLevel.choices, empty_label=_("Any level"))
    # Bounded: a year past 9999 (or before 1) would crash the date lookup.
    year = django_filters.NumberFilter(
        field_name="start", lookup_expr="year", label=_("Year"), min_value=1900, max_value=2200
    )
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, empty_label=_("Any status"))
    organization = django_filters.CharFilter(
        method="taking_part",
        label=_("Organization taking part"),
        help_text=_("Acronym or name"),
    )

    class Meta:
        model = Meeting
        fields = ["network", "level", "year", "status", "organization"]

    def taking_part(self, queryset, name, value):
        # A text box rather than a list of every agency: the page stays light
        # however many organizations the deployment holds.
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(participants__organization__acronym__iexact=value)
            | Q(participants__organization__name__icontains=value)
        ).distinct()
