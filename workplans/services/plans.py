"""Building a workplan: the workplan itself and its status (draft → approved →
closed), its objectives and their order, and its activities.

Rules, in one place:

- A workplan moves only as WORKPLAN_TRANSITIONS says; approving it needs the
  date and the approving decision or meeting, and at least one activity.
- A draft or approved workplan can be edited (the secretariat keeps the
  approved plan current; history records every change); a closed one no
  longer changes.
- Objective codes are unique within a workplan, and so are activity codes
  (across its objectives), so that a code names one activity of the plan
  and a re-import finds it again.
- An activity runs within the workplan's years, ends on or after its start,
  is led by at least one current member of the network, has partners among
  the members too (an agency is lead or partner, not both) and a task team of
  the network, if any.
- An activity's status and percent complete are the progress service's: the
  functions here never write them.

Writes are atomic, keyword-only and raise DomainError (with the field it is
about) for the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError
from core.limits import LONG_TEXT_MAX_CHARS, check_length, too_long
from members.models import Membership, Organization
from taskteams.models import TaskTeam

from ..models import (
    Activity,
    FrameworkObjective,
    Objective,
    Workplan,
    WorkplanStatus,
)

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_WEIGHT = Decimal("999.99")
MIN_WEIGHT = Decimal("0.01")

# The planning fields of an activity: what the secretariat writes (status and
# percent complete are the progress service's).
ACTIVITY_FIELDS = [
    "objective",
    "code",
    "title",
    "description",
    "task_team",
    "start",
    "end",
    "indicator",
    "target",
    "weight",
    "updated_at",
]


def set_history_user(instance, by) -> None:
    """Name the acting user on the history record the next save writes."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def ensure_editable(workplan: Workplan) -> None:
    if workplan.status == WorkplanStatus.CLOSED:
        raise DomainError(_("This workplan is closed: it no longer changes."))


# --- the workplan ---------------------------------------------------------------


