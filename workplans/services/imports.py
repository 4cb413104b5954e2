"""A workplan from a spreadsheet (CSV or Excel .xlsx).

The layout: one row per activity, a header row naming the columns of COLUMNS
(in any order; the labels of the template are accepted as well as the keys):

    objective_code, objective_title, activity_code, title, description, lead,
    partners, task_team, start, end, indicator, target, weight, framework

- `lead` and `partners`: acronyms of member agencies of the network,
  separated by ";" (e.g. "IOM; UNHCR"); an agency is lead or partner, not both.
- `task_team`: the name or the slug of one of the network's task teams.
- `start`, `end`: dates as YYYY-MM-DD (Excel date cells are read too), within
  the workplan's years.
- `weight`: a number, 1 when empty.
- `framework`: codes separated by ";", e.g. "GCM 1; GCM 23; SDG 10.7".

Every row is checked before anything is written: an error names its row (as
the spreadsheet numbers it, the header being row 1) and its column, and a
file with any error imports nothing. The whole import is one transaction.

A re-import updates rather than duplicates:

- an objective is found by its code in the workplan: a title in the file
  replaces its title; a new code adds an objective at the end;
- an activity is found by its code in the workplan (codes are unique across
  the plan): its planning fields are replaced by the row, an empty optional
  cell clearing the field, and it moves to the row's objective; its progress
  (status, percent complete, updates) stays as it is;
- objectives and activities the file does not name are left as they are:
  an import never deletes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from members.models import Organization
from taskteams.models import TaskTeam

from ..models import Activity, FrameworkObjective, Objective, Workplan
from . import plans

SUFFIXES = {".csv", ".xlsx"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_LINES = MAX_ROWS * 2  # blank rows included
MAX_COLUMNS = 60
SHEET_NAME = "Activities"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    required: bool
    help: Promise | str
    example: str
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column(
        "objective_code",
        gettext_lazy("Objective code"),
        True,
        gettext_lazy("The objective the activity serves, e.g. 1."),
        "1",
        10,
    ),
    Column(
        "objective_title",
        gettext_lazy("Objective title"),
        False,
        gettext_lazy("Needed on the first row of a new objective; may repeat on the others."),
        "Strengthen the evidence base on migration",
        36,
    ),
    Column(
        "activity_code",
        gettext_lazy("Activity code"),
        True,
        gettext_lazy(
            "Unique in the workplan, e.g. 1.1. A code already in the plan updates that activity."
        ),
        "1.1",
        10,
    ),
    Column(
        "title",
        gettext_lazy("Title"),
        True,
        gettext_lazy("The activity."),
        "Regional migration data workshop",
        40,
    ),
    Column("description", gettext_lazy("Description"), False, gettext_lazy("Free text."), "", 30),
    Column(
        "lead",
        gettext_lazy("Lead"),
        True,
        gettext_lazy("Acronyms of member agencies, separated by ;"),
        "IOM; ILO",
        14,
    ),
    Column(
        "partners",
        gettext_lazy("Partners"),
        False,
        gettext_lazy("Acronyms of member agencies, separated by ;"),
        "UNHCR",
        14,
    ),
    Column(
        "task_team",
        gettext_lazy("Task team"),
        False,
        gettext_lazy("Name or slug of one of the network's task teams."),
        "",
        22,
    ),
    Column("start", gettext_lazy("Start"), True, gettext_lazy("YYYY-MM-DD"), "2026-02-01", 12),
    Column(
        "end",
        gettext_lazy("End"),
        True,
        gettext_lazy("YYYY-MM-DD, on or after the start"),
        "2026-06-30",
        12,
    ),
    Column(
        "indicator",
        gettext_lazy("Indicator"),
        False,
        gettext_lazy("How progress is measured."),
        "Workshop held",
        24,
    ),
    Column(
        "target",
        gettext_lazy("Target"),
        False,
        gettext_lazy("What counts as done."),
        "30 officials trained",
        24,
    ),
    Column(
        "weight",
        gettext_lazy("Weight"),
        False,
        gettext_lazy("Its share in the roll-up; 1 when empty."),
        "1",
        8,
    ),
    Column(
        "framework",
        gettext_lazy("Framework"),
        False,
        gettext_lazy("GCM objectives and SDG targets, separated by ;"),
        "GCM 1; SDG 10.7",
        18,
    ),
)
KEYS = [c.key for c in COLUMNS]
_BY_KEY = {c.key: c for c in COLUMNS}
# Other ways people head these columns.
ALIASES = {
    "objective": "objective_code",
    "activity": "activity_code",
    "code": "activity_code",
    "activity_title": "title",
    "leads": "lead",
    "lead_organization": "lead",
    "lead_organizations": "lead",
    "lead_agency": "lead",
    "lead_agencies": "lead",
    "partner": "partners",
    "partner_organizations": "partners",
    "start_date": "start",
    "end_date": "end",
    "framework_objectives": "framework",
    "framework_codes": "framework",
}
_SPLIT = re.compile(r"[;,\n]")
_FRAMEWORK = re.compile(r"^(gcm|sdg)\s*(?:objective|target)?\s*([\d.]+)$", re.IGNORECASE)


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", str(text or "").strip().lower()).strip("_")


def _header_key(text: str) -> str | None:
    key = _normalise_header(text)
    if key in _BY_KEY:
        return key
    if key in ALIASES:
        return ALIASES[key]
    for column in COLUMNS:
        if key == _normalise_header(str(column.label)):
            return column.key
    return None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- errors and results --------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str  # the column's key, or the header as written for an unknown column
    letter: str
    message: str
    value: str = ""

    @property
    def column_label(self) -> str:
        column = _BY_KEY.get(self.column)
        return str(column.label) if column else self.column


class ImportRefused(DomainError):
    """The file has errors: nothing was imported."""

    def __init__(self, errors: list[RowError], message: str | None = None):
        super().__init__(
            message
            or _(
                "Nothing was imported: the file has %(n)s errors. Correct them and import it again."
            )
            % {"n": len(errors)}
        )
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    objectives_created: int = 0
    objectives_updated: int = 0
    activities_created: int = 0
    activities_updated: int = 0


# --- reading the file ------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_csv(raw: bytes) -> Table:
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    # Spreadsheets set to a European locale save CSV with ";" between cells.
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    for cells in reader:
        lines.append(cells[:MAX_COLUMNS])
        if len(lines) > MAX_LINES:
            break
    if not lines:
        return Table(header=[])
    return Table(
        header=[h.strip() for h in lines[0]],
        rows=[(number, list(cells)) for number, cells in enumerate(lines[1:], start=2)],
    )


def _read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        # Bounded: a sheet of a million rows or columns is refused, not read.
        lines = []
        for cells in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            lines.append(list(cells))
            if len(lines) > MAX_LINES:
                break
    finally:
        book.close()
    if not lines:
        return Table(header=[])
    return Table(
        header=[_text(h) for h in lines[0]],
        rows=[(number, cells) for number, cells in enumerate(lines[1:], start=2)],
    )


def read_table(*, name: str, raw: bytes) -> Table:
    suffix = Path(name or "").suffix.lower()
    try:
        if suffix == ".xlsx":
            return _read_xlsx(raw)
        if suffix == ".csv":
            return _read_csv(raw)
    except ImportRefused:
        raise
    except Exception as exc:  # a damaged or mislabelled file: say so, do not crash
        raise ImportRefused(
            [],
            _("%(name)s could not be read as a %(kind)s file (%(why)s).")
            % {"name": name, "kind": suffix[1:].upper(), "why": exc.__class__.__name__},
        ) from exc
    raise ImportRefused(
        [], _("%(name)s is neither a CSV nor an Excel (.xlsx) file.") % {"name": name}
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- checking the rows ------------------------------------------------------------------


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")) from None


def _parse_weight(value: object) -> Decimal:
    text = _text(value).replace(",", ".")
    if not text:
        return Decimal("1")
    try:
        weight = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Write the weight as a number, e.g. 1 or 2.5.")) from None
    if not weight.is_finite():
        raise ValueError(_("Write the weight as a number, e.g. 1 or 2.5."))
    return weight


def _tokens(value: object) -> list[str]:
    return [t.strip() for t in _SPLIT.split(_text(value)) if t.strip()]


@dataclass
class _Lookups:
    members: dict[str, Organization]  # acronym (upper case) → member agency
    others: set[str]  # acronyms of agencies that are not members
    teams: dict[str, TaskTeam]  # name or slug (lower case) → task team
    frameworks: dict[str, FrameworkObjective]  # "GCM 1" (upper case) → objective
    objectives: dict[str, Objective]  # code → objective of the workplan
    activities: dict[str, Activity]  # code → activity of the workplan

    @classmethod
    def load(cls, workplan: Workplan, context: plans.PlanContext) -> _Lookups:
        members = {
            o.acronym.upper(): o for o in Organization.objects.filter(pk__in=context.member_ids)
        }
        others = {
            a.upper()
            for a in Organization.objects.exclude(pk__in=context.member_ids).values_list(
                "acronym", flat=True
            )
        }
        teams: dict[str, TaskTeam] = {}
        for team in TaskTeam.objects.filter(network_id=workplan.network_id):
            teams[team.name.strip().lower()] = team
            teams[team.slug.lower()] = team
        return cls(
            members=members,
            others=others,
            teams=teams,
            frameworks={f.code.upper(): f for f in FrameworkObjective.objects.all()},
            objectives={o.code: o for o in workplan.objectives.all()},
            activities={a.code: a for a in Activity.objects.filter(objective__workplan=workplan)},
        )

    def organizations(self, value: object) -> tuple[list[Organization], str | None]:
        found, unknown, strangers = [], [], []
        for token in _tokens(value):
            org = self.members.get(token.upper())
            if org is not None:
                if org not in found:
                    found.append(org)
            elif token.upper() in self.others:
                strangers.append(token)
            else:
                unknown.append(token)
        problems = []
        if unknown:
            problems.append(_("No agency has the acronym %(list)s.") % {"list": ", ".join(unknown)})
        if strangers:
            problems.append(
                _("Not members of the network: %(list)s.") % {"list": ", ".join(strangers)}
            )
        return found, " ".join(problems) or None

    def framework(self, value: object) -> tuple[list[FrameworkObjective], str | None]:
        found, unknown = [], []
        for token in _tokens(value):
            match = _FRAMEWORK.match(token)
            key = f"{match.group(1)} {match.group(2)}".upper() if match else token.upper()
            objective = self.frameworks.get(key)
            if objective is None:
                unknown.append(token)
            elif objective not in found:
                found.append(objective)
        if unknown:
            return found, _(
                "Unknown framework codes: %(list)s. Use GCM 1 to GCM 23 and SDG 10.7."
            ) % {"list": ", ".join(unknown)}
        return found, None


# Which column an activity rule speaks of.
_PROBLEM_COLUMN = {
    "code": "activity_code",
    "title": "title",
    "description": "description",
    "start": "start",
    "end": "end",
    "lead_organizations": "lead",
    "partner_organizations": "partners",
    "task_team": "task_team",
    "weight": "weight",
    "indicator": "indicator",
    "target": "target",
}


@dataclass
class _Row:
    number: int
    objective_code: str
    objective_title: str
    data: plans.ActivityData


def _check(
    table: Table, workplan: Workplan, context: plans.PlanContext, lookups: _Lookups
) -> tuple[list[_Row], list[RowError]]:
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, header in enumerate(table.header):
        if not header:
            continue
        key = _header_key(header)
        if key is None:
            errors.append(
                RowError(
                    1,
                    header,
                    column_letter(index),
                    _("Unknown column: use the columns of the template."),
                    header,
                )
            )
        elif key in positions:
            errors.append(
                RowError(1, key, column_letter(index), _("This column appears twice."), header)
            )
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.key, "", _("This column is missing.")))
    if errors:
        return [], errors

    def cell(cells: list[object], key: str) -> object:
        index = positions.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    rows: list[_Row] = []
    seen_codes: dict[str, int] = {}
    objective_titles: dict[str, tuple[str, int]] = {}
    data_rows = [(n, c) for n, c in table.rows if any(_text(v) for v in c)]
    if not data_rows:
        return [], [RowError(2, "activity_code", "", _("The file has no activities."))]
    if len(data_rows) > MAX_ROWS:
        return [], [
            RowError(
                data_rows[MAX_ROWS][0],
                "activity_code",
                "",
                _("At most %(n)s activities in one file.") % {"n": MAX_ROWS},
            )
        ]
    for number, cells in data_rows:
        row_errors: dict[str, str] = {}

        def fail(key: str, message: str, *, _errors: dict[str, str] = row_errors) -> None:
            _errors.setdefault(key, message)

        objective_code = _text(cell(cells, "objective_code"))
        objective_title = _text(cell(cells, "objective_title"))
        if not objective_code:
            fail("objective_code", _("Give the objective's code."))
        elif len(objective_code) > 20:
            fail("objective_code", _("A code has at most 20 characters."))
        elif len(objective_title) > 300:
            fail("objective_title", _("At most %(n)s characters.") % {"n": 300})
        elif objective_title:
            earlier = objective_titles.get(objective_code)
            if earlier and earlier[0] != objective_title:
                fail(
                    "objective_title",
                    _("Objective %(code)s is titled “%(title)s” on row %(row)s.")
                    % {"code": objective_code, "title": earlier[0], "row": earlier[1]},
                )
            else:
                objective_titles.setdefault(objective_code, (objective_title, number))
        elif objective_code not in lookups.objectives and objective_code not in objective_titles:
            fail(
                "objective_title",
                _("Objective %(code)s is new: give its title.") % {"code": objective_code},
            )

        code = _text(cell(cells, "activity_code"))
        if code in seen_codes:
            fail(
                "activity_code",
                _("Activity %(code)s is also on row %(row)s: a code names one activity.")
                % {"code": code, "row": seen_codes[code]},
            )
        elif code:
            seen_codes[code] = number

        leads, problem = lookups.organizations(cell(cells, "lead"))
        if problem:
            fail("lead", problem)
        partners, problem = lookups.organizations(cell(cells, "partners"))
        if problem:
            fail("partners", problem)
        team = None
        team_name = _text(cell(cells, "task_team"))
        if team_name:
            team = lookups.teams.get(team_name.lower())
            if team is None:
                fail(
                    "task_team",
                    _("The network has no task team named %(name)s.") % {"name": team_name},
                )
        dates: dict[str, date | None] = {}
        for key in ("start", "end"):
            raw = cell(cells, key)
            dates[key] = None
            if not _text(raw):
                fail(key, _("Give the date as YYYY-MM-DD."))
                continue
            try:
                dates[key] = _parse_date(raw)
            except ValueError as exc:
                fail(key, str(exc))
        try:
            weight = _parse_weight(cell(cells, "weight"))
        except ValueError as exc:
            fail("weight", str(exc))
            weight = Decimal("1")
        frameworks, problem = lookups.framework(cell(cells, "framework"))
        if problem:
            fail("framework", problem)

        data = plans.ActivityData(
            code=code,
            title=_text(cell(cells, "title")),
            description=_text(cell(cells, "description")),
            start=dates["start"],
            end=dates["end"],
            lead_organizations=leads,
            partner_organizations=partners,
            task_team=team,
            indicator=_text(cell(cells, "indicator")),
            target=_text(cell(cells, "target")),
            weight=weight,
            framework_objectives=frameworks,
        )
        existing = lookups.activities.get(code)
        problems = plans.activity_problems(
            context=context, data=data, activity_id=existing.pk if existing else None
        )
        for name, message in problems.items():
            key = _PROBLEM_COLUMN.get(name)
            if key == "lead" and "lead" in row_errors:
                continue  # "no lead" after the unknown acronyms were said
            if key:
                fail(key, message)
        for key, message in row_errors.items():
            errors.append(
                RowError(
                    number,
                    key,
                    column_letter(positions[key]) if key in positions else "",
                    message,
                    _text(cell(cells, key))[:80],
                )
            )
        rows.append(_Row(number, objective_code, objective_title, data))
    errors.sort(key=lambda e: (e.row, KEYS.index(e.column) if e.column in KEYS else -1))
    return rows, errors


# --- the import --------------------------------------------------------------------


def workplan_import(*, workplan: Workplan, name: str, raw: bytes, by=None) -> ImportResult:
    """Check every row of the file, then write them all in one transaction;
    ImportRefused (with every error) when any row is wrong, having written
    nothing."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused([], _("The file is larger than 5 MB."))
    table = read_table(name=name, raw=raw)
    if not table.header:
        raise ImportRefused([], _("The file is empty."))
    result = ImportResult()
    with transaction.atomic():
        locked = Workplan.objects.select_for_update().select_related("network").get(pk=workplan.pk)
        plans.ensure_editable(locked)
        context = plans.PlanContext.load(locked)
        lookups = _Lookups.load(locked, context)
        rows, errors = _check(table, locked, context, lookups)
        if errors:
            raise ImportRefused(errors)
        result.rows = len(rows)
        position = locked.objectives.aggregate(m=Max("position"))["m"] or 0
        for row in rows:
            objective = lookups.objectives.get(row.objective_code)
            if objective is None:
                position += 1
                objective = Objective(
                    workplan=locked,
                    code=row.objective_code,
                    title=row.objective_title,
                    position=position,
                )
                plans.set_history_user(objective, by)
                objective.save()
                lookups.objectives[objective.code] = objective
                result.objectives_created += 1
            elif row.objective_title and row.objective_title != objective.title:
                objective.title = row.objective_title
                plans.set_history_user(objective, by)
                objective.save(update_fields=["title"])
                result.objectives_updated += 1
            activity = lookups.activities.get(row.data.code)
            plans.write_activity(
                activity=activity or Activity(),
                objective=objective,
                data=row.data,
                by=by,
                created=activity is None,
            )
            if activity is None:
                result.activities_created += 1
            else:
                result.activities_updated += 1
    return result


