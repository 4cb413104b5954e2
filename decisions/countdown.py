"""How long until a deadline, in words, computed on the server: "closes in
2 days 4 hours". A small static script (static/js/countdown.js) ticks it on
the page; without it the words stay as the server wrote them."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def _hours(n: int) -> str:
    return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}


def _minutes(n: int) -> str:
    return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}


def time_left(deadline: datetime, now: datetime | None = None) -> str:
    """The time left as its two largest units: "2 days 4 hours", "3 hours
    12 minutes", "5 minutes"; "" when the deadline has passed."""
    seconds = int((deadline - (now or timezone.now())).total_seconds())
    if seconds <= 0:
        return ""
    minutes_total = -(-seconds // 60)  # a part of a minute counts as one
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{_days(days)} {_hours(hours)}" if hours else _days(days)
    if hours:
        return f"{_hours(hours)} {_minutes(minutes)}" if minutes else _hours(hours)
    return _minutes(minutes)


def countdown_text(deadline: datetime, now: datetime | None = None) -> str:
    left = time_left(deadline, now)
    if not left:
        return _("The deadline has passed.")
    return _("Closes in %(time)s.") % {"time": left}
