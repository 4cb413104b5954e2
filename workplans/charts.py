"""The progress chart of an activity: an inline SVG drawn on the server.

Percent complete (0–100) over the quarters the activity spans, one point per
update, coloured by its status; the line joins the figure that counts in
each quarter (its newest update); superseded updates are hollow. An update
that lowered the figure carries a numbered marker (▼1, ▼2…) whose reason
the page lists under the chart (`decreases`) and the point's title repeats. No
JavaScript, no chart library: the page works without scripts, prints, and
needs nothing from a CDN.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ActivityStatus, ProgressUpdate
from .services.progress import Period, period_of

# Bootstrap's palette, the yellow darkened to read on white.
# The same colours as static/css/workplans.css (.wp-status-*): a status
# looks the same on the chart, the badges and the timeline.
STATUS_COLOURS = {
    ActivityStatus.NOT_STARTED: "#8c959f",
    ActivityStatus.ON_TRACK: "#198754",
    ActivityStatus.AT_RISK: "#e0a100",
    ActivityStatus.DELAYED: "#dc3545",
    ActivityStatus.COMPLETED: "#0b5394",
}

WIDTH, HEIGHT = 760, 260  # static/css/workplans.css (.progress-chart) caps it at WIDTH px
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 14, 44
MAX_LABELS = 12


def legend() -> list[tuple[str, str, str]]:
    """(status, label, colour) for the key under the chart."""
    return [(status, label, STATUS_COLOURS[status]) for status, label in ActivityStatus.choices]


DECREASE_COLOUR = "#b02a37"


def decreases(updates: Sequence[ProgressUpdate]) -> list[tuple[int, ProgressUpdate]]:
    """The updates that lowered the figure, oldest first, numbered from 1 as
    the chart's markers are."""
    down = sorted(
        (u for u in updates if u.is_decrease),
        key=lambda u: (period_of(u), u.created_at, u.pk),
    )
    return list(enumerate(down, start=1))


