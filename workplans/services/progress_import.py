"""A quarter's progress updates as one spreadsheet (CSV or XLSX).

An agency with many activities downloads a template prefilled with the
activities it may report on (code and title; percent, status, narrative and
evidence link left empty), fills in the rows it reports on and sends it back.
Every row is checked with the rules of a single update (services.progress);
the errors are listed by row and column, and nothing is saved unless the
whole file is valid. Rows left empty are skipped: not every activity has
news every quarter.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from members.models import Organization
from members.roles import Actor

from ..models import Activity, ActivityStatus, ProgressUpdate, WorkplanStatus
from ..permissions import activities_of, reporting_organization_ids, visible_activities
from .progress import (
    Period,
    active_in,
    counting_figures,
    decrease_problem,
    progress_log,
    progress_problems,
    with_reporting_data,
)

# The template's columns, in order; the file's header row names them.
COLUMNS = (
    "code", "title", "percent_complete", "status", "narrative", "evidence_url", "decrease_reason",
)  # fmt: skip
REQUIRED = ("code", "percent_complete", "status", "narrative")
FILLED = ("percent_complete", "status", "narrative", "evidence_url", "decrease_reason")
# Other spellings of a header people type or keep from older files.
ALIASES = {
    "activity": "code",
    "activity_code": "code",
    "percent": "percent_complete",
    "percentage": "percent_complete",
    "percent_complete_%": "percent_complete",
    "%": "percent_complete",
    "evidence": "evidence_url",
    "evidence_link": "evidence_url",
    "link": "evidence_url",
    "reason": "decrease_reason",
    "why_lower": "decrease_reason",
}
MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # an XLSX is a zip archive
MAX_ROWS = 2000
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the column's header
    letter: str  # and its letter, as a spreadsheet shows it
    message: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    activity: Activity
    percent_complete: int
    status: str
    narrative: str
    evidence_url: str
    decrease_reason: str = ""


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


# --- who reports on what -----------------------------------------------------------------


def reportable_activities(
    actor: Actor, organization: Organization | int, *, due_in: Period | None = None
) -> list[Activity]:
    """The activities `actor` may report on for `organization`, in workplan
    order; those of closed workplans are left out, and with `due_in` those
    not due for that period (services.progress.active_in)."""
    org_id = organization if isinstance(organization, int) else organization.pk
    activities = Activity.objects.filter(pk__in=activities_of(actor).values("pk")).exclude(
        objective__workplan__status=WorkplanStatus.CLOSED
    )
    if due_in is not None:
        activities = activities.filter(active_in(due_in))
    activities = with_reporting_data(
        activities.order_by(
            "objective__workplan__network__short_name",
            "-objective__workplan__start_year",
            "objective__position",
            "objective__code",
            "code",
        )
    )
    return [a for a in activities if org_id in reporting_organization_ids(actor, a)]


def reporting_organizations(actor: Actor) -> list[Organization]:
    """Every agency the actor reports for on at least one activity."""
    ids: set[int] = set()
    for activity in with_reporting_data(activities_of(actor)):
        ids |= reporting_organization_ids(actor, activity)
    return list(Organization.objects.filter(pk__in=ids).order_by("acronym"))


# --- reading a file ----------------------------------------------------------------------


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _header_key(text: str) -> str:
    key = re.sub(r"[\s\-]+", "_", text.strip().lower())
    return ALIASES.get(key, key)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise DomainError(_("This is not a CSV file: save the sheet as CSV UTF-8, or as XLSX."))
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [
            [_cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), dialect)
        ]
    except csv.Error as exc:
        raise DomainError(
            _("This CSV file could not be read (%(error)s): save it again as CSV UTF-8.")
            % {"error": exc},
            field="file",
        ) from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise DomainError(_("This is not really an XLSX file."), field="file") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        # A small file that unpacks to gigabytes would exhaust the server.
        raise DomainError(
            _("This XLSX file holds too much: send one agency's quarter at a time."),
            field="file",
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DomainError(
            _("This file could not be read as XLSX: save it from Excel or LibreOffice as .xlsx.")
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for cells in sheet.iter_rows():
            values = []
            for cell in cells:
                value = getattr(cell, "value", None)
                # "40%" typed in a cell is stored as 0.4 with a percent format.
                if (
                    isinstance(value, int | float)
                    and "%" in (getattr(cell, "number_format", "") or "")
                    and 0 <= value <= 1
                ):
                    value = value * 100
                values.append(_cell_text(value))
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def read_table(upload: UploadedFile) -> list[list[str]]:
    """The file's rows as text cells, the header first. DomainError when it
    is not a CSV or XLSX file we can read."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise DomainError(_("Send the spreadsheet as .xlsx or .csv."), field="file")
    if upload.size > MAX_BYTES:
        raise DomainError(
            _("The file is larger than 2 MB: send one agency's quarter at a time."), field="file"
        )
    upload.seek(0)
    data = upload.read()
    if suffix == ".xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise DomainError(_("This is not really an XLSX file."), field="file")
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    # Trailing empty rows (spreadsheets keep formatted ones) are not rows.
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise DomainError(_("The file is empty."), field="file")
    if len(rows) > MAX_ROWS + 1:
        raise DomainError(
            _("The file has more than %(n)s rows: send one agency's quarter at a time.")
            % {"n": MAX_ROWS},
            field="file",
        )
    return rows


