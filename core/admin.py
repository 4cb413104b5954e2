"""Admin pieces shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin as _LibraryHistoryAdmin

from core import files

UploadCheck = Callable[[UploadedFile], "str | None"]


class CheckedUploadsForm(forms.ModelForm):
    """The admin's form for any model with a file: every new upload goes
    through the content check the app's own forms use (core/files.py), so a
    web page renamed `.pdf` is refused here too, with the reason on the field,
    and nothing is stored. `upload_checks` names a stricter check of the app
    for a field (its kinds and size); the others get `files.upload_problem`."""

    upload_checks: ClassVar[dict[str, UploadCheck]] = {}

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            upload = data.get(name)
            if isinstance(field, forms.FileField) and isinstance(upload, UploadedFile):
                check = self.upload_checks.get(name, files.upload_problem)
                problem = check(upload)
                if problem:
                    self.add_error(name, problem)
        return data


def checked_uploads_form(**checks: UploadCheck) -> type[CheckedUploadsForm]:
    """A `CheckedUploadsForm` with the app's own check for the fields named."""
    return type("CheckedUploadsForm", (CheckedUploadsForm,), {"upload_checks": checks})


class SimpleHistoryAdmin(_LibraryHistoryAdmin):
    """django-simple-history's admin, with a malformed id in the address
    answered 404 as Django's own change view does: the library's history
    views pass `/admin/…/<id>/history/[<history_id>/]` straight to a query,
    so `abc` or a NUL byte there was a server error. The apps import this
    class instead of the library's.

    Its form checks every upload (`CheckedUploadsForm`)."""

    form = CheckedUploadsForm

    def _id_or_404(self, model, value: str) -> None:
        try:
            model._meta.pk.to_python(unquote(value))
        except (ValidationError, ValueError, TypeError, OverflowError) as exc:
            raise Http404 from exc

    def history_view(self, request, object_id, extra_context=None):
        self._id_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._id_or_404(self.model, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        self._id_or_404(history.model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
