from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from core.errors import DomainError


def deny_unless(allowed: bool) -> None:
    """403 for an action on something the user may see but not change."""
    if not allowed:
        raise PermissionDenied


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
    and go to `done`; a DomainError lands on the form, which comes back with
    everything typed."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, message(form) if callable(message) else message)
            return redirect(done)
    return render(request, template, {"form": form, "title": title, "back": back, "lead": lead})
