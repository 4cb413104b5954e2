"""URLs of the meetings' calendar pages (their own module: see meetings/urls.py)."""

from django.urls import path, re_path

from .views import calendar

urlpatterns = [
    path("meetings/<int:pk>/meeting.ics", calendar.meeting_ics, name="ics"),
    path("meetings/calendar/", calendar.calendar_feed, name="calendar_feed"),
    path("meetings/calendar/reset/", calendar.calendar_feed_reset, name="calendar_feed_reset"),
    # The token is secrets.token_urlsafe (meetings.models._calendar_token).
    re_path(
        r"^meetings/calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", calendar.feed, name="feed"
    ),
]
