"""The decisions of a meeting's minutes, one by one (a pure read).

The minutes keep the decisions taken as one Markdown text, written and
versioned with the rest of the minutes. When the minutes are approved, each
top-level item of that text becomes an entry of the decisions register
(the decisions app receives `meetings.signals.minutes_approved`); this is
where an item begins and ends, what its title is and which agenda item it
belongs to.

An item is a top-level list entry ("- ", "* ", "+ ", "1. ", "1) ") with the
lines under it, or, in a text without list entries, a paragraph. The
chair's draft starts each with the agenda item in bold ("- **2. Work plan:**
…"): that label names the agenda item, and an item still holding only the
placeholder (nothing decided under that agenda item) is no decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import AgendaItem, AgendaItemKind

TO_COMPLETE = "…"  # the draft's placeholder (services.minutes.TO_COMPLETE)
TITLE_MAX_CHARS = 140
MAX_ITEMS = 200

_ENTRY = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(?P<rest>.*)$")
_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]+?)\*\*\s*(?P<rest>.*)$", re.S)
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_MARKDOWN_MARKS = re.compile(r"[*_`]|\\(?=[\\`*_\[\]])")


@dataclass(frozen=True)
class DecisionItem:
    number: int  # 1, 2, …: its place among the minutes' decisions
    title: str
    text: str  # Markdown, without the agenda label
    agenda_item: AgendaItem | None


def _blocks(text: str) -> list[list[str]]:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_entries = any(_ENTRY.match(line) for line in lines)
    blocks: list[list[str]] = []
    current: list[str] | None = None
    previous_blank = True
    for line in lines:
        blank = not line.strip()
        if line.startswith("#"):  # a heading groups items; it is none itself
            current = None
        elif has_entries and _ENTRY.match(line):
            current = [_ENTRY.match(line)["rest"]]
            blocks.append(current)
        elif not has_entries and not blank and previous_blank:
            current = [line]
            blocks.append(current)
        elif current is not None and (blank or line[:1].isspace() or not previous_blank):
            current.append(line)
        elif not blank:
            # A paragraph after a blank line, outside any entry: its own item.
            current = [line]
            blocks.append(current)
        previous_blank = blank
    return blocks


def _dedent(lines: list[str]) -> str:
    first, rest = lines[0], lines[1:]
    indents = [len(line) - len(line.lstrip()) for line in rest if line.strip()]
    cut = min(indents, default=0)
    return "\n".join([first] + [line[cut:] for line in rest]).strip()


def _plain(markdown: str) -> str:
    return " ".join(_MARKDOWN_MARKS.sub("", markdown).split())


def _title(label: str, text: str) -> str:
    plain = _plain(text) or label
    first = _SENTENCE_END.split(plain, maxsplit=1)[0]
    if len(first) <= TITLE_MAX_CHARS:
        return first
    cut = first.rfind(" ", 0, TITLE_MAX_CHARS)
    return first[: cut if cut > 40 else TITLE_MAX_CHARS].rstrip(",;: ") + "…"


def decision_items(text: str, agenda_items: list[AgendaItem] = ()) -> list[DecisionItem]:
    """The decisions written in `text`, in order, each matched to the agenda
    item its bold label names (by title, without its number)."""
    by_title = {
        " ".join(item.title.lower().split()): item
        for item in agenda_items
        if item.kind == AgendaItemKind.REGULAR
    }
    items: list[DecisionItem] = []
    for block in _blocks(text):
        body = _dedent(block)
        label, agenda_item = "", None
        match = _LABEL.match(body)
        if match:
            label = match["label"].strip().rstrip(":").strip()
            body = match["rest"].lstrip(":").strip()
            key = " ".join(_NUMBERED.sub("", _plain(label)).lower().split())
            agenda_item = by_title.get(key)
        if not body.strip() or body.strip() == TO_COMPLETE:
            continue  # nothing decided under this agenda item
        if not label and "\n" not in body and body.endswith(":"):
            continue  # "The meeting decided:" introduces the items
        items.append(DecisionItem(len(items) + 1, _title(_plain(label), body), body, agenda_item))
        if len(items) == MAX_ITEMS:
            break
    return items