# --- checking the rows -------------------------------------------------------------------


def _percent(text: str) -> int | None:
    text = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if number != number.to_integral_value():
        return None
    return int(number)


def _status(text: str) -> str | None:
    wanted = re.sub(r"[\s\-]+", "_", text.strip().lower())
    for value, label in ActivityStatus.choices:
        if wanted in (value, re.sub(r"[\s\-]+", "_", str(label).lower())):
            return value
    return None


def _normal(text: str) -> str:
    # A leading apostrophe is how the template keeps a cell from being a formula.
    return " ".join(text.lstrip("'").split()).casefold()


def progress_import_check(
    *, upload: UploadedFile, actor: Actor, organization: Organization, period: Period
) -> ImportCheck:
    """Read and check every row; save nothing."""
    table = read_table(upload)
    header = [_header_key(h) for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError(
            _(
                "The first row must name the columns; %(missing)s is missing. Start from the template."
            )
            % {"missing": ", ".join(missing)},
            field="file",
        )
    position = {name: header.index(name) for name in COLUMNS if name in header}
    headers = {name: table[0][i].strip() or name for name, i in position.items()}

    reportable = reportable_activities(actor, organization)
    # The figures each row follows: a lower one needs its reason (decrease_reason).
    before = counting_figures([a.pk for a in reportable], period)
    by_code: dict[str, list[Activity]] = {}
    for activity in reportable:
        by_code.setdefault(_normal(activity.code), []).append(activity)

    check = ImportCheck()
    seen: dict[int, int] = {}  # activity id: the row that reported it
    foreign: list[tuple[int, str]] = []  # rows whose code is none of the agency's

    def error(row: int, column: str, message: str) -> None:
        check.errors.append(
            RowError(row, headers.get(column, column), _letter(position.get(column, 0)), message)
        )

    for number, cells in enumerate(table[1:], start=2):
        value = {name: (cells[i] if i < len(cells) else "") for name, i in position.items()}
        if not any(value.get(name) for name in FILLED):
            check.skipped += 1  # not reported on this time (or an empty line)
            continue
        code = value.get("code", "")
        if not code:
            error(number, "code", _("Give the activity's code, as in the template."))
            continue
        candidates = by_code.get(_normal(code), [])
        if len(candidates) > 1 and value.get("title"):
            candidates = [a for a in candidates if _normal(a.title) == _normal(value["title"])]
        if not candidates:
            foreign.append((number, code))
            continue
        if len(candidates) > 1:
            error(
                number,
                "code",
                _(
                    "Several of your activities have the code %(code)s: keep its title as in the template."
                )
                % {"code": code},
            )
            continue
        activity = candidates[0]
        if activity.pk in seen:
            error(
                number,
                "code",
                _("%(code)s is already reported in row %(row)s.")
                % {"code": activity.code, "row": seen[activity.pk]},
            )
            continue
        seen[activity.pk] = number

        percent = _percent(value.get("percent_complete", ""))
        status = _status(value.get("status", ""))
        problems = progress_problems(
            activity=activity,
            period=period,
            percent_complete=percent,
            status=status or "",
            narrative=value.get("narrative", ""),
            evidence_url=value.get("evidence_url", ""),
        )
        if not problems:
            problem = decrease_problem(
                before=before.get(activity.pk),
                percent_complete=percent,
                decrease_reason=value.get("decrease_reason", ""),
            )
            if problem:
                problems.append(problem)
        for problem in problems:
            column = problem.field if problem.field in COLUMNS else "code"
            if column == "status" and status is None:
                message = _("Use one of: %(choices)s.") % {
                    "choices": ", ".join(ActivityStatus.values)
                }
            elif column == "decrease_reason" and not value.get("decrease_reason", "").strip():
                figure = before[activity.pk]
                message = _(
                    "%(code)s would go down from %(before)s%% (%(period)s) to %(percent)s%%: "
                    "if that is right, say why in the decrease_reason column; otherwise correct "
                    "the percentage."
                ) % {
                    "code": activity.code,
                    "before": figure.percent,
                    "period": figure.period,
                    "percent": percent,
                }
            else:
                message = problem.message
            error(number, column, message)
        if not problems:
            check.rows.append(
                ImportRow(
                    row=number,
                    activity=activity,
                    percent_complete=percent,
                    status=status,
                    narrative=value["narrative"].strip(),
                    evidence_url=value.get("evidence_url", ""),
                    decrease_reason=value.get("decrease_reason", "").strip(),
                )
            )

    if foreign:
        # Say why: an activity the actor sees but does not report on for
        # this agency, or no activity at all.
        spellings = {v for _n, c in foreign for v in (c, c.upper(), c.lower())}
        visible_codes = {
            _normal(c)
            for c in visible_activities(actor)
            .filter(code__in=spellings)
            .values_list("code", flat=True)
        }
        for number, code in foreign:
            if _normal(code) in visible_codes:
                message = _("%(agency)s does not report on %(code)s.") % {
                    "agency": organization.acronym,
                    "code": code,
                }
            else:
                message = _("No activity has the code %(code)s.") % {"code": code}
            error(number, "code", message)

    check.errors.sort(key=lambda e: (e.row, e.letter))
    if not check.rows and not check.errors:
        raise DomainError(
            _(
                "No row is filled in: give the percent complete, status and narrative of the "
                "activities you report on."
            ),
            field="file",
        )
    return check


def progress_import(
    *, upload: UploadedFile, actor: Actor, organization: Organization, period: Period, by=None
) -> tuple[ImportCheck, list[ProgressUpdate]]:
    """Check the file; when every row is valid, log every update in one
    transaction (all or nothing). Returns the check and the updates saved
    (none when the check found errors)."""
    check = progress_import_check(
        upload=upload, actor=actor, organization=organization, period=period
    )
    if check.errors:
        return check, []
    created: list[ProgressUpdate] = []
    with transaction.atomic():
        for row in check.rows:
            try:
                created.append(
                    progress_log(
                        activity=row.activity,
                        actor=actor,
                        organization=organization,
                        period=period,
                        percent_complete=row.percent_complete,
                        status=row.status,
                        narrative=row.narrative,
                        evidence_url=row.evidence_url,
                        decrease_reason=row.decrease_reason,
                        by=by,
                    )
                )
            except DomainError as exc:
                # Checked above; a change in between (a workplan closed, an
                # agency removed) undoes the whole file.
                raise DomainError(
                    _("Row %(row)s: %(message)s") % {"row": row.row, "message": exc.message},
                    field="file",
                ) from exc
    return check, created


# --- the template ------------------------------------------------------------------------


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def template_rows(activities: list[Activity], *, csv_safe: bool = True) -> list[list[str]]:
    keep = _safe if csv_safe else str
    return [[keep(a.code), keep(a.title), "", "", "", "", ""] for a in activities]


def template_csv(activities: list[Activity]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(template_rows(activities))
    # The byte-order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(
    activities: list[Activity], *, organization: Organization, period: Period
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = f"Progress {period.slug}"
    sheet.append(list(COLUMNS))
    for row in template_rows(activities, csv_safe=False):
        sheet.append(row)
    # Text, whatever the first character (openpyxl takes "=…" for a formula).
    for cells in sheet.iter_rows(min_row=2, max_col=2):
        for cell in cells:
            cell.data_type = "s"
    header_fill = PatternFill("solid", fgColor="E7EEF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for letter, width in zip("ABCDEFG", (12, 60, 18, 14, 70, 40, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    last = max(len(activities) + 1, 2)
    for cells in sheet.iter_rows(min_row=2, max_row=last, min_col=5, max_col=5):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    statuses = DataValidation(
        type="list", formula1='"' + ",".join(ActivityStatus.values) + '"', allow_blank=True
    )
    statuses.error = _("Use one of: %(choices)s.") % {"choices": ", ".join(ActivityStatus.values)}
    statuses.add(f"D2:D{last}")
    percents = DataValidation(
        type="whole", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    percents.error = _("A whole number from 0 to 100.")
    percents.add(f"C2:C{last}")
    sheet.add_data_validation(statuses)
    sheet.add_data_validation(percents)

    notes = book.create_sheet(_("Instructions"))
    for line in (
        _("Progress of %(agency)s for %(period)s")
        % {"agency": organization.acronym, "period": period},
        "",
        _("Fill in percent_complete, status and narrative for each activity you report on;"),
        _("leave the row empty for an activity with nothing to report. evidence_url is optional."),
        _(
            "decrease_reason: only when the percentage is lower than the last one reported, "
            "say why (it confirms that progress went down)."
        ),
        _("percent_complete: a whole number from 0 to 100 (100 only when completed)."),
        _("status: %(choices)s.") % {"choices": ", ".join(ActivityStatus.values)},
        _("Keep the first row and the code and title columns as they are."),
        _("Upload the file on the Import progress page, choosing the same agency and quarter."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    notes["A1"].font = Font(bold=True)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