# --- the template ------------------------------------------------------------------------


def _member_acronyms(workplan: Workplan) -> list[str]:
    return list(
        Organization.objects.filter(pk__in=plans.network_member_ids(workplan.network_id))
        .order_by("acronym")
        .values_list("acronym", flat=True)
    )


def template_csv(workplan: Workplan) -> bytes:
    """The header row (UTF-8 with a byte-order mark, so that Excel reads the
    accents right)."""
    out = io.StringIO()
    csv.writer(out).writerow(KEYS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def example_rows(workplan: Workplan) -> list[list[str]]:
    """Two rows of an example for the import page and the template's help,
    with the network's own acronyms and the workplan's first year."""
    acronyms = _member_acronyms(workplan) or ["IOM", "ILO"]
    year = workplan.start_year
    lead = acronyms[0]
    partner = acronyms[1] if len(acronyms) > 1 else ""
    return [
        [
            "1",
            _("Strengthen the evidence base on migration"),
            "1.1",
            _("Regional workshop on migration data"),
            "",
            lead,
            partner,
            "",
            f"{year}-02-01",
            f"{year}-06-30",
            _("Workshop held"),
            _("30 officials trained"),
            "1",
            "GCM 1",
        ],
        [
            "1",
            "",
            "1.2",
            _("Guidance note on disaggregated data"),
            "",
            f"{lead}; {partner}" if partner else lead,
            "",
            "",
            f"{year}-03-01",
            f"{year}-12-31",
            _("Note published"),
            _("1 note"),
            "2",
            "GCM 1; SDG 10.7",
        ],
    ]


def template_xlsx(workplan: Workplan) -> bytes:
    """An Excel workbook: the `Activities` sheet to fill in (the header row,
    codes and dates kept as text), and a `Help` sheet with the columns, an
    example, the network's acronyms, task teams and the framework codes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    sheet.append(KEYS)
    for index, column in enumerate(COLUMNS):
        letter = column_letter(index)
        header = sheet[f"{letter}1"]
        header.font = bold
        header.fill = fill
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("objective_code", "activity_code", "start", "end"):
            # Typed as text: Excel would turn 1.10 into 1.1 and dates into serials.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    help_sheet = book.create_sheet(_("Help"))
    help_sheet.append([str(_("Fill in the sheet “Activities”: one row per activity."))])
    help_sheet.append(
        [
            str(
                _(
                    "Nothing is imported until every row is right; errors are listed by row and column."
                )
            )
        ]
    )
    help_sheet.append([])
    help_sheet.append(
        [str(_("Column")), str(_("Required")), str(_("What to write")), str(_("Example"))]
    )
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = bold
    for column in COLUMNS:
        help_sheet.append(
            [column.key, str(_("yes") if column.required else ""), str(column.help), column.example]
        )
    help_sheet.append([])
    help_sheet.append([str(_("Example"))])
    help_sheet[f"A{help_sheet.max_row}"].font = bold
    help_sheet.append(KEYS)
    for row in example_rows(workplan):
        help_sheet.append([str(v) for v in row])
    help_sheet.append([])
    help_sheet.append(
        [str(_("Acronyms of the members of %(n)s") % {"n": workplan.network.short_name})]
    )
    help_sheet[f"A{help_sheet.max_row}"].font = bold
    help_sheet.append(["; ".join(_member_acronyms(workplan))])
    teams = list(
        TaskTeam.objects.filter(network_id=workplan.network_id)
        .order_by("name")
        .values_list("name", "slug")
    )
    if teams:
        help_sheet.append([])
        help_sheet.append([str(_("Task teams (name or slug)"))])
        help_sheet[f"A{help_sheet.max_row}"].font = bold
        for name, slug in teams:
            help_sheet.append([name, slug])
    help_sheet.append([])
    help_sheet.append([str(_("Framework codes"))])
    help_sheet[f"A{help_sheet.max_row}"].font = bold
    for code, title in FrameworkObjective.objects.values_list("code", "title"):
        help_sheet.append([code, title])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def columns_for_page() -> Iterable[Column]:
    return COLUMNS
