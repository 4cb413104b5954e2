"""What every page of a signed-in user needs to warn before the session ends
(static/js/app.js reads it from data attributes of <body>, base.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .middleware import seconds_left

# The idle warning shows this long before the idle deadline (at most half of
# the idle time), the end-of-lifetime warning this long before the end.
IDLE_WARNING_SECONDS = 5 * 60
END_WARNING_SECONDS = 10 * 60
# While the user types in a form, the page calls the keep-alive at most this
# often (at most a quarter of the idle time), so typing is activity.
TYPING_PING_SECONDS = 5 * 60


@dataclass(frozen=True)
class SessionClock:
    idle_left: int  # seconds until the idle deadline, as of this render
    ends_in: int  # seconds until the end of the lifetime, as of this render
    idle_timeout: int  # seconds of idle time a keep-alive gives back
    idle_warning: int
    end_warning: int
    typing_ping: int


def session_clock(request) -> dict:
    """`session_clock` for a signed-in user's page, nothing otherwise."""
    left = seconds_left(request)
    if left is None:
        return {}
    idle_timeout = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    return {
        "session_clock": SessionClock(
            idle_left=left[0],
            ends_in=left[1],
            idle_timeout=idle_timeout,
            idle_warning=min(IDLE_WARNING_SECONDS, idle_timeout // 2),
            end_warning=END_WARNING_SECONDS,
            typing_ping=min(TYPING_PING_SECONDS, idle_timeout // 4),
        )
    }
