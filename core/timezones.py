"""Time zones: the names zoneinfo knows, and the select that offers them
with the zones the networks meet in first.

A model field keeps a zone as text validated here, not as model `choices`:
the list comes from the system's tz database, and a choice list in a
migration would change with every update of it."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Where the networks and their members meet, UTC first. Europe/Zurich is
# Geneva's zone (the tz database has no Europe/Geneva).
COMMON_TIME_ZONES = (
    "UTC",
    "Europe/Zurich",
    "America/New_York",
    "Asia/Bangkok",
    "Africa/Nairobi",
    "Africa/Addis_Ababa",
    "Africa/Dakar",
    "America/Panama",
    "America/Santiago",
    "Asia/Beirut",
    "Europe/Brussels",
    "Europe/Vienna",
)

# A city that names a common zone better than the zone's own name does.
_CITY = {"Europe/Zurich": "Geneva, Zurich"}


@cache
def all_time_zones() -> tuple[str, ...]:
    """Every zone as Region/City, sorted, and UTC."""
    return ("UTC", *sorted(z for z in zoneinfo.available_timezones() if "/" in z))


def is_time_zone(value: str) -> bool:
    return value in zoneinfo.available_timezones()


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError(_("%(tz)s is not a time zone we know.") % {"tz": value})


def _label(zone: str) -> str:
    return f"{zone} ({_CITY[zone]})" if zone in _CITY else zone


def time_zone_choices(first: str | None = None) -> list:
    """The choices of a time zone select: a group of the common zones (with
    `first`, say the network's own zone, added when it is not one of them),
    then every zone. A zone in both groups is selected in the first."""
    common = list(COMMON_TIME_ZONES)
    if first and first not in common and is_time_zone(first):
        common.insert(1, first)
    return [
        (_("Common"), [(z, _label(z)) for z in common]),
        (_("All time zones"), [(z, z) for z in all_time_zones()]),
    ]


class TimeZoneField(forms.ChoiceField):
    """A time zone select, the common zones first. An unknown name is
    refused with the choice field's message."""

    def __init__(self, *, first: str | None = None, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        super().__init__(choices=time_zone_choices(first), **kwargs)


def zone_of(name: str | None):
    """The ZoneInfo of a stored zone name; UTC for an empty or unknown one."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")
