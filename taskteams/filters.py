import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Organization

from .models import TaskTeam, TaskTeamKind, TaskTeamStatus


class TaskTeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        choices=TaskTeamStatus.choices, empty_label=_("Any status")
    )
    kind = django_filters.ChoiceFilter(choices=TaskTeamKind.choices, empty_label=_("Any kind"))
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.order_by("acronym"),
        method="with_organization",
        label=_("Organization (member or co-chair)"),
        empty_label=_("Any organization"),
    )

    class Meta:
        model = TaskTeam
        fields = ["q", "status", "kind", "organization"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(focus__icontains=value))

    def with_organization(self, queryset, name, value):
        if not value:
            return queryset
        # Subqueries rather than joins: the list's counts stay right.
        members = TaskTeam.member_organizations.through.objects.filter(organization=value)
        chairs = TaskTeam.co_chairs.through.objects.filter(organization=value)
        return queryset.filter(
            Q(pk__in=members.values("taskteam_id")) | Q(pk__in=chairs.values("taskteam_id"))
        )
