"""Helpers every app's views share.

The 404/403 rule, written once. A view fetches and authorises in its first
lines, in this order:

1. the record through the app's `visible_*(actor)` queryset, with
   `get_visible_or_404`: a record the user may not see answers 404, exactly
   as one that does not exist (no hint that it is there);
2. the action through the app's `can(actor, action, obj)`, with `require`
   (or `deny_unless` for a rule that is not a `can` action): a record the
   user may see but not change answers 403.

`get_for_action` does both in one call. `get_object_or_404` on a `visible_*`
queryset is the same first step. A record a page only reads needs step 1
alone; a file download of a record follows the record's own read rule and
answers 404 when it is not met. A refusal raises `Refused`, which
names the rule; `log_refusal` (called by the 403 handler) writes it as one
line on the `secretariat.security` logger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404

from core.errors import DomainError

security_log = logging.getLogger("secretariat.security")


class Refused(PermissionDenied):
    """A 403 that names the rule that refused."""

    def __init__(self, action: str):
        super().__init__(action)
        self.action = action


def deny_unless(allowed: bool, action: str) -> None:
    """403 for an action on something the user may see but not change."""
    if not allowed:
        raise Refused(action)


def require(can: Callable[[Any, str, Any], bool], actor, action: str, obj=None) -> None:
    """403 unless the app's `can` lets the actor do `action` to `obj`."""
    deny_unless(can(actor, action, obj), action)


def get_visible_or_404(queryset: QuerySet, **lookup):
    """The record, if it is in what the user may see (the app's `visible_*`
    queryset); 404 otherwise, as if it did not exist."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_for_action(
    actor, queryset: QuerySet, *, can: Callable[[Any, str, Any], bool], action: str, **lookup
):
    """Fetch and authorise in one call: 404 for a record the user may not
    see, 403 for one they may see but not `action`."""
    obj = get_visible_or_404(queryset, **lookup)
    require(can, actor, action, obj)
    return obj


def _one_line(value: object) -> str:
    """A value fit for one log line: control characters escaped, so a path
    with an encoded newline cannot forge a second line."""
    return str(value).encode("unicode_escape").decode("ascii")


def log_refusal(request, exception: Exception | None) -> None:
    """One WARNING line per refused authorisation: who, what, which rule.
    No traceback: the rule says why."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = f"user={user.pk} email={_one_line(user.email)}"
    else:
        who = "user=anonymous"
    rule = getattr(exception, "action", None) or (str(exception) if exception else "") or "-"
    match = getattr(request, "resolver_match", None)
    security_log.warning(
        "refused %s method=%s path=%s rule=%s view=%s",
        who,
        _one_line(request.method),
        _one_line(request.path),
        _one_line(rule),
        match.view_name if match else "-",
    )


class DropPermissionDenied(logging.Filter):
    """For the `django.request` logger: its record of a PermissionDenied
    carries a traceback and says less than `log_refusal`, which replaces it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, PermissionDenied)


def form_error(form, error: DomainError) -> None:
    """Show a refused service call on the form, on its field where it has one."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_page(
    request,
    form,
    *,
    save,
    done,
    message,
    title: str,
    back=None,
    lead: str = "",
    template: str = "members/form.html",
):
    """The edit page every simple form shares: on a valid POST call
    `save(form)`, show `message` (a string, or a function of the saved form)
    and go to `done` (or, a function, to `done(what save returned)`, for a
    record made by the save); a DomainError lands on the form, which comes
    back with everything typed. `back` (a record or a URL) is the Cancel link."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, message(form) if callable(message) else message)
            return redirect(done(saved) if callable(done) else done)
    back_url = back if isinstance(back, str) else back.get_absolute_url() if back else ""
    return render(
        request,
        template,
        {"form": form, "title": title, "back": back, "back_url": back_url, "lead": lead},
    )
