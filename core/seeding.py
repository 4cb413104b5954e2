"""Helpers for commands that load data idempotently (seed_demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models


class Tally:
    """Rows created and updated per model, for the summary."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {}

    def add(self, model: type[models.Model], created: bool, updated: bool) -> None:
        counts = self.rows.setdefault(model._meta.verbose_name_plural.capitalize(), [0, 0, 0])
        counts[0 if created else 1 if updated else 2] += 1


@dataclass
class DemoData:
    """What one `seed_demo` run has loaded so far, handed from each app's
    loader to the next (ground first): the members side fills the agencies
    by acronym, the networks by slug and the demo accounts by e-mail; the
    apps above read them."""

    tally: Tally
    orgs: dict[str, Any] = field(default_factory=dict)
    networks: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def _same(obj: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model) or value is None:
        field = obj._meta.get_field(name)
        if field.is_relation:
            return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def upsert(tally: Tally, model: type[models.Model], lookup: dict, values: dict):
    """update_or_create that leaves an unchanged row alone (no save, no history)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        tally.add(model, created=True, updated=False)
        return obj
    changed = [name for name, value in values.items() if not _same(obj, name, value)]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    tally.add(model, created=False, updated=bool(changed))
    return obj
