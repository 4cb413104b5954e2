"""Who changed what, when: read from django-simple-history, once, for any
model that keeps history; and the acting user every write names on it.

Every write to a historied model leaves a history record naming who acted:
a single save through `set_history_user` (or the request's user, picked up
by HistoryRequestMiddleware), a bulk write through simple-history's
`bulk_create_with_history` / `bulk_update_with_history` with
`default_user=acting_user(by)`. A queryset `.update()` or `.delete()`
writes no history: services do not use them on historied models."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

_SKIPPED = {"updated_at"}


@dataclass
class Change:
    when: datetime
    who: str
    kind: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)
    # Why, when the writer said so (e.g. an approval without circulation).
    reason: str = ""
    # What changed, when the list mixes records (e.g. "Progress 2026 Q3").
    what: str = ""


_KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _change(newer, older, labels: dict[str, str], what: str = "") -> Change:
    diffs = []
    if older is not None and newer.history_type == "~":
        delta = newer.diff_against(older)
        diffs = [
            (str(labels.get(c.field, c.field)), c.old, c.new)
            for c in delta.changes
            if c.field not in _SKIPPED
        ]
    who = str(newer.history_user) if newer.history_user else str(_("system"))
    return Change(
        newer.history_date,
        who,
        _KIND.get(newer.history_type, "?"),
        diffs,
        reason=newer.history_change_reason or "",
        what=what,
    )


def changes_for(obj, limit: int = 15) -> list[Change]:
    """The last `limit` changes of obj, newest first, with the fields each
    changed. One query, whatever the length of the history."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    labels = {f.name: f.verbose_name for f in obj._meta.fields}
    result = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if len(result) == limit:
            break
        result.append(_change(newer, older, labels))
    return result


def changes_of_records(records, model, *, describe, limit: int = 15) -> list[Change]:
    """The last `limit` changes among the historical `records` (a queryset of
    one model's history, e.g. the progress updates of an activity, deleted
    ones included), newest first; `describe(record)` says which record each
    is about. One query: each record is compared with the one before it of
    the same object."""
    rows = list(records.select_related("history_user").order_by("history_date", "history_id"))
    labels = {f.name: f.verbose_name for f in model._meta.fields}
    key = model._meta.pk.attname
    previous: dict[object, object] = defaultdict(lambda: None)
    result = []
    for record in rows:
        obj_id = getattr(record, key)
        result.append(_change(record, previous[obj_id], labels, describe(record)))
        previous[obj_id] = record
    result.reverse()
    return result[:limit]


def merge_changes(*lists: list[Change], limit: int = 15) -> list[Change]:
    """Several histories as one, newest first."""
    merged = [c for changes in lists for c in changes]
    merged.sort(key=lambda c: c.when, reverse=True)
    return merged[:limit]


def acting_user(by):
    """The user to name on a history record, or None for an anonymous or
    missing one (then simple-history falls back to the request's user)."""
    if by is not None and getattr(by, "is_authenticated", False):
        return by
    return None


def set_history_user(instance, by) -> None:
    """Name the acting user on the history record the next save writes."""
    user = acting_user(by)
    if user is not None:
        instance._history_user = user
