"""Who has not reported yet on a workplan's quarter, and the one-click
reminder to each agency (services/not_reported.py). For the secretariat of
the workplan's network and admins ("progress.monitor"): a workplan the user
may not see is a 404, one they see but may not monitor a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views_helpers import get_for_action
from members.models import Organization
from members.roles import actor_for

from ..models import Workplan
from ..permissions import can, visible_workplans
from ..services import not_reported as service
from ..services.progress import Period


def _monitored_workplan(request: HttpRequest, pk: int) -> Workplan:
    actor = actor_for(request)
    return get_for_action(
        actor,
        visible_workplans(actor).select_related("network"),
        can=can,
        action="progress.monitor",
        pk=pk,
    )


def _page_url(workplan: Workplan, period: Period | None, organization_id: int | None = None) -> str:
    url = reverse("workplans:not_reported", args=[workplan.pk])
    if period is not None:
        url += f"?period={period.slug}"
    if organization_id is not None:
        url += f"#agency-{organization_id}"
    return url


def _summary(page: service.NotReported) -> str:
    agencies = ngettext("%(n)s agency", "%(n)s agencies", len(page.agencies)) % {
        "n": len(page.agencies)
    }
    activities = ngettext("%(n)s activity", "%(n)s activities", page.activity_count) % {
        "n": page.activity_count
    }
    return _("%(agencies)s, %(activities)s not reported for %(period)s.") % {
        "agencies": agencies,
        "activities": activities,
        "period": page.period,
    }


@login_required
def not_reported(request: HttpRequest, pk: int) -> HttpResponse:
    workplan = _monitored_workplan(request, pk)
    today = timezone.localdate()
    periods = service.workplan_periods(workplan, today=today)
    period = periods[0] if periods else None
    invalid = ""
    raw = request.GET.get("period", "")
    if raw:
        chosen = service.parse_period(raw)
        if chosen is not None and chosen in periods:
            period = chosen
        else:
            invalid = _(
                "“%(value)s” is not a quarter of this workplan that has started: "
                "choose one from the list (such as %(example)s)."
            ) % {"value": raw[:20], "example": (period or Period.of(today)).slug}
    problem = service.status_problem(workplan)
    if not problem and period is None:
        problem = _("This workplan starts in %(year)s: no quarter has started yet.") % {
            "year": workplan.start_year
        }
    page = service.not_reported(workplan, period) if period and not problem else None
    return render(
        request,
        "workplans/not_reported.html",
        {
            "workplan": workplan,
            "periods": periods,
            "period": period,
            "invalid": invalid,
            "problem": problem,
            "page": page,
            "summary": _summary(page) if page and page.agencies else "",
        },
    )


@login_required
@require_POST
def not_reported_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the agency's digest reminder (POST `organization`, `period`).
    Answers an htmx request with the agency's reminder box, anything else
    with a redirect to the page and a message."""
    workplan = _monitored_workplan(request, pk)
    htmx = request.headers.get("HX-Request") == "true"
    period = service.parse_period(request.POST.get("period", ""))
    try:
        organization_id = int(request.POST.get("organization", ""))
    except ValueError:
        organization_id = None
    organization = (
        Organization.objects.filter(pk=organization_id).first()
        if organization_id is not None
        else None
    )
    error = message = ""
    if period is None or organization is None:
        error = _("That reminder could not be read: reload the page and try again.")
    else:
        try:
            record, created = service.digest_send(
                workplan=workplan, period=period, organization=organization, by=request.user
            )
        except DomainError as exc:
            error = exc.message
        else:
            if created:
                message = ngettext(
                    "The reminder to %(agency)s was queued for %(n)s person.",
                    "The reminder to %(agency)s was queued for %(n)s people.",
                    record.recipients,
                ) % {"agency": organization.acronym, "n": record.recipients}
            else:
                message = _("A reminder was already sent to %(agency)s on %(date)s.") % {
                    "agency": organization.acronym,
                    "date": date_format(timezone.localtime(record.sent_at), "j F Y"),
                }
    if not htmx or period is None or organization is None:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        return redirect(_page_url(workplan, period, organization_id if organization else None))
    # 200 with the reason in the box when refused: htmx swaps only 2xx answers.
    page = service.not_reported(workplan, period, organization_id=organization.pk)
    return render(
        request,
        "workplans/_not_reported_reminder.html",
        {
            "workplan": workplan,
            "period": period,
            "row": page.agencies[0] if page.agencies else None,
            "organization": organization,
            "error": error,
            "status_message": message,
        },
    )
