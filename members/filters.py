import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    ApplicationStatus,
    Membership,
    MembershipApplication,
    MembershipStatus,
    Network,
    OrganizationKind,
)


class MembershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    network = django_filters.ModelChoiceFilter(
        queryset=Network.objects.all(), empty_label=_("All networks")
    )
    kind = django_filters.ChoiceFilter(
        field_name="organization__kind",
        choices=OrganizationKind.choices,
        label=_("Kind"),
        empty_label=_("Any kind"),
    )
    executive_committee = django_filters.BooleanFilter(
        label=_("Executive committee"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    status = django_filters.ChoiceFilter(
        choices=MembershipStatus.choices,
        method="filter_status",
        label=_("Status"),
        empty_label=_("Any status"),
    )

    class Meta:
        model = Membership
        fields = ["q", "network", "kind", "executive_committee", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__name__icontains=value) | Q(organization__acronym__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == MembershipStatus.CURRENT:
            return queryset.filter(joined__lte=today).filter(
                Q(left__isnull=True) | Q(left__gt=today)
            )
        if value == MembershipStatus.FORMER:
            return queryset.filter(left__lte=today)
        if value == MembershipStatus.UPCOMING:
            return queryset.filter(joined__gt=today)
        return queryset


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    network = django_filters.ModelChoiceFilter(
        queryset=Network.objects.all(), empty_label=_("All my networks")
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
        empty_label=_("Any status"),
    )

    class Meta:
        model = MembershipApplication
        fields = ["q", "network", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(org_name__icontains=value)
            | Q(org_acronym__icontains=value)
            | Q(reference__icontains=value)
        )
