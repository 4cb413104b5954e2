"""The activity list of a workplan as the secretariat shares it: CSV and an
Excel workbook with the same columns, for the activities the page's filters
let through.

Cells that a spreadsheet would take for a formula (starting with =, +, - or
@) are written as text, so an exported title can never run in someone's
spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exports import exported_at, table_csv, table_xlsx

from .. import rollup
from ..models import Activity, Workplan
from ..selectors import latest_period


@dataclass(frozen=True)
class ExportColumn:
    key: str
    width: int

    @property
    def label(self) -> str:
        return str(EXPORT_LABELS[self.key]())


EXPORT_LABELS = {
    "objective_code": lambda: _("Objective code"),
    "objective": lambda: _("Objective"),
    "code": lambda: _("Activity code"),
    "title": lambda: _("Activity"),
    "lead": lambda: _("Lead"),
    "partners": lambda: _("Partners"),
    "task_team": lambda: _("Task team"),
    "start": lambda: _("Start"),
    "end": lambda: _("End"),
    "status": lambda: _("Status"),
    "percent": lambda: _("Percent complete"),
    "latest_update": lambda: _("Latest update"),
    "overdue": lambda: _("Overdue"),
    "framework": lambda: _("Framework objectives"),
    "indicator": lambda: _("Indicator"),
    "target": lambda: _("Target"),
    "weight": lambda: _("Weight"),
}
EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("objective_code", 10),
    ExportColumn("objective", 36),
    ExportColumn("code", 10),
    ExportColumn("title", 44),
    ExportColumn("lead", 14),
    ExportColumn("partners", 18),
    ExportColumn("task_team", 22),
    ExportColumn("start", 12),
    ExportColumn("end", 12),
    ExportColumn("status", 12),
    ExportColumn("percent", 10),
    ExportColumn("latest_update", 12),
    ExportColumn("overdue", 9),
    ExportColumn("framework", 20),
    ExportColumn("indicator", 28),
    ExportColumn("target", 28),
    ExportColumn("weight", 8),
)


def row_values(activity: Activity, today: date) -> list[object]:
    """One activity as the export's cells, typed (dates as dates, numbers as
    numbers); the CSV writes them as text."""
    return [
        activity.objective.code,
        activity.objective.title,
        activity.code,
        activity.title,
        "; ".join(o.acronym for o in activity.lead_organizations.all()),
        "; ".join(o.acronym for o in activity.partner_organizations.all()),
        activity.task_team.name if activity.task_team else "",
        activity.start,
        activity.end,
        str(activity.get_status_display()),
        rollup.effective_percent(activity),
        latest_period(activity),
        str(_("yes")) if rollup.is_overdue(activity, today) else "",
        "; ".join(f.code for f in activity.framework_objectives.all()),
        activity.indicator,
        activity.target,
        float(activity.weight),
    ]


def filename(workplan: Workplan, suffix: str) -> str:
    years = (
        str(workplan.start_year)
        if workplan.start_year == workplan.end_year
        else f"{workplan.start_year}-{workplan.end_year}"
    )
    stem = slugify(f"{workplan.network.short_name} {workplan.title}")[:60] or "workplan"
    return f"{stem}-{years}-activities.{suffix}"


def activities_csv(activities: Sequence[Activity], today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    return table_csv([c.label for c in EXPORT_COLUMNS], (row_values(a, today) for a in activities))


def activities_xlsx(
    activities: Sequence[Activity],
    *,
    workplan: Workplan,
    filters: Sequence[tuple[str, str]] = (),
    today: date | None = None,
) -> bytes:
    """A workbook with the `Activities` sheet (a header row, filters on, the
    header frozen) and an `About` sheet: which workplan, which filters, when."""
    today = today or timezone.localdate()
    about = [
        (_("Workplan"), str(workplan)),
        (_("Network"), workplan.network.name),
        (_("Status"), str(workplan.get_status_display())),
    ]
    if workplan.approved_on:
        about.append(
            (_("Approved"), f"{workplan.approved_on.isoformat()} — {workplan.approval_reference}")
        )
    about += [
        (_("Exported"), exported_at()),
        (_("Activities"), len(activities)),
        (
            _("Filters"),
            "; ".join(f"{label}: {value}" for label, value in filters) or str(_("none")),
        ),
    ]
    return table_xlsx(
        title=_("Activities"),
        headers=[c.label for c in EXPORT_COLUMNS],
        rows=[row_values(a, today) for a in activities],
        widths=[c.width for c in EXPORT_COLUMNS],
        about=about,
        about_title=_("About"),
    )
