from .actions import document_create_view, document_edit_view, document_move_view, file_upload_view
from .documents import document_detail, document_index, document_list, file_download
from .engagements import (
    engagement_create,
    engagement_detail,
    engagement_edit,
    engagement_index,
    engagement_list,
)
from .papers import paper_add, paper_remove

__all__ = [
    "document_create_view",
    "document_detail",
    "document_edit_view",
    "document_index",
    "document_list",
    "document_move_view",
    "engagement_create",
    "engagement_detail",
    "engagement_edit",
    "engagement_index",
    "engagement_list",
    "file_download",
    "file_upload_view",
    "paper_add",
    "paper_remove",
]
