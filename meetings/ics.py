"""Meetings as iCalendar (RFC 5545): one meeting as an `.ics` download, and
each user's subscription feed of the meetings they are invited to.

Outlook and Google both read what `icalendar` writes: CRLF line endings,
lines folded at 75 octets, DTSTART/DTEND with the meeting's TZID and a
VTIMEZONE for it. An event keeps its UID for life, and its SEQUENCE grows
with every change to the meeting (one history record per save), so a moved
or cancelled meeting replaces the copy a calendar already holds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from .models import CalendarFeed, Meeting, MeetingStatus, Participant

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

PRODID = "-//Secretariat//Meetings//EN"
# How far back the subscription feed reaches: a calendar keeps what it has
# already seen, and a feed that grows for ever slows every refresh.
FEED_PAST_DAYS = 365
# Calendar apps poll at their own pace; this is the hint they may follow.
FEED_REFRESH = timedelta(hours=1)


# --- reads -----------------------------------------------------------------------------


def with_sequence(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate `history_count` (one subquery, no query per meeting) and
    join what an event shows."""
    history = (
        Meeting.history.model.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")
    )
    return queryset.select_related("network").annotate(
        history_count=Coalesce(Subquery(history, output_field=IntegerField()), Value(0))
    )


def invited_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings `user` is invited to: by name (an invitation of a person
    record linked to the account), or as the agency they speak for when the
    invitation names no person (a guest organization, say). Only current
    contacts count: someone who left the agency stops receiving its meetings."""
    people = Participant.objects.filter(person__user=user, person__is_active=True)
    agencies = Participant.objects.filter(
        person__isnull=True,
        organization__people__user=user,
        organization__people__is_active=True,
    )
    return Meeting.objects.filter(
        Q(pk__in=people.values("meeting_id")) | Q(pk__in=agencies.values("meeting_id"))
    )


def feed_meetings(user: User, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """The feed's meetings: invited ones from a year back on, cancelled ones
    included so that calendars show them as cancelled."""
    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    return with_sequence(invited_meetings(user).filter(end__gte=since)).order_by("start")


# --- building the calendar ---------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "secretariat"


def event_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, unique across deployments."""
    return f"meeting-{meeting.pk}@{_host()}"


def event_sequence(meeting: Meeting) -> int:
    """0 for a meeting never changed; one more for every save since."""
    count = getattr(meeting, "history_count", None)
    if count is None:
        count = meeting.history.count()
    return max(count - 1, 0)


def _description(meeting: Meeting, page_url: str) -> str:
    lines = [f"{meeting.network.name} — {meeting.get_level_display()}"]
    if meeting.status == MeetingStatus.CANCELLED:
        lines.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    if meeting.online_url:
        lines.append(_("Online: %(url)s") % {"url": meeting.online_url})
    lines.append(_("Meeting page: %(url)s") % {"url": page_url})
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, base_url: str, stamp: datetime) -> Event:
    page_url = base_url + meeting.get_absolute_url()
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event = Event.new(
        uid=event_uid(meeting),
        summary=meeting.title,
        start=meeting.local_start,
        end=meeting.local_end,
        stamp=stamp,
        last_modified=meeting.updated_at,
        sequence=event_sequence(meeting),
        status="CANCELLED" if cancelled else "CONFIRMED",
        # An online-only meeting shows its link where the place would be.
        location=meeting.place or meeting.online_url or None,
        url=page_url,
        description=_description(meeting, page_url),
    )
    return event


def calendar_for(
    meetings: Iterable[Meeting], *, base_url: str, name: str | None = None
) -> Calendar:
    """A VCALENDAR (METHOD:PUBLISH) of these meetings, with a VTIMEZONE for
    each time zone they use. `name` makes it a subscribable calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        # An X- property is text to icalendar: say the duration in ISO 8601
        # (PT1H), as Outlook reads it, not Python's "1:00:00".
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    stamp = timezone.now()
    years: list[int] = []
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url, stamp=stamp))
        years += [meeting.local_start.year, meeting.local_end.year]
    if years:
        # Transitions only for the years the events need: the default
        # (1970-2038) writes a few kilobytes per time zone.
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return calendar


# --- the subscription address ----------------------------------------------------------------


def feed_for(*, user: User) -> CalendarFeed:
    """The user's feed, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            feed = CalendarFeed.objects.create(user=user)
        else:
            feed.reset()
    log.info("calendar_feed.reset user=%s", user.pk)
    return feed


def feed_path(feed: CalendarFeed) -> str:
    return reverse("meetings:feed", args=[feed.token])
