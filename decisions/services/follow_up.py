"""Carrying an adopted decision out: its follow-up actions (the meetings'
action points, linked by DecisionAction, so that a meeting's action points
and a decision's actions are one list), and what it decided about other
records, done through their own services with the decision as their record:
admitting the applicant it concerns, approving the workplan, establishing
the task team.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from meetings.models import ActionPoint
from meetings.services import actions
from members.models import ApplicationStatus, Membership, Organization
from members.services import application_decide
from taskteams.models import TaskTeamStatus
from taskteams.services import taskteam_transition
from workplans.models import WorkplanStatus
from workplans.services.plans import workplan_approve

from ..models import Body, Decision, DecisionAction, DecisionStatus


def _adopted(decision: Decision) -> None:
    if decision.status != DecisionStatus.ADOPTED:
        raise DomainError(_("Only an adopted decision is carried out."))


def decision_action_create(
    *,
    decision: Decision,
    description: str,
    owner: Organization | None,
    due: date | None,
    by,
) -> ActionPoint:
    """A follow-up action for an adopted decision, owned by a member agency
    of its network (or its coordinator or secretariat agency)."""
    _adopted(decision)
    if owner is not None and not (
        Membership.objects.current()
        .filter(network_id=decision.network_id, organization=owner)
        .exists()
        or owner.pk in (decision.network.coordinator_id, decision.network.secretariat_id)
    ):
        raise DomainError(
            _("%(agency)s is not a member of the %(network)s: choose a member agency.")
            % {"agency": owner.acronym, "network": decision.network.short_name},
            field="owner",
        )
    with transaction.atomic():
        point = actions.action_create(
            network=decision.network,
            meeting=decision.meeting,
            description=description,
            owner=owner,
            due=due,
            by=by,
        )
        DecisionAction.objects.create(decision=decision, action=point)
    return point


def carry_out_choices(decision: Decision) -> dict[str, bool]:
    """What the adopted decision can still do to the records it concerns."""
    adopted = decision.status == DecisionStatus.ADOPTED
    application = decision.application
    return {
        "admit": adopted
        and application is not None
        and application.status == ApplicationStatus.UNDER_REVIEW,
        "approve_workplan": adopted
        and decision.workplan is not None
        and decision.workplan.status == WorkplanStatus.DRAFT,
        "establish_task_team": adopted
        and decision.related_task_team is not None
        and decision.related_task_team.status == TaskTeamStatus.PROPOSED,
    }


def _decided_by(decision: Decision) -> str:
    return str(Body(decision.body).label)


def decision_admit(*, decision: Decision, by) -> None:
    """Admit the applicant the decision concerns, on the decision's day,
    with its reference as the record."""
    if not carry_out_choices(decision)["admit"]:
        raise DomainError(_("This decision has no application waiting to be admitted."))
    decision.application = application_decide(
        application=decision.application,
        admit=True,
        decided_by=_decided_by(decision),
        decision_date=decision.decided_on,
        decision_record=decision.reference,
        reason="",
    )


def decision_approve_workplan(*, decision: Decision, by) -> None:
    if not carry_out_choices(decision)["approve_workplan"]:
        raise DomainError(_("This decision has no draft workplan to approve."))
    workplan_approve(
        workplan=decision.workplan,
        approved_on=decision.decided_on,
        approval_reference=decision.reference,
        by=by,
    )


def decision_establish_task_team(*, decision: Decision, by) -> None:
    if not carry_out_choices(decision)["establish_task_team"]:
        raise DomainError(_("This decision has no proposed task team to establish."))
    taskteam_transition(
        team=decision.related_task_team,
        to=TaskTeamStatus.ACTIVE,
        by=by,
        today=decision.decided_on,
    )
