from django import forms
from django.contrib import admin

from core.admin import CheckedUploadsForm, SimpleHistoryAdmin
from core.timezones import TimeZoneField, time_zone_choices

from .models import (
    AdmissionCriterion,
    ApplicationDocument,
    ChairTerm,
    CriterionAssessment,
    Membership,
    MembershipApplication,
    Network,
    Organization,
    Person,
    RotationPosition,
)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name"]
    prepopulated_fields = {"slug": ["acronym"]}


class CriterionInline(admin.TabularInline):
    model = AdmissionCriterion
    extra = 0


class RotationInline(admin.TabularInline):
    model = RotationPosition
    extra = 0


class NetworkAdminForm(forms.ModelForm):
    """The time zone as a select, the common zones first."""

    time_zone = TimeZoneField()

    class Meta:
        model = Network
        # The admin lays out every field; the form only changes this one.
        fields = ["time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone)


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    form = NetworkAdminForm
    list_display = ["short_name", "name", "level", "governance", "parent", "time_zone"]
    list_filter = ["level", "governance"]
    inlines = [CriterionInline, RotationInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "network", "joined", "left", "executive_committee"]
    list_filter = ["network", "executive_committee"]
    search_fields = ["organization__acronym", "organization__name"]
    list_select_related = ["organization", "network"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "level", "email", "network", "is_active"]
    list_filter = ["level", "is_active", "network"]
    search_fields = ["name", "email", "organization__acronym"]
    list_select_related = ["organization", "network"]
    raw_id_fields = ["user"]


@admin.register(ChairTerm)
class ChairTermAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "network", "start", "end", "theme"]
    list_filter = ["network"]
    list_select_related = ["organization", "network"]


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    # An upload here is checked for being what its suffix says, as on the form.
    form = CheckedUploadsForm


class AssessmentInline(admin.TabularInline):
    model = CriterionAssessment
    extra = 0


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "org_acronym", "network", "status", "submitted_at"]
    list_filter = ["status", "network"]
    search_fields = ["reference", "org_name", "org_acronym"]
    inlines = [DocumentInline, AssessmentInline]
    readonly_fields = ["reference", "status", "organization", "membership"]
