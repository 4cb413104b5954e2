"""Filters for the report templates, which read a snapshot (plain JSON)."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def isodate(value: str | None, fmt: str = "j F Y") -> str:
    """An ISO date of the snapshot, written out ("2007-11-09" -> "9 November 2007")."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return date_format(day, fmt)


@register.filter
def span(start: str | None, end: str | None) -> str:
    """Two ISO dates as a span: "9–11 July 2007", "30 June – 1 July 2007"."""
    if not start:
        return ""
    first = date.fromisoformat(start)
    last = date.fromisoformat(end) if end else first
    if last == first:
        return date_format(first, "j F Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{date_format(last, 'j F Y')}"
    if first.year == last.year:
        return f"{date_format(first, 'j F')} – {date_format(last, 'j F Y')}"
    return f"{date_format(first, 'j F Y')} – {date_format(last, 'j F Y')}"


# The document's CSS does not reach inside an SVG: its text says its font.
FONT = ' font-family="Report Sans" font-size="8" fill="#222"'


@register.filter
def bar_chart(rows: list[dict], spec: str) -> SafeString:
    """A horizontal bar chart as SVG: `rows|bar_chart:"label,value"` draws
    one bar per row, its label and value written beside it; the scale is the
    largest value. Text is escaped; nothing is fetched."""
    label_key, value_key = (spec.split(",") + ["value"])[:2]
    rows = [r for r in rows if r.get(value_key) is not None]
    if not rows:
        return mark_safe("")
    top = max(float(r[value_key]) for r in rows) or 1.0
    bar_h, gap, label_w, width = 11, 4, 150, 440
    height = len(rows) * (bar_h + gap) + gap
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, row in enumerate(rows):
        y = gap + i * (bar_h + gap)
        value = float(row[value_key])
        w = (width - label_w - 40) * value / top
        parts.append(
            f'<text x="{label_w - 4}" y="{y + bar_h - 3}" text-anchor="end"{FONT}>'
            f"{escape(str(row[label_key]))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#0b5394"></rect>'
            f'<text x="{label_w + w + 3:.1f}" y="{y + bar_h - 3}"{FONT}>{escape(_number(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"
