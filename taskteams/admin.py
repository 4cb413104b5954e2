from django.contrib import admin

from core.admin import SimpleHistoryAdmin, checked_uploads_form
from meetings.services.agenda import paper_problem

from .models import TaskTeam


@admin.register(TaskTeam)
class TaskTeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "kind", "status", "established", "next_review"]
    list_filter = ["network", "kind", "status"]
    search_fields = ["name", "focus"]
    list_select_related = ["network"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["co_chairs", "member_organizations"]
    raw_id_fields = ["members"]
    # Status moves only through the transitions (services.taskteam_transition).
    readonly_fields = ["status"]
    # A terms-of-reference document is checked as one uploaded in the app.
    form = checked_uploads_form(tor_document=paper_problem)
