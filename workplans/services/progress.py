"""Progress on activities: the focal points of lead and partner agencies log
a quarterly update (percent complete, status, narrative, evidence).

Updates are never overwritten: each one is a new row and together they are
the activity's history. `Activity.status` and `Activity.percent_complete`
mirror the newest update of the latest period, and are set here only
(`progress_log`), in the transaction that writes the update.

The rules an update obeys live in `progress_problems`, `decrease_problem`
and `evidence_problem`, so the form, the service and the spreadsheet import
(progress_import.py) refuse the same things with the same words. An update
that lowers the percent complete is logged only with the reporter's reason
(their confirmation), stored on the update with the figure it went down from.

The reads the progress pages and the dashboard share are at the end
(`activity_for_page`, `activity_updates`, `my_activities`, `progress_waiting`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from core import files
from core.errors import DomainError
from core.history import Change, changes_for, changes_of_records, merge_changes, set_history_user
from members.models import Organization
from members.roles import Actor

from ..models import (
    DECREASE_REASON_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    Activity,
    ActivityStatus,
    ProgressUpdate,
    WorkplanStatus,
)
from ..permissions import activities_of, reporting_organization_ids, visible_activities

EVIDENCE_URL_MAX_CHARS = 200  # ProgressUpdate.evidence_url (URLField's default)

# --- the reporting period ----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter: the period a progress update reports on."""

    year: int
    quarter: int

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Period:
        return cls.of(timezone.localdate())

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.quarter - 1) + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Period:
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    def previous(self) -> Period:
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    @property
    def index(self) -> int:
        """Quarters since year 0: differences count quarters."""
        return self.year * 4 + self.quarter - 1

    @property
    def slug(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        # As ProgressUpdate.period writes it.
        return f"{self.year} Q{self.quarter}"


def period_of(update: ProgressUpdate) -> Period:
    return Period(update.year, update.quarter)


# --- the rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a value is refused, and which field (or spreadsheet column) holds it."""

    field: str
    message: str


def period_problem(period: Period, *, today: date | None = None) -> Problem | None:
    """A period that does not exist or has not started yet."""
    if not 1 <= period.quarter <= 4:
        return Problem("quarter", _("Choose a quarter from 1 to 4."))
    current = Period.of(today or timezone.localdate())
    if period > current:
        return Problem(
            "quarter" if period.year == current.year else "year",
            _("%(period)s has not started yet: report on %(current)s or an earlier quarter.")
            % {"period": period, "current": current},
        )
    return None


def progress_problems(
    *,
    activity: Activity,
    period: Period,
    percent_complete: int | None,
    status: str,
    narrative: str,
    evidence_url: str = "",
    today: date | None = None,
) -> list[Problem]:
    """Everything wrong with an update, field by field (empty: nothing).

    Decided here: "completed" means 100% and 100% means "completed"; an
    activity "not started" is at 0%. A period is a quarter that has started,
    not before the year the activity starts."""
    problems: list[Problem] = []
    if activity.objective.workplan.status == WorkplanStatus.CLOSED:
        problems.append(
            Problem(
                "__all__",
                _("The workplan of %(code)s is closed: it takes no more progress updates.")
                % {"code": activity.code},
            )
        )
    problem = period_problem(period, today=today)
    if problem:
        problems.append(problem)
    elif period.year < activity.start.year:
        problems.append(
            Problem(
                "year",
                _("%(code)s starts in %(year)s: report on a quarter from then on.")
                % {"code": activity.code, "year": activity.start.year},
            )
        )

    percent_ok = percent_complete is not None and 0 <= percent_complete <= 100
    if not percent_ok:
        problems.append(
            Problem(
                "percent_complete", _("Give the percent complete as a whole number from 0 to 100.")
            )
        )
    if status not in ActivityStatus.values:
        problems.append(
            Problem(
                "status",
                _("Choose a status: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in ActivityStatus.labels)},
            )
        )
    elif percent_ok:
        if status == ActivityStatus.COMPLETED and percent_complete != 100:
            problems.append(
                Problem(
                    "percent_complete",
                    _("A completed activity is at 100%: set 100, or choose another status."),
                )
            )
        elif status != ActivityStatus.COMPLETED and percent_complete == 100:
            problems.append(
                Problem(
                    "status",
                    _(
                        "At 100% the activity is completed: choose Completed, or lower the percentage."
                    ),
                )
            )
        elif status == ActivityStatus.NOT_STARTED and percent_complete:
            problems.append(
                Problem(
                    "percent_complete",
                    _("An activity not started is at 0%: set 0, or choose another status."),
                )
            )

    narrative = narrative.strip()
    if not narrative:
        problems.append(
            Problem("narrative", _("Say in a few sentences what was done in the quarter."))
        )
    elif len(narrative) > NARRATIVE_MAX_CHARS:
        problems.append(
            Problem(
                "narrative",
                _("Keep the narrative under %(n)s characters; put the rest in the evidence.")
                % {"n": NARRATIVE_MAX_CHARS},
            )
        )

    if evidence_url:
        if len(evidence_url) > EVIDENCE_URL_MAX_CHARS:
            problems.append(
                Problem(
                    "evidence_url",
                    _("The link is longer than %(n)s characters: shorten it, or attach a file.")
                    % {"n": EVIDENCE_URL_MAX_CHARS},
                )
            )
        else:
            try:
                URLValidator(schemes=["http", "https"])(evidence_url)
            except ValidationError:
                problems.append(
                    Problem(
                        "evidence_url",
                        _("Give the evidence as a web address starting with https://."),
                    )
                )
    return problems


# --- progress that goes down --------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """The percent complete that counts for a period, and the period it was
    reported for."""

    percent: int
    period: Period


def _up_to(period: Period) -> Q:
    return Q(year__lt=period.year) | Q(year=period.year, quarter__lte=period.quarter)


def counting_figure(activity: Activity, period: Period) -> Figure | None:
    """What an update for `period` follows: the newest update of `period`,
    or when it has none, of the latest period before it. One query."""
    row = (
        activity.updates.filter(_up_to(period))
        .order_by("-year", "-quarter", "-created_at", "-pk")
        .values("percent_complete", "year", "quarter")
        .first()
    )
    return Figure(row["percent_complete"], Period(row["year"], row["quarter"])) if row else None


def counting_figures(activity_ids: list[int], period: Period) -> dict[int, Figure]:
    """`counting_figure` for many activities, in one query."""
    newest = ProgressUpdate.objects.filter(_up_to(period), activity=OuterRef("pk")).order_by(
        "-year", "-quarter", "-created_at", "-pk"
    )
    rows = (
        Activity.objects.filter(pk__in=activity_ids)
        .annotate(
            before_percent=Subquery(newest.values("percent_complete")[:1]),
            before_year=Subquery(newest.values("year")[:1]),
            before_quarter=Subquery(newest.values("quarter")[:1]),
        )
        .filter(before_percent__isnull=False)
        .values_list("pk", "before_percent", "before_year", "before_quarter")
    )
    return {pk: Figure(percent, Period(year, quarter)) for pk, percent, year, quarter in rows}


def is_decrease(before: Figure | None, percent_complete: int | None) -> bool:
    return before is not None and percent_complete is not None and percent_complete < before.percent


def decrease_problem(
    *, before: Figure | None, percent_complete: int | None, decrease_reason: str
) -> Problem | None:
    """A lower figure than the one that counted before it needs the
    reporter's reason: saying why is how they confirm it went down."""
    if not is_decrease(before, percent_complete):
        return None
    reason = decrease_reason.strip()
    if not reason:
        return Problem(
            "decrease_reason",
            _(
                "Progress would go down from %(before)s%% (%(period)s) to %(percent)s%%. "
                "If that is right, say why and log it again; otherwise correct the percentage."
            )
            % {"before": before.percent, "period": before.period, "percent": percent_complete},
        )
    if len(reason) > DECREASE_REASON_MAX_CHARS:
        return Problem(
            "decrease_reason",
            _("Keep the reason under %(n)s characters.") % {"n": DECREASE_REASON_MAX_CHARS},
        )
    return None


# Evidence: documents, spreadsheets, slides and photos. The content must
# match the suffix (core/files.py), so a renamed executable or web page is refused.
EVIDENCE_SUFFIXES = (
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp",
    ".doc", ".xls", ".ppt", ".rtf", ".png", ".jpg", ".jpeg",
)  # fmt: skip


def evidence_max_bytes() -> int:
    return settings.PROGRESS_EVIDENCE_MAX_MB * 1024 * 1024


def evidence_problem(upload: UploadedFile) -> str | None:
    """Why this file is not acceptable evidence, or None."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        return _(
            "%(name)s is not a kind of file we keep as evidence: attach a PDF, an Office or "
            "OpenDocument file, or a PNG or JPEG picture, or give a link."
        ) % {"name": name}
    if upload.size > evidence_max_bytes():
        return _("%(name)s is larger than %(mb)s MB: give a link to it instead.") % {
            "name": name,
            "mb": settings.PROGRESS_EVIDENCE_MAX_MB,
        }
    if not files.content_matches(upload, suffix):
        return _("%(name)s is not really a %(kind)s file.") % {
            "name": name,
            "kind": suffix[1:].upper(),
        }
    return None


# --- the write ---------------------------------------------------------------------------


def _organization_id(organization: Organization | int) -> int:
    return organization if isinstance(organization, int) else organization.pk


def progress_log(
    *,
    activity: Activity,
    actor: Actor,
    organization: Organization | int,
    period: Period,
    percent_complete: int,
    status: str,
    narrative: str,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    decrease_reason: str = "",
    by=None,
    today: date | None = None,
) -> ProgressUpdate:
    """Record an update on `activity` for `period`, reported for `organization`
    (one of the agencies `actor` may report for on it), and set the
    activity's figures from its newest update of the latest period.

    A percent complete lower than the figure that counted before
    (`counting_figure`) is refused without `decrease_reason`; with it, the
    update keeps the reason and the figure it went down from.

    Who may log at all is the view's question (permissions "progress.log");
    for which agency, and with which values, is answered here."""
    org_id = _organization_id(organization)
    if org_id not in reporting_organization_ids(actor, activity):
        raise DomainError(
            _("You do not report for this agency on %(code)s.") % {"code": activity.code},
            field="organization",
        )
    problems = progress_problems(
        activity=activity,
        period=period,
        percent_complete=percent_complete,
        status=status,
        narrative=narrative,
        evidence_url=evidence_url,
        today=today,
    )
    if problems:
        raise DomainError(problems[0].message, field=problems[0].field)
    if evidence_file is not None:
        problem = evidence_problem(evidence_file)
        if problem:
            raise DomainError(problem, field="evidence_file")

    with transaction.atomic():
        # One writer at a time per activity: the figures below are those of
        # the update that is newest when this transaction commits.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        # Read under the lock: the figure this update follows cannot change
        # before it is saved.
        before = counting_figure(locked, period)
        problem = decrease_problem(
            before=before, percent_complete=percent_complete, decrease_reason=decrease_reason
        )
        if problem:
            raise DomainError(problem.message, field=problem.field)
        decrease = is_decrease(before, percent_complete)
        update = ProgressUpdate(
            activity=locked,
            year=period.year,
            quarter=period.quarter,
            percent_complete=percent_complete,
            status=status,
            narrative=narrative.strip(),
            evidence_url=evidence_url,
            decreased_from=before.percent if decrease else None,
            decrease_reason=decrease_reason.strip() if decrease else "",
            organization_id=org_id,
            reported_by=by if by is not None and by.is_authenticated else None,
        )
        if evidence_file is not None:
            update.evidence_file = evidence_file
        set_history_user(update, by)
        update.save()
        activity_figures_refresh(activity=locked, by=by)
    # The caller's instance shows the new figures too.
    activity.status, activity.percent_complete = locked.status, locked.percent_complete
    return update


def activity_figures_refresh(*, activity: Activity, by=None) -> bool:
    """Set the activity's status and percent complete from its newest update
    of the latest period (its defaults when it has none). True if they changed."""
    newest = (
        activity.updates.order_by("-year", "-quarter", "-created_at", "-pk")
        .values("status", "percent_complete")
        .first()
    ) or {"status": ActivityStatus.NOT_STARTED, "percent_complete": 0}
    if (activity.status, activity.percent_complete) == (
        newest["status"],
        newest["percent_complete"],
    ):
        return False
    activity.status = newest["status"]
    activity.percent_complete = newest["percent_complete"]
    set_history_user(activity, by)  # the history record names who reported
    activity._change_reason = "progress update"
    activity.save(update_fields=["status", "percent_complete", "updated_at"])
    return True


# --- reads -------------------------------------------------------------------------------


def with_reporting_data(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """What permissions.reporting_organization_ids reads, fetched once for a
    whole list: leads, partners, the workplan's network, the task team."""
    return queryset.select_related("objective__workplan__network", "task_team").prefetch_related(
        "lead_organizations", "partner_organizations", "task_team__co_chairs", "task_team__members"
    )


def activity_for_page(actor: Actor) -> QuerySet[Activity]:
    """The activities the actor may open, with what their page shows."""
    return (
        with_reporting_data(visible_activities(actor))
        .select_related("task_team__network")
        .prefetch_related("framework_objectives")
    )


def activity_updates(activity: Activity) -> list[ProgressUpdate]:
    """The activity's history, newest period first and newest first within
    it; each update says whether a later one of its period supersedes it."""
    updates = list(
        activity.updates.select_related("organization", "reported_by").order_by(
            "-year", "-quarter", "-created_at", "-pk"
        )
    )
    seen: set[Period] = set()
    for update in updates:
        period = period_of(update)
        update.superseded = period in seen
        seen.add(period)
    return updates


def active_in(period: Period) -> Q:
    """Activities due to report for `period`: their workplan approved, the
    activity running in the quarter and not yet reported completed (the
    reminders ask these)."""
    return Q(
        objective__workplan__status=WorkplanStatus.APPROVED,
        start__lte=period.last_day,
        end__gte=period.first_day,
    ) & ~Q(status=ActivityStatus.COMPLETED)


def is_due(activity: Activity, period: Period) -> bool:
    """`active_in`, for one activity already in memory."""
    return (
        activity.objective.workplan.status == WorkplanStatus.APPROVED
        and activity.start <= period.last_day
        and activity.end >= period.first_day
        and activity.status != ActivityStatus.COMPLETED
    )


def updated_in(period: Period) -> Exists:
    """An update exists for `period` (on the outer activity)."""
    return Exists(
        ProgressUpdate.objects.filter(
            activity=OuterRef("pk"), year=period.year, quarter=period.quarter
        )
    )


def my_activities(actor: Actor, *, period: Period) -> QuerySet[Activity]:
    """The activities of the actor's agencies (permissions.activities_of):
    those due for `period` with no update for it yet first, then by network,
    workplan, objective and code. Each carries `reported` (an update exists
    for `period`), `missing` (due and not reported) and `last_year` and
    `last_quarter` (its latest period, or None)."""
    latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by(
        "-year", "-quarter", "-created_at", "-pk"
    )
    return (
        with_reporting_data(Activity.objects.filter(pk__in=activities_of(actor).values("pk")))
        .annotate(
            reported=updated_in(period),
            missing=ExpressionWrapper(
                active_in(period) & ~updated_in(period), output_field=BooleanField()
            ),
            last_year=Subquery(latest.values("year")[:1]),
            last_quarter=Subquery(latest.values("quarter")[:1]),
        )
        .order_by(
            "-missing",
            "objective__workplan__network__short_name",
            "-objective__workplan__start_year",
            "objective__workplan__title",
            "objective__position",
            "objective__code",
            "code",
        )
    )


def progress_missing(actor: Actor, period: Period, network=None):
    """The actor's activities due in the period with no update for it yet,
    in one network or (None) in all of them."""
    missing = (
        Activity.objects.filter(pk__in=activities_of(actor).values("pk"))
        .filter(active_in(period))
        .exclude(updated_in(period))
    )
    if network is not None:
        missing = missing.filter(objective__workplan__network=network)
    return missing


def progress_waiting(actor: Actor, *, network=None, limit: int = 5) -> dict:
    """For the dashboard: the current quarter, how many of the actor's
    activities are due and have no update for it yet, and the first few, in
    one network or (None) in all. Two queries (three when the actor's
    networks are not known yet)."""
    period = Period.current()
    missing = (
        progress_missing(actor, period, network)
        .select_related("objective__workplan__network")
        .order_by(
            "objective__workplan__network__short_name",
            "-objective__workplan__start_year",
            "objective__position",
            "objective__code",
            "code",
        )
    )
    shown = list(missing[:limit])
    return {
        "period": period,
        "missing": shown,
        "missing_count": len(shown) if len(shown) < limit else missing.count(),
    }


def activity_history(activity: Activity, limit: int = 15) -> list[Change]:
    """Who changed the activity and its progress updates (logged, corrected
    in the admin, removed), newest first. Two queries."""
    updates = changes_of_records(
        ProgressUpdate.history.filter(activity_id=activity.pk),
        ProgressUpdate,
        describe=lambda r: _("Progress %(period)s") % {"period": f"{r.year} Q{r.quarter}"},
        limit=limit,
    )
    return merge_changes(changes_for(activity, limit=limit), updates, limit=limit)
