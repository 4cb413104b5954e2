"""Calendar pages: a meeting as `.ics`, the user's subscription feed (a
secret address, no sign-in: calendar apps cannot sign in), and the page
where the user copies or resets that address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.roles import actor_for

from .. import ics
from ..models import CalendarFeed, MeetingStatus
from ..permissions import visible_meetings

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _calendar_response(calendar, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # What a meeting looks like differs per user and changes: never shared
    # by a proxy, always fetched again.
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting, for whoever may see it (404 for anyone else)."""
    meeting = get_object_or_404(ics.with_sequence(visible_meetings(actor_for(request))), pk=pk)
    calendar = ics.calendar_for([meeting], base_url=_base_url(request))
    return _calendar_response(calendar, filename=f"meeting-{meeting.pk}.ics", attachment=True)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed. The token is the only credential: an unknown or
    reset one, or a deactivated account, is a 404. Two queries, whatever the
    number of meetings: the feed with its user, the meetings."""
    subscription = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if subscription is None:
        raise Http404
    calendar = ics.calendar_for(
        ics.feed_meetings(subscription.user),
        base_url=_base_url(request),
        name=_("Meetings — %(who)s") % {"who": subscription.user.email},
    )
    response = _calendar_response(calendar, filename="meetings.ics", attachment=False)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The page with the user's secret address and the button to reset it."""
    subscription = ics.feed_for(user=request.user)
    url = request.build_absolute_uri(ics.feed_path(subscription))
    invited = ics.invited_meetings(request.user)
    return render(
        request,
        "meetings/calendar_feed.html",
        {
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "upcoming_count": invited.filter(end__gte=timezone.now())
            .exclude(status=MeetingStatus.CANCELLED)
            .count(),
        },
    )


@login_required
@require_POST
def calendar_feed_reset(request: HttpRequest) -> HttpResponse:
    ics.feed_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar address was reset: the old one no longer works. "
            "Subscribe again with the new address below."
        ),
    )
    return redirect("meetings:calendar_feed")