def _check_years(start_year: int, end_year: int) -> None:
    for name, value in (("start_year", start_year), ("end_year", end_year)):
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise DomainError(
                _("Give a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                field=name,
            )
    if end_year < start_year:
        raise DomainError(_("A workplan cannot end before it starts."), field="end_year")


def workplan_create(
    *,
    network,
    title: str,
    start_year: int,
    end_year: int,
    description: str = "",
    by=None,
) -> Workplan:
    """A new draft workplan of the network."""
    check_length(description, limit=LONG_TEXT_MAX_CHARS, field="description")
    title = title.strip()
    if not title:
        raise DomainError(_("Give the workplan a title."), field="title")
    _check_years(start_year, end_year)
    workplan = Workplan(
        network=network,
        title=title,
        start_year=start_year,
        end_year=end_year,
        description=description.strip(),
        status=WorkplanStatus.DRAFT,
    )
    set_history_user(workplan, by)
    with transaction.atomic():
        workplan.save()
    return workplan


def workplan_update(
    *,
    workplan: Workplan,
    title: str,
    start_year: int,
    end_year: int,
    description: str = "",
    by=None,
) -> Workplan:
    """Edit the title, years and description. The years may not leave any
    activity outside them."""
    check_length(description, limit=LONG_TEXT_MAX_CHARS, field="description")
    title = title.strip()
    if not title:
        raise DomainError(_("Give the workplan a title."), field="title")
    _check_years(start_year, end_year)
    with transaction.atomic():
        locked = Workplan.objects.select_for_update().get(pk=workplan.pk)
        ensure_editable(locked)
        outside = (
            Activity.objects.filter(objective__workplan=locked)
            .filter(Q(start__lt=date(start_year, 1, 1)) | Q(end__gt=date(end_year, 12, 31)))
            .count()
        )
        if outside:
            raise DomainError(
                ngettext(
                    "%(n)s activity runs outside %(from)s–%(to)s: change its dates first.",
                    "%(n)s activities run outside %(from)s–%(to)s: change their dates first.",
                    outside,
                )
                % {"n": outside, "from": start_year, "to": end_year},
                field="start_year" if start_year > locked.start_year else "end_year",
            )
        locked.title = title
        locked.start_year = start_year
        locked.end_year = end_year
        locked.description = description.strip()
        set_history_user(locked, by)
        locked.save(update_fields=["title", "start_year", "end_year", "description", "updated_at"])
    workplan.refresh_from_db()
    return workplan


def _refuse_move(workplan: Workplan, to: str) -> None:
    if workplan.can_move_to(to):
        return
    if to == WorkplanStatus.APPROVED:
        raise DomainError(
            _("Only a draft workplan can be approved; this one is %(state)s.")
            % {"state": workplan.get_status_display().lower()}
        )
    if to == WorkplanStatus.CLOSED:
        raise DomainError(
            _("Only an approved workplan can be closed; this one is %(state)s.")
            % {"state": workplan.get_status_display().lower()}
        )
    raise DomainError(
        _("A %(state)s workplan cannot become %(to)s.")
        % {
            "state": workplan.get_status_display().lower(),
            "to": WorkplanStatus(to).label.lower(),
        }
    )


def workplan_approve(
    *, workplan: Workplan, approved_on: date, approval_reference: str, by=None
) -> Workplan:
    """Draft → approved, with the date and the decision or meeting that
    approved it."""
    reference = approval_reference.strip()
    if not reference:
        raise DomainError(
            _("Say which decision or meeting approved the workplan."), field="approval_reference"
        )
    if approved_on is None:
        raise DomainError(_("Give the date of approval."), field="approved_on")
    if approved_on > timezone.localdate():
        raise DomainError(_("A workplan cannot be approved in the future."), field="approved_on")
    with transaction.atomic():
        locked = Workplan.objects.select_for_update().get(pk=workplan.pk)
        _refuse_move(locked, WorkplanStatus.APPROVED)
        if not Activity.objects.filter(objective__workplan=locked).exists():
            raise DomainError(_("A workplan without activities cannot be approved."))
        locked.status = WorkplanStatus.APPROVED
        locked.approved_on = approved_on
        locked.approval_reference = reference
        set_history_user(locked, by)
        locked.save(update_fields=["status", "approved_on", "approval_reference", "updated_at"])
    workplan.refresh_from_db()
    return workplan


def workplan_close(*, workplan: Workplan, by=None) -> Workplan:
    """Approved → closed: the plan's period is over (or it was superseded);
    it stays readable and no longer changes."""
    with transaction.atomic():
        locked = Workplan.objects.select_for_update().get(pk=workplan.pk)
        _refuse_move(locked, WorkplanStatus.CLOSED)
        locked.status = WorkplanStatus.CLOSED
        set_history_user(locked, by)
        locked.save(update_fields=["status", "updated_at"])
    workplan.refresh_from_db()
    return workplan


# --- objectives -------------------------------------------------------------------


def _clean_code(code: str, field_name: str = "code") -> str:
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Give a code, e.g. 1 or 1.2."), field=field_name)
    if len(code) > 20:
        raise DomainError(_("A code has at most 20 characters."), field=field_name)
    return code


def objective_create(
    *, workplan: Workplan, code: str, title: str, description: str = "", by=None
) -> Objective:
    """A new objective, last in the order."""
    check_length(description, limit=LONG_TEXT_MAX_CHARS, field="description")
    code = _clean_code(code)
    title = title.strip()
    if not title:
        raise DomainError(_("Give the objective a title."), field="title")
    with transaction.atomic():
        locked = Workplan.objects.select_for_update().get(pk=workplan.pk)
        ensure_editable(locked)
        if locked.objectives.filter(code=code).exists():
            raise DomainError(
                _("Objective %(code)s is already in this workplan.") % {"code": code}, field="code"
            )
        last = locked.objectives.aggregate(m=Max("position"))["m"]
        objective = Objective(
            workplan=locked,
            code=code,
            title=title,
            description=description.strip(),
            position=(last or 0) + 1,
        )
        set_history_user(objective, by)
        objective.save()
    return objective


def objective_update(
    *, objective: Objective, code: str, title: str, description: str = "", by=None
) -> Objective:
    check_length(description, limit=LONG_TEXT_MAX_CHARS, field="description")
    code = _clean_code(code)
    title = title.strip()
    if not title:
        raise DomainError(_("Give the objective a title."), field="title")
    with transaction.atomic():
        workplan = Workplan.objects.select_for_update().get(pk=objective.workplan_id)
        ensure_editable(workplan)
        if workplan.objectives.filter(code=code).exclude(pk=objective.pk).exists():
            raise DomainError(
                _("Objective %(code)s is already in this workplan.") % {"code": code}, field="code"
            )
        objective.code = code
        objective.title = title
        objective.description = description.strip()
        set_history_user(objective, by)
        objective.save(update_fields=["code", "title", "description"])
    return objective


def objectives_reorder(*, workplan: Workplan, objective_ids: list[int], by=None) -> None:
    """Put the workplan's objectives in this order (every one of them, once)."""
    with transaction.atomic():
        locked = Workplan.objects.select_for_update().get(pk=workplan.pk)
        ensure_editable(locked)
        objectives = {o.pk: o for o in locked.objectives.all()}
        if sorted(objective_ids) != sorted(objectives):
            raise DomainError(_("The objectives changed meanwhile: reload the page and try again."))
        for position, pk in enumerate(objective_ids, start=1):
            objective = objectives[pk]
            if objective.position != position:
                objective.position = position
                set_history_user(objective, by)
                objective.save(update_fields=["position"])


# --- activities -------------------------------------------------------------------


@dataclass
class ActivityData:
    """The planning fields of an activity, as a form or an import row gives them."""

    code: str
    title: str
    start: date
    end: date
    lead_organizations: list[Organization]
    partner_organizations: list[Organization] = field(default_factory=list)
    task_team: TaskTeam | None = None
    description: str = ""
    indicator: str = ""
    target: str = ""
    weight: Decimal = Decimal("1")
    framework_objectives: list[FrameworkObjective] = field(default_factory=list)


@dataclass
class PlanContext:
    """What checking an activity against its workplan needs, read once (a
    form, a service call or a whole import)."""

    workplan: Workplan
    member_ids: set[int]
    team_ids: set[int]
    # activity code → activity id, across the workplan
    codes: dict[str, int]

    @classmethod
    def load(cls, workplan: Workplan) -> PlanContext:
        return cls(
            workplan=workplan,
            member_ids=set(network_member_ids(workplan.network_id)),
            team_ids=set(
                TaskTeam.objects.filter(network_id=workplan.network_id).values_list("pk", flat=True)
            ),
            codes=dict(
                Activity.objects.filter(objective__workplan=workplan).values_list("code", "pk")
            ),
        )


def network_member_ids(network_id: int) -> list[int]:
    return list(
        Membership.objects.current()
        .filter(network_id=network_id)
        .order_by()
        .values_list("organization_id", flat=True)
    )


def activity_problems(
    *,
    context: PlanContext,
    data: ActivityData,
    activity_id: int | None = None,
    kept_ids: Iterable[int] = (),
) -> dict[str, str]:
    """Every rule an activity breaks, by field (empty: none). `kept_ids`: the
    agencies an edited activity already had, which may stay even if they left
    the network since."""
    problems: dict[str, str] = {}
    workplan = context.workplan
    kept = set(kept_ids)
    code = (data.code or "").strip()
    if not code:
        problems["code"] = _("Give a code, e.g. 1.2.")
    elif len(code) > 20:
        problems["code"] = _("A code has at most 20 characters.")
    elif context.codes.get(code) not in (None, activity_id):
        problems["code"] = _("Activity %(code)s is already in this workplan.") % {"code": code}
    if not (data.title or "").strip():
        problems["title"] = _("Give the activity a title.")
    first, last = date(workplan.start_year, 1, 1), date(workplan.end_year, 12, 31)
    if data.start and not first <= data.start <= last:
        problems["start"] = _("The workplan runs from %(first)s to %(last)s.") % {
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
    if data.end and data.start and data.end < data.start:
        problems["end"] = _("An activity cannot end before it starts.")
    elif data.end and not first <= data.end <= last:
        problems["end"] = _("The workplan runs from %(first)s to %(last)s.") % {
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
    leads = {o.pk for o in data.lead_organizations}
    if not leads:
        problems["lead_organizations"] = _("Name at least one lead organization.")
    else:
        strangers = [
            o.acronym
            for o in data.lead_organizations
            if o.pk not in context.member_ids and o.pk not in kept
        ]
        if strangers:
            problems["lead_organizations"] = _("Not members of the network: %(list)s.") % {
                "list": ", ".join(sorted(strangers))
            }
    strangers = [
        o.acronym
        for o in data.partner_organizations
        if o.pk not in context.member_ids and o.pk not in kept
    ]
    both = [o.acronym for o in data.partner_organizations if o.pk in leads]
    if strangers:
        problems["partner_organizations"] = _("Not members of the network: %(list)s.") % {
            "list": ", ".join(sorted(strangers))
        }
    elif both:
        problems["partner_organizations"] = _(
            "Already leading the activity: %(list)s. An agency is lead or partner, not both."
        ) % {"list": ", ".join(sorted(both))}
    if data.task_team is not None and data.task_team.pk not in context.team_ids:
        problems["task_team"] = _("This task team is not one of the network's.")
    weight = data.weight if data.weight is not None else Decimal("1")
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        problems["weight"] = _("Give a weight between %(min)s and %(max)s.") % {
            "min": MIN_WEIGHT,
            "max": MAX_WEIGHT,
        }
    elif weight.as_tuple().exponent < -2:
        problems["weight"] = _("A weight has at most two decimals.")
    for name, limit in (("title", 300), ("indicator", 300), ("target", 300)):
        if len(getattr(data, name) or "") > limit and name not in problems:
            problems[name] = _("At most %(n)s characters.") % {"n": limit}
    if "description" not in problems and too_long(data.description, LONG_TEXT_MAX_CHARS):
        problems["description"] = too_long(data.description, LONG_TEXT_MAX_CHARS)
    return problems


def _raise_first(problems: dict[str, str]) -> None:
    if problems:
        name, message = next(iter(problems.items()))
        raise DomainError(message, field=name)


def write_activity(
    *, activity: Activity, objective: Objective, data: ActivityData, by, created: bool
) -> Activity:
    activity.objective = objective
    activity.code = data.code.strip()
    activity.title = data.title.strip()
    activity.description = (data.description or "").strip()
    activity.task_team = data.task_team
    activity.start = data.start
    activity.end = data.end
    activity.indicator = (data.indicator or "").strip()
    activity.target = (data.target or "").strip()
    activity.weight = data.weight if data.weight is not None else Decimal("1")
    set_history_user(activity, by)
    if created:
        activity.save()
    else:
        activity.save(update_fields=ACTIVITY_FIELDS)
    activity.lead_organizations.set(data.lead_organizations)
    activity.partner_organizations.set(data.partner_organizations)
    activity.framework_objectives.set(data.framework_objectives)
    return activity


def activity_create(
    *, objective: Objective, data: ActivityData, by=None, context: PlanContext | None = None
) -> Activity:
    """A new activity of the objective (not started, 0 %)."""
    with transaction.atomic():
        workplan = Workplan.objects.select_for_update().get(pk=objective.workplan_id)
        ensure_editable(workplan)
        context = context or PlanContext.load(workplan)
        _raise_first(activity_problems(context=context, data=data))
        activity = write_activity(
            activity=Activity(), objective=objective, data=data, by=by, created=True
        )
        context.codes[activity.code] = activity.pk
    return activity


def _refuse_access_changes(activity: Activity, data: ActivityData, locked: set[str]) -> None:
    """Defence in depth for workplans.permissions.ACTIVITY_ACCESS: a change
    to who leads, partners or reports is refused when the editor may not
    make it, whatever the form let through."""
    current = {
        "lead_organizations": set(activity.lead_organizations.values_list("pk", flat=True)),
        "partner_organizations": set(activity.partner_organizations.values_list("pk", flat=True)),
        "task_team": activity.task_team_id,
    }
    given = {
        "lead_organizations": {o.pk for o in data.lead_organizations},
        "partner_organizations": {o.pk for o in data.partner_organizations},
        "task_team": data.task_team.pk if data.task_team is not None else None,
    }
    for name in ("lead_organizations", "partner_organizations", "task_team"):
        if name in locked and current[name] != given[name]:
            raise DomainError(
                _(
                    "Only the secretariat changes who leads, partners in and reports on an activity."
                ),
                field=name,
            )


def activity_update(
    *,
    activity: Activity,
    data: ActivityData,
    objective: Objective | None = None,
    by=None,
    context: PlanContext | None = None,
    locked: Iterable[str] = (),
) -> Activity:
    """Change an activity's planning fields, and move it to another objective
    of the same workplan if `objective` says so. Progress stays as it is.
    `locked`: the access fields the editor may not change (ACTIVITY_ACCESS)."""
    objective = objective or activity.objective
    with transaction.atomic():
        workplan = Workplan.objects.select_for_update().get(pk=activity.objective.workplan_id)
        if objective.workplan_id != workplan.pk:
            raise DomainError(_("Choose an objective of this workplan."), field="objective")
        ensure_editable(workplan)
        _refuse_access_changes(activity, data, set(locked))
        context = context or PlanContext.load(workplan)
        kept = set(activity.lead_organizations.values_list("pk", flat=True)) | set(
            activity.partner_organizations.values_list("pk", flat=True)
        )
        _raise_first(
            activity_problems(context=context, data=data, activity_id=activity.pk, kept_ids=kept)
        )
        old_code = activity.code
        write_activity(activity=activity, objective=objective, data=data, by=by, created=False)
        if old_code != activity.code:
            context.codes.pop(old_code, None)
        context.codes[activity.code] = activity.pk
    return activity
