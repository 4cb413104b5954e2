"""Who changed what, when: read from django-simple-history, once, for any
model that keeps history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Change:
    when: datetime
    who: str
    kind: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)


_KIND = {"+": "created", "~": "changed", "-": "deleted"}


def changes_for(obj, limit: int = 15) -> list[Change]:
    """The last `limit` changes of obj, newest first, with the fields each
    changed. One query, whatever the length of the history."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    result = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if len(result) == limit:
            break
        diffs = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            labels = {f.name: f.verbose_name for f in obj._meta.fields}
            diffs = [
                (str(labels.get(c.field, c.field)), c.old, c.new)
                for c in delta.changes
                if c.field not in {"updated_at"}
            ]
        who = str(newer.history_user) if newer.history_user else "system"
        result.append(Change(newer.history_date, who, _KIND.get(newer.history_type, "?"), diffs))
    return result
