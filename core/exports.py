"""Tables as the secretariat shares them: CSV (UTF-8 with a byte-order mark,
so that Excel reads accents right) and an Excel workbook (a header row,
filters on, the header frozen, and an "About" sheet saying what the table
is, which filters, when).

Cells that a spreadsheet would take for a formula (starting with =, +, -
or @) are written as text, so an exported title can never run in someone's
spreadsheet. Values are typed: dates stay dates and numbers numbers in the
workbook; the CSV writes them as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.utils import timezone

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return safe_text(str(value))


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(
    *,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] = (),
    about: Sequence[tuple[str, object]] = (),
    about_title: str = "About",
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    sheet.append([str(h) for h in headers])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    for row_number, values in enumerate(rows, start=2):
        for col_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=col_number)
            if isinstance(value, datetime):
                cell.value = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, str):
                cell.value = value
                # Never a formula, whatever the text starts with.
                cell.data_type = "s"
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(headers)))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"

    if about:
        sheet_about = book.create_sheet(str(about_title))
        for label, value in about:
            sheet_about.append([str(label), value])
        for cell in sheet_about["A"]:
            cell.font = bold
        for row in sheet_about.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
        sheet_about.column_dimensions["A"].width = 14
        sheet_about.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exported_at() -> datetime:
    return timezone.localtime().replace(tzinfo=None, microsecond=0)