def progress_chart(
    updates: Sequence[ProgressUpdate],
    *,
    first: Period,
    last: Period,
    current: Period | None = None,
    element_id: str = "progress-chart",
) -> SafeString:
    """The chart as SVG markup, ready for a template. `updates` may be in any
    order; each carries `superseded` (services.progress.activity_updates)."""
    first = min([first, *(period_of(u) for u in updates)])
    last = max([last, *(period_of(u) for u in updates)])
    quarters = last.index - first.index + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / quarters

    def x_of(period: Period) -> float:
        return LEFT + (period.index - first.index + 0.5) * band

    def y_of(percent: int) -> float:
        return TOP + plot_h * (1 - percent / 100)

    parts: list[str] = []
    # The grid: 0, 25, 50, 75, 100 %.
    for percent in (0, 25, 50, 75, 100):
        y = y_of(percent)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#6c757d">{}%</text>',
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                "#adb5bd" if percent == 0 else "#e9ecef",
                LEFT - 6,
                _n(y + 4),
                percent,
            )
        )
    # The quarters: a label every `step` of them, so long activities stay legible.
    step = max(1, math.ceil(quarters / MAX_LABELS))
    for i in range(quarters):
        period = Period(first.year + (first.quarter - 1 + i) // 4, (first.quarter - 1 + i) % 4 + 1)
        if i % step:
            continue
        x = x_of(period)
        parts.append(
            format_html(
                '<line x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#adb5bd"/>'
                '<text x="{x}" y="{t1}" text-anchor="middle" font-size="11" fill="#495057">Q{q}</text>'
                '<text x="{x}" y="{t2}" text-anchor="middle" font-size="10" fill="#6c757d">{year}</text>',
                x=_n(x),
                y0=_n(TOP + plot_h),
                y1=_n(TOP + plot_h + 4),
                t1=_n(TOP + plot_h + 17),
                t2=_n(TOP + plot_h + 30),
                q=period.quarter,
                year=period.year,
            )
        )
    if current is not None and first <= current <= last:
        x = x_of(current)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b5394" fill-opacity="0.06">'
                "<title>{}</title></rect>"
                '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#0b5394">{}</text>',
                _n(x - band / 2),
                TOP,
                _n(band),
                plot_h,
                _("Current quarter"),
                _n(x),
                TOP + 11,
                _("now"),
            )
        )

    # The line through the figure that counts in each quarter.
    counting: dict[Period, ProgressUpdate] = {}
    for update in sorted(updates, key=lambda u: (u.created_at, u.pk)):
        counting[period_of(update)] = update
    if len(counting) > 1:
        points = " ".join(
            f"{_n(x_of(p))},{_n(y_of(u.percent_complete))}" for p, u in sorted(counting.items())
        )
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="#6c757d" stroke-width="2" '
                'stroke-linejoin="round"/>',
                points,
            )
        )

    numbers = {u.pk: n for n, u in decreases(updates)}
    # One point per update; several in a quarter are spread across its band.
    by_period: dict[Period, list[ProgressUpdate]] = defaultdict(list)
    for update in sorted(updates, key=lambda u: (u.created_at, u.pk)):
        by_period[period_of(update)].append(update)
    for period, group in by_period.items():
        # Earlier ones to the left of the one that counts, inside the quarter.
        spacing = min(10.0, band * 0.45 / max(1, len(group) - 1))
        for j, update in enumerate(group):
            superseded = j < len(group) - 1
            colour = STATUS_COLOURS.get(update.status, "#6c757d")
            x = x_of(period) + (j - (len(group) - 1)) * spacing if superseded else x_of(period)
            parts.append(
                format_html(
                    '<circle class="progress-point{}" data-status="{}" cx="{}" cy="{}" r="{}" '
                    'fill="{}" stroke="{}" stroke-width="2"><title>{}</title></circle>',
                    " superseded" if superseded else "",
                    update.status,
                    _n(x),
                    _n(y_of(update.percent_complete)),
                    4 if superseded else 6,
                    "#fff" if superseded else colour,
                    colour,
                    _point_title(update, superseded),
                )
            )
            if update.pk in numbers:
                y = y_of(update.percent_complete)
                parts.append(
                    format_html(
                        '<text class="progress-decrease" x="{}" y="{}" text-anchor="middle" '
                        'font-size="11" font-weight="bold" fill="{}">▼{}<title>{}</title></text>',
                        _n(x),
                        _n(y - 10 if y - 10 > TOP + 8 else y + 20),
                        DECREASE_COLOUR,
                        numbers[update.pk],
                        _point_title(update, superseded),
                    )
                )

    counted = [counting[p] for p in sorted(counting)]
    description = (
        _("%(n)s updates from %(first)s to %(last)s; latest: %(percent)s%%, %(status)s.")
        % {
            "n": len(updates),
            "first": period_of(counted[0]),
            "last": period_of(counted[-1]),
            "percent": counted[-1].percent_complete,
            "status": counted[-1].get_status_display(),
        }
        if counted
        else _("No updates yet.")
    )
    if numbers:
        description += " " + ngettext(
            "Progress went down once: the reason is under the chart.",
            "Progress went down %(n)s times: the reasons are under the chart.",
            len(numbers),
        ) % {"n": len(numbers)}
    return format_html(
        '<svg id="{id}" class="progress-chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=element_id,
        w=WIDTH,
        h=HEIGHT,
        title=_("Percent complete by quarter"),
        desc=description,
        body=mark_safe("".join(parts)),  # each part built with format_html
    )


def _point_title(update: ProgressUpdate, superseded: bool) -> str:
    text = f"{period_of(update)} · {update.percent_complete}% · {update.get_status_display()}"
    if update.organization_id:
        text += f" · {update.organization.acronym}"
    if superseded:
        text += " · " + _("superseded by a later update")
    if update.is_decrease:
        text += " · " + _("down from %(before)s%%: %(reason)s") % {
            "before": update.decreased_from,
            "reason": update.decrease_reason,
        }
    return text


def _n(value: float) -> str:
    """A coordinate, short: 12.5 not 12.500000001."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
