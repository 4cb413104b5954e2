"""The activity list of a workplan as the secretariat shares it: CSV and an
Excel workbook with the same columns, for the activities the page's filters
let through.

Cells that a spreadsheet would take for a formula (starting with =, +, - or
@) are written as text, so an exported title can never run in someone's
spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

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
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


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


def _csv_cell(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return safe_text(str(value))


def activities_csv(activities: Sequence[Activity], today: date | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads accents right."""
    today = today or timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in EXPORT_COLUMNS])
    for activity in activities:
        writer.writerow([_csv_cell(v) for v in row_values(activity, today)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def activities_xlsx(
    activities: Sequence[Activity],
    *,
    workplan: Workplan,
    filters: Sequence[tuple[str, str]] = (),
    today: date | None = None,
) -> bytes:
    """A workbook with the `Activities` sheet (a header row, filters on, the
    header frozen) and an `About` sheet: which workplan, which filters, when."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    today = today or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Activities"))
    sheet.append([c.label for c in EXPORT_COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    for row_number, activity in enumerate(activities, start=2):
        for col_number, value in enumerate(row_values(activity, today), start=1):
            cell = sheet.cell(row=row_number, column=col_number)
            if isinstance(value, str):
                cell.value = value
                # Never a formula, whatever the text starts with.
                cell.data_type = "s"
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(EXPORT_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(activities) + 1)}"

    about = book.create_sheet(str(_("About")))
    about.append([str(_("Workplan")), str(workplan)])
    about.append([str(_("Network")), workplan.network.name])
    about.append([str(_("Status")), str(workplan.get_status_display())])
    if workplan.approved_on:
        about.append(
            [
                str(_("Approved")),
                f"{workplan.approved_on.isoformat()} — {workplan.approval_reference}",
            ]
        )
    about.append([str(_("Exported")), timezone.localtime().replace(tzinfo=None, microsecond=0)])
    about.append([str(_("Activities")), len(activities)])
    about.append(
        [
            str(_("Filters")),
            "; ".join(f"{label}: {value}" for label, value in filters) or str(_("none")),
        ]
    )
    for cell in about["A"]:
        cell.font = bold
    for row in about.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
