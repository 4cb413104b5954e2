"""Line and word diffs of two texts, for the pages that compare versions
(the minutes, a decision's text): a unified view and a side-by-side view,
unchanged stretches shortened around each change."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def normalise_newlines(text: str) -> str:
    # Browsers send CRLF; stored text (and so every diff) uses LF.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class DiffLine:
    """A line of the unified view: kind is equal, delete, insert or gap."""

    kind: str
    old_number: int | None
    new_number: int | None
    html: SafeString


@dataclass(frozen=True)
class DiffRow:
    """A row of the side-by-side view: kind is equal, replace, delete,
    insert or gap."""

    kind: str
    old_number: int | None
    old_html: SafeString | None
    new_number: int | None
    new_html: SafeString | None


@dataclass(frozen=True)
class TextDiff:
    label: str
    lines: list[DiffLine]
    rows: list[DiffRow]
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _whole(tag: str, line: str) -> SafeString:
    return mark_safe(f"<{tag}>{escape(line)}</{tag}>")


def _words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Two changed lines, with the words taken out in <del> and the words
    put in in <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))


def compare_texts(old: str, new: str, *, label: str = "", context: int = 3) -> TextDiff:
    """A line diff of two texts (difflib), for a unified view and a
    side-by-side view, unchanged stretches cut to `context` lines."""
    a, b = normalise_newlines(old).split("\n"), normalise_newlines(new).split("\n")
    if a == b:
        return TextDiff(label, [], [], 0, 0)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lines: list[DiffLine] = []
    rows: list[DiffRow] = []
    added = removed = 0
    gap = mark_safe("⋯")
    for index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if index or group[0][1] > 0:
            lines.append(DiffLine("gap", None, None, gap))
            rows.append(DiffRow("gap", None, gap, None, gap))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for k in range(i2 - i1):
                    text = escape(a[i1 + k])
                    lines.append(DiffLine("equal", i1 + k + 1, j1 + k + 1, text))
                    rows.append(DiffRow("equal", i1 + k + 1, text, j1 + k + 1, text))
                continue
            removed += i2 - i1
            added += j2 - j1
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            pairs = [_words(a[i1 + k], b[j1 + k]) for k in range(paired)]
            old_html = [
                pairs[k][0] if k < paired else _whole("del", a[i1 + k]) for k in range(i2 - i1)
            ]
            new_html = [
                pairs[k][1] if k < paired else _whole("ins", b[j1 + k]) for k in range(j2 - j1)
            ]
            lines += [DiffLine("delete", i1 + k + 1, None, h) for k, h in enumerate(old_html)]
            lines += [DiffLine("insert", None, j1 + k + 1, h) for k, h in enumerate(new_html)]
            for k in range(max(len(old_html), len(new_html))):
                left, right = k < len(old_html), k < len(new_html)
                rows.append(
                    DiffRow(
                        "replace" if left and right else ("delete" if left else "insert"),
                        i1 + k + 1 if left else None,
                        old_html[k] if left else None,
                        j1 + k + 1 if right else None,
                        new_html[k] if right else None,
                    )
                )
    if group and group[-1][2] < len(a):
        lines.append(DiffLine("gap", None, None, gap))
        rows.append(DiffRow("gap", None, gap, None, gap))
    return TextDiff(label, lines, rows, added, removed)
