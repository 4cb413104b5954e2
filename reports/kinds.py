"""The kinds of report: for each, how its period is chosen, what data it is
made of (`collect`, which returns the snapshot: plain JSON, dates as ISO
text) and the template that lays the snapshot out. A report is rendered from
its snapshot only, so a stored build can be shown, and compared with the
next, exactly as it was.

`collect(network, start, end, subject_id)` returns `(snapshot, missing)`:
`missing` lists, in words, the records the data lacks, each with where to
add it, so a report never prints an empty section without saying why."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import ReportKind


class ReportProblem(Exception):
    """The report cannot be asked for as given (an unknown term, a period
    the kind does not take): a message for the form or the command line."""


@dataclass(frozen=True)
class Missing:
    what: str
    url: str = ""

    def as_json(self) -> dict[str, str]:
        return {"what": str(self.what), "url": self.url}


@dataclass(frozen=True)
class KindSpec:
    kind: str
    template: str
    collect: Callable[[Any, date, date, int | None], tuple[dict, list[Missing]]]
    # (network, start, end, subject_id) -> the title on the cover and in lists
    title: Callable[[Any, date, date, int | None], str]
    subject_label: Any = ""

    @property
    def label(self) -> str:
        return str(ReportKind(self.kind).label)


_KINDS: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    _KINDS[spec.kind] = spec
    return spec


# The modules that register a kind (each calls `register` on import).
KIND_MODULES = ("chair_summary", "membership_update", "annual", "biennial", "workplan_progress")


@functools.cache
def _load() -> None:
    for name in KIND_MODULES:
        importlib.import_module(f"reports.{name}")


def spec_for(kind: str) -> KindSpec:
    _load()
    try:
        return _KINDS[kind]
    except KeyError:
        raise ReportProblem(_("There is no report of that kind yet.")) from None


def available_kinds() -> list[KindSpec]:
    _load()
    return [_KINDS[k] for k in ReportKind.values if k in _KINDS]


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
