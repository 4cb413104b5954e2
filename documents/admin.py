"""The admin of the records: the kinds of document (the list the admin
extends), documents (their status moves only through the pages, which check
the transitions; their file versions are listed, never changed) and
engagements."""

from django.contrib import admin

from core.admin import CheckedUploadsForm, SimpleHistoryAdmin

from .models import Document, DocumentFile, DocumentKind, Engagement


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class DocumentFileInline(admin.TabularInline):
    """Every upload, as it was written: read only, nothing added or removed
    here (the upload page checks each file's content)."""

    model = DocumentFile
    # Nothing is uploaded here, but were a field ever opened, it is checked.
    form = CheckedUploadsForm
    fields = ["language", "number", "file_name", "size", "checksum", "note", "uploaded_by"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "symbol", "network", "kind", "date", "status", "access", "publish_on"]
    list_filter = ["network", "kind", "status", "access"]
    search_fields = ["title", "symbol", "summary"]
    date_hierarchy = "date"
    list_select_related = ["network", "kind"]
    raw_id_fields = ["meeting", "agenda_item", "decision", "activity", "task_team"]
    filter_horizontal = ["contributors", "topics", "access_agencies"]
    # Status moves only through the transitions (services.document_move).
    readonly_fields = ["status", "superseded_by", "status_note", "version", "created_by"]
    inlines = [DocumentFileInline]


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ["event", "network", "kind", "start", "represented_by", "public"]
    list_filter = ["network", "kind", "public"]
    search_fields = ["event", "organizer", "place", "representative"]
    date_hierarchy = "start"
    list_select_related = ["network", "represented_by"]
    filter_horizontal = ["documents"]
    readonly_fields = ["chair_term", "created_by"]
