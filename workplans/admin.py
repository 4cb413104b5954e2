from django.contrib import admin

from core.admin import SimpleHistoryAdmin, checked_uploads_form

from .models import (
    Activity,
    FrameworkObjective,
    Objective,
    ProgressReminderSent,
    ProgressUpdate,
    Workplan,
)
from .services.progress import evidence_problem


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["position", "code", "title"]


@admin.register(Workplan)
class WorkplanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "start_year", "end_year", "status", "approved_on"]
    list_filter = ["status", "network"]
    search_fields = ["title"]
    list_select_related = ["network"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "workplan", "position"]
    list_filter = ["workplan__network"]
    search_fields = ["code", "title"]
    list_select_related = ["workplan"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "objective", "start", "end", "status", "percent_complete"]
    list_filter = ["status", "objective__workplan__network"]
    search_fields = ["code", "title"]
    list_select_related = ["objective"]
    raw_id_fields = ["objective", "task_team"]
    filter_horizontal = ["lead_organizations", "partner_organizations", "framework_objectives"]
    # The latest progress update sets these (workplans.services.progress).
    readonly_fields = ["status", "percent_complete"]


@admin.register(FrameworkObjective)
class FrameworkObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "framework"]
    list_filter = ["framework"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "year", "quarter", "percent_complete", "status", "organization"]
    list_filter = ["status", "year", "quarter"]
    list_select_related = ["activity", "organization"]
    raw_id_fields = ["activity", "reported_by"]
    # A replaced evidence file is checked as one logged in the app.
    form = checked_uploads_form(evidence_file=evidence_problem)


@admin.register(ProgressReminderSent)
class ProgressReminderSentAdmin(admin.ModelAdmin):
    """Who reminded which agency of a workplan's quarter (the "not reported
    yet" page). Read only: the record is what makes the reminder go once."""

    list_display = ["organization", "workplan", "year", "quarter", "sent_at", "sent_by"]
    list_filter = ["workplan__network", "year", "quarter"]
    list_select_related = ["organization", "workplan", "sent_by"]
    readonly_fields = [
        "workplan",
        "year",
        "quarter",
        "organization",
        "sent_by",
        "sent_at",
        "recipients",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
