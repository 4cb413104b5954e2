"""The documents' background work, thin: each task calls a service.

`extract_text` reads the text of one uploaded PDF (queued after the upload's
commit); `extract_pending_texts` (beat) reads those whose task never ran (a
broker that was down). Both are safe to run twice: a file already read is
left alone."""

from __future__ import annotations

from celery import shared_task

from .models import DocumentFile
from .services import extract_file_text

PENDING_BATCH = 50


@shared_task(soft_time_limit=120, time_limit=150)
def extract_text(file_id: int) -> bool:
    return extract_file_text(file_id)


@shared_task
def extract_pending_texts() -> int:
    pending = DocumentFile.objects.filter(
        text_extracted_at__isnull=True, content_type="application/pdf"
    ).values_list("pk", flat=True)[:PENDING_BATCH]
    return sum(extract_file_text(pk) for pk in list(pending))
