"""Admin pieces shared by the apps."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin as _LibraryHistoryAdmin


class SimpleHistoryAdmin(_LibraryHistoryAdmin):
    """django-simple-history's admin, with a malformed id in the address
    answered 404 as Django's own change view does: the library's history
    views pass `/admin/…/<id>/history/[<history_id>/]` straight to a query,
    so `abc` or a NUL byte there was a server error. The apps import this
    class instead of the library's."""

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
