"""Every field that decides access, posted with a forged value by every role.

One row per (form, access field): the page, a valid POST that carries the
forged value, and how to read the field back from the database. The columns
are the personas of tests/security/conftest.py. Each cell says what the
role gets:

- 403 / 404: refused (may see the record but not change it / may not see it);
- IGNORED: the page answers (200 or 302) but the field is not on this role's
  form, so the forged value is not read;
- CHANGES: a role that manages the field: the value changes.

Every cell but CHANGES also checks that the row in the database did not
change (refresh from the database, not the object in memory).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleGrant
from meetings.models import AgendaItem, Participant
from members.models import (
    ChairTerm,
    Membership,
    MembershipApplication,
    Person,
    PersonLevel,
)
from taskteams.models import TaskTeam
from tests import factories as f
from workplans.models import Activity, ProgressUpdate, Workplan

pytestmark = pytest.mark.django_db

IGNORED, CHANGES = "ignored", "changes"
ROLES = ("focal_a", "focal_b", "principal_a", "chair", "cochair", "outsider", "sec", "admin")


@dataclass
class Row:
    url: Callable[[SimpleNamespace], str]
    data: Callable[[SimpleNamespace], dict]
    read: Callable[[SimpleNamespace], Any]
    # focal_a focal_b principal_a chair cochair outsider sec admin
    cells: tuple


def _iso(day) -> str:
    return day.isoformat()


# --- the POSTs ----------------------------------------------------------------------


def _person_post(w, **forged) -> dict:
    p = w.contact_a
    data = {
        "name": p.name,
        "honorific": p.honorific,
        "position": p.position,
        "level": p.level,
        "email": p.email,
        "phone": p.phone,
        "network": p.network_id or "",
        "is_active": "on",
    }
    return {**data, **forged}


def _network_post(w, **forged) -> dict:
    n = w.network
    data = {
        "name": n.name,
        "short_name": n.short_name,
        "level": n.level,
        "governance": n.governance,
        "chair_term_months": n.chair_term_months or "",
        "admission_body": n.admission_body,
        "time_zone": n.time_zone,
        "accepts_applications": "on",
        "criteria_text": "",
    }
    return {**data, **forged}


def _membership_post(w, **forged) -> dict:
    m = w.membership_b
    data = {
        "organization": m.organization_id,
        "joined": _iso(m.joined),
        "left": "",
        "notes": "",
    }
    return {**data, **forged}


def _term_post(w, **forged) -> dict:
    t = w.term
    data = {
        "organization": t.organization_id,
        "start": _iso(t.start),
        "end": _iso(t.end),
        "theme": "",
        "chairperson": "",
    }
    return {**data, **forged}


def _narrative_post(w, **forged) -> dict:
    return {"theme": "Our theme", "achievements": "Much.", **forged}


def _activity_post(w, **forged) -> dict:
    a = w.activity
    data = {
        "objective": a.objective_id,
        "code": a.code,
        "title": "Renamed",
        "lead_organizations": [w.agency_a.pk],
        "task_team": w.team.pk,
        "start": _iso(a.start),
        "end": _iso(a.end),
        "weight": "1",
    }
    return {**data, **forged}


def _team_post(w, **forged) -> dict:
    t = w.team
    data = {
        "kind": t.kind,
        "name": t.name,
        "slug": t.slug,
        "focus": t.focus,
        "co_chairs": [w.agency_d.pk],
        "member_organizations": [w.agency_d.pk],
    }
    return {**data, **forged}


def _team_url(name: str):
    return lambda w: reverse(f"taskteams:{name}", args=[w.network.slug, w.team.slug])


# --- reading back ---------------------------------------------------------------------


def _person(w, field):
    return lambda w: getattr(Person.objects.get(pk=w.contact_a.pk), field)


def _membership(field):
    return lambda w: getattr(Membership.objects.get(pk=w.membership_b.pk), field)


def _term(field):
    return lambda w: getattr(ChairTerm.objects.get(pk=w.term.pk), field)


def _activity(field):
    def read(w):
        activity = Activity.objects.get(pk=w.activity.pk)
        if field == "task_team":
            return activity.task_team_id
        return sorted(getattr(activity, field).values_list("pk", flat=True))

    return read


def _team(field):
    def read(w):
        team = TaskTeam.objects.get(pk=w.team.pk)
        if field == "status":
            return team.status
        return sorted(getattr(team, field).values_list("pk", flat=True))

    return read


def _forged_proposals(w):
    """Items that came in accepted from someone who does not decide on the
    agenda, at the forged position, or in the name of agency C by anyone but
    C's own focal point (the chair): none may. (The chair, the secretariat
    and admins decide: what they propose goes on the agenda, accepted and
    last, whatever status and position the request says.)"""
    deciders = {w.users[role] for role in ("chair", "sec", "admin")}
    forged = AgendaItem.objects.filter(title="Forged proposal").select_related("proposed_by")
    return sorted(
        (item.status, item.proposed_by_org_id)
        for item in forged
        if (item.status != "proposed" and item.proposed_by not in deciders)
        or (item.status == "accepted" and item.position == 0)
        or (item.proposed_by_org_id == w.agency_c.pk and item.proposed_by != w.users["chair"])
    )


# fmt: off
F, N = 403, 404
MATRIX: dict[str, Row] = {
    #                                                   fc_a     fc_b     pr_a     chair    cochair  outs  sec      admin
    # contact_a is agency A's contact for every network, and agency A is in
    # `other_network` too, which `sec` does not manage: only a manager of
    # both changes who it is (tests/security/test_network_scope.py).
    "person.network": Row(
        lambda w: reverse("members:person_edit", args=[w.contact_a.pk]),
        lambda w: _person_post(w, network=w.other_network.pk),
        lambda w: Person.objects.get(pk=w.contact_a.pk).network_id,
        (IGNORED, F,       F,       F,       F,       N,    IGNORED, CHANGES)),
    "person.level": Row(
        lambda w: reverse("members:person_edit", args=[w.contact_a.pk]),
        lambda w: _person_post(w, level=PersonLevel.PRINCIPAL),
        lambda w: Person.objects.get(pk=w.contact_a.pk).level,
        (IGNORED, F,       F,       F,       F,       N,    IGNORED, CHANGES)),
    "person.is_active": Row(
        lambda w: reverse("members:person_edit", args=[w.contact_a.pk]),
        lambda w: _person_post(w, is_active=""),
        lambda w: Person.objects.get(pk=w.contact_a.pk).is_active,
        (IGNORED, F,       F,       F,       F,       N,    IGNORED, CHANGES)),
    # The account and the agency are on no form: only /admin/ links them.
    "person.user": Row(
        lambda w: reverse("members:person_edit", args=[w.contact_a.pk]),
        lambda w: _person_post(w, user=w.users["outsider"].pk),
        lambda w: Person.objects.get(pk=w.contact_a.pk).user_id,
        (IGNORED, F,       F,       F,       F,       N,    IGNORED, IGNORED)),
    "person.organization": Row(
        lambda w: reverse("members:person_edit", args=[w.contact_a.pk]),
        lambda w: _person_post(w, organization=w.agency_c.pk),
        lambda w: Person.objects.get(pk=w.contact_a.pk).organization_id,
        (IGNORED, F,       F,       F,       F,       N,    IGNORED, IGNORED)),
    # A coordinator chairs a network without a rotating chair.
    "network.coordinator": Row(
        lambda w: reverse("members:network_edit", args=[w.network.slug]),
        lambda w: _network_post(w, governance="coordinator", coordinator=w.agency_a.pk),
        lambda w: type(w.network).objects.filter(pk=w.network.pk).values_list("governance", "coordinator_id").get(),
        (F,       F,       F,       F,       F,       F,    CHANGES, CHANGES)),
    "membership.joined": Row(
        lambda w: reverse("members:membership_edit", args=[w.membership_b.pk]),
        lambda w: _membership_post(w, joined="2010-01-01"),
        _membership("joined"),
        (F,       F,       F,       F,       F,       F,    CHANGES, CHANGES)),
    "membership.left": Row(
        lambda w: reverse("members:membership_edit", args=[w.membership_b.pk]),
        lambda w: _membership_post(w, left="2021-01-01"),
        _membership("left"),
        (F,       F,       F,       F,       F,       F,    CHANGES, CHANGES)),
    "membership.executive_committee": Row(
        lambda w: reverse("members:membership_edit", args=[w.membership_b.pk]),
        lambda w: _membership_post(w, executive_committee="on"),
        _membership("executive_committee"),
        (F,       F,       F,       F,       F,       F,    CHANGES, CHANGES)),
    "chair_term.organization": Row(
        lambda w: reverse("members:chair_term_edit", args=[w.term.pk]),
        lambda w: _term_post(w, organization=w.agency_a.pk),
        _term("organization_id"),
        (F,       F,       F,       F,       F,       F,    CHANGES, CHANGES)),
    "chair_term.end": Row(
        lambda w: reverse("members:chair_term_edit", args=[w.term.pk]),
        lambda w: _term_post(w, end=_iso(w.term.end + timedelta(days=1000))),
        _term("end"),
        (F,       F,       F,       F,       F,       F,    CHANGES, CHANGES)),
    # The chairing agency writes its narrative; the term's dates and agency
    # are not on that form, for anyone.
    "chair_narrative.organization": Row(
        lambda w: reverse("members:chair_term_narrative", args=[w.term.pk]),
        lambda w: _narrative_post(w, organization=w.agency_a.pk, end="2099-12-31"),
        lambda w: (_term("organization_id")(w), _term("end")(w)),
        (F,       F,       F,       IGNORED, F,       F,    IGNORED, IGNORED)),
    "activity.lead_organizations": Row(
        lambda w: reverse("workplans:activity_edit", args=[w.activity.pk]),
        lambda w: _activity_post(w, lead_organizations=[w.agency_d.pk]),
        _activity("lead_organizations"),
        (F,       F,       F,       F,       IGNORED, N,    CHANGES, CHANGES)),
    "activity.partner_organizations": Row(
        lambda w: reverse("workplans:activity_edit", args=[w.activity.pk]),
        lambda w: _activity_post(w, partner_organizations=[w.agency_d.pk]),
        _activity("partner_organizations"),
        (F,       F,       F,       F,       IGNORED, N,    CHANGES, CHANGES)),
    "activity.task_team": Row(
        lambda w: reverse("workplans:activity_edit", args=[w.activity.pk]),
        lambda w: _activity_post(w, task_team=""),
        _activity("task_team"),
        (F,       F,       F,       F,       IGNORED, N,    CHANGES, CHANGES)),
    "workplan.status": Row(
        lambda w: reverse("workplans:approve", args=[w.workplan.pk]),
        lambda w: {"approved_on": _iso(timezone.localdate()), "approval_reference": "Forged"},
        lambda w: Workplan.objects.get(pk=w.workplan.pk).status,
        (F,       F,       F,       F,       F,       N,    CHANGES, CHANGES)),
    "taskteam.co_chairs": Row(
        _team_url("edit"),
        lambda w: _team_post(w, co_chairs=[w.agency_a.pk]),
        _team("co_chairs"),
        (F,       F,       F,       F,       F,       N,    CHANGES, CHANGES)),
    "taskteam.member_organizations": Row(
        _team_url("edit"),
        lambda w: _team_post(w, member_organizations=[w.agency_a.pk, w.agency_d.pk]),
        _team("member_organizations"),
        (F,       F,       F,       F,       F,       N,    CHANGES, CHANGES)),
    # The co-chairs manage the team's membership, not its co-chairs.
    "taskteam.co_chairs_by_membership_page": Row(
        _team_url("membership"),
        lambda w: {"remove_organization": w.agency_d.pk},
        _team("co_chairs"),
        (F,       F,       F,       F,       IGNORED, N,    IGNORED, IGNORED)),
    "taskteam.status": Row(
        _team_url("activate"),
        lambda w: {},
        _team("status"),
        (F,       F,       F,       F,       F,       N,    CHANGES, CHANGES)),
    "meeting.status": Row(
        lambda w: reverse("meetings:cancel", args=[w.meeting.pk]),
        lambda w: {"reason": "Forged"},
        lambda w: type(w.meeting).objects.get(pk=w.meeting.pk).status,
        (F,       F,       F,       CHANGES, F,       N,    CHANGES, CHANGES)),
    "agenda_item.status": Row(
        lambda w: reverse("meetings:agenda_decide", args=[w.meeting.pk, w.proposal.pk]),
        lambda w: {"decision": "accepted"},
        lambda w: AgendaItem.objects.get(pk=w.proposal.pk).status,
        (F,       F,       F,       CHANGES, F,       N,    CHANGES, CHANGES)),
    # A proposal comes in proposed, in the name of the proposer's agency.
    "agenda_item.proposed_status_and_agency": Row(
        lambda w: reverse("meetings:agenda_propose", args=[w.meeting.pk]),
        lambda w: {
            "title": "Forged proposal",
            "presenter": w.agency_a.pk,
            "minutes_wanted": 10,
            "status": "accepted",
            "proposed_by_org": w.agency_c.pk,
            "position": 0,
        },
        _forged_proposals,
        (IGNORED, IGNORED, F,       IGNORED, IGNORED, N,    IGNORED, IGNORED)),
    "participant.attendance": Row(
        lambda w: reverse("meetings:respond", args=[w.invitation.pk]),
        lambda w: {"response": "attending", "attendance": "present", "person": w.users["outsider"].pk},
        lambda w: Participant.objects.filter(pk=w.invitation.pk).values_list("attendance", "person_id").get(),
        (IGNORED, F,       F,       F,       F,       N,    F,       F)),
    "participant.attendance_record": Row(
        lambda w: reverse("meetings:attendance", args=[w.past_meeting.pk]),
        lambda w: {f"p{w.past_invitation.pk}": "present"},
        lambda w: Participant.objects.get(pk=w.past_invitation.pk).attendance,
        (F,       F,       F,       CHANGES, F,       N,    CHANGES, CHANGES)),
    # The agency reported for must be one the reporter reports for.
    "progress.organization": Row(
        lambda w: reverse("workplans:progress_log", args=[w.activity.pk]),
        lambda w: {
            "organization": w.agency_b.pk,
            "year": w.update.year,
            "quarter": w.update.quarter,
            "percent_complete": 50,
            "status": "on_track",
            "narrative": "Forged",
        },
        lambda w: ProgressUpdate.objects.filter(organization=w.agency_b).count(),
        (IGNORED, F,       F,       F,       IGNORED, N,    F,       F)),
    "application.status": Row(
        lambda w: reverse("members:application_detail", args=[w.application.pk]),
        lambda w: {"start_review": "1"},
        lambda w: MembershipApplication.objects.get(pk=w.application.pk).status,
        (N,       N,       N,       N,       N,       N,    CHANGES, CHANGES)),
}
# fmt: on


def _cases():
    for name, row in MATRIX.items():
        for role, cell in zip(ROLES, row.cells, strict=True):
            yield pytest.param(name, role, cell, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role", "cell"), list(_cases()))
def test_access_field(client, world, name, role, cell):
    """Each role posts each access field with a forged value: a lower role
    is refused or ignored and the row keeps its value; the roles that manage
    the field change it."""
    row = MATRIX[name]
    before = row.read(world)
    client.force_login(world.users[role])
    response = client.post(row.url(world), row.data(world))
    after = row.read(world)
    if cell == CHANGES:
        assert response.status_code in (200, 302), response.status_code
        assert after != before, f"{role} could not change {name}"
        return
    if cell == IGNORED:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == cell
    assert after == before, f"{role} changed {name}: {before!r} → {after!r}"


def test_the_forms_of_lower_roles_do_not_show_access_fields(client, world):
    """Not shown: the focal point's own contact form has no network, level
    or "current" field; the co-chair's activity form no lead, partner or
    task team field (it lists them as text)."""
    client.force_login(world.users["focal_a"])
    page = client.get(reverse("members:person_edit", args=[world.contact_a.pk])).content.decode()
    for name in ("network", "level", "is_active"):
        assert f'id="id_{name}"' not in page
    assert 'id="id_phone"' in page
    client.force_login(world.users["cochair"])
    page = client.get(reverse("workplans:activity_edit", args=[world.activity.pk])).content.decode()
    for name in ("lead_organizations", "partner_organizations", "task_team"):
        assert f'id="id_{name}"' not in page
    assert 'id="activity-access-fields"' in page
    client.force_login(world.users["sec"])
    page = client.get(reverse("workplans:activity_edit", args=[world.activity.pk])).content.decode()
    assert 'id="id_lead_organizations"' in page


def test_the_activity_service_refuses_a_locked_change(world):
    """Defence in depth: `activity_update` with the locked fields refuses a
    new lead even if a form let it through, and the leads stay."""
    from core.errors import DomainError
    from workplans.services import plans

    a = world.activity
    data = plans.ActivityData(
        code=a.code,
        title=a.title,
        start=a.start,
        end=a.end,
        lead_organizations=[world.agency_d],
        task_team=world.team,
    )
    with pytest.raises(DomainError):
        plans.activity_update(
            activity=a, data=data, locked={"lead_organizations", "partner_organizations"}
        )
    assert list(a.lead_organizations.values_list("pk", flat=True)) == [world.agency_a.pk]


@pytest.mark.parametrize("role", ("focal_a", "principal_a", "chair", "cochair", "outsider", "sec"))
def test_role_grants_are_given_only_in_the_admin(client, world, role):
    """Role grants (admin, secretariat) have no form outside /admin/, which
    only the admin role opens: anyone else posting one is sent to the
    admin's sign-in and no grant is made."""
    user = world.users[role]
    before = RoleGrant.objects.count()
    client.force_login(user)
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": user.email,
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-0-role": "admin",
            "role_grants-0-network": "",
        },
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert RoleGrant.objects.count() == before
    assert not f.UserFactory._meta.model.objects.get(pk=user.pk).is_superuser


def test_an_applicant_cannot_post_their_applications_status(client, world):
    """The applicant's private page saves the draft's own fields; a forged
    status, reviewer notes or organization are not on its form and stay."""
    import time

    from django.core import signing

    from members.models import ApplicationStatus

    draft = f.ApplicationFactory(network=world.network, status=ApplicationStatus.DRAFT)
    response = client.post(
        draft.get_status_url(),
        {
            "save": "1",
            "started": signing.dumps(time.time() - 60, salt="application-form"),
            "org_name": draft.org_name,
            "org_acronym": draft.org_acronym,
            "org_kind": draft.org_kind,
            "contact_email": draft.contact_email,
            "mandate": "Changed mandate.",
            "status": ApplicationStatus.ADMITTED,
            "review_notes": "Forged review",
            "organization": world.agency_a.pk,
            "decided_by": "principals",
        },
    )
    assert response.status_code == 302
    draft = MembershipApplication.objects.get(pk=draft.pk)
    assert draft.mandate == "Changed mandate."
    assert (draft.status, draft.review_notes, draft.organization_id, draft.decided_by) == (
        ApplicationStatus.DRAFT,
        "",
        None,
        "",
    )


def _declarations():
    from meetings import permissions as meetings
    from meetings.models import Meeting
    from members import permissions as members
    from taskteams import permissions as taskteams
    from workplans import permissions as workplans

    return [
        (members.PERSON_ACCESS, Person),
        (members.NETWORK_ACCESS, Membership._meta.get_field("network").related_model),
        (members.MEMBERSHIP_ACCESS, Membership),
        (members.CHAIR_TERM_ACCESS, ChairTerm),
        (members.APPLICATION_ACCESS, MembershipApplication),
        (meetings.MEETING_ACCESS, Meeting),
        (meetings.AGENDA_ITEM_ACCESS, AgendaItem),
        (meetings.PARTICIPANT_ACCESS, Participant),
        (workplans.ACTIVITY_ACCESS, Activity),
        (workplans.WORKPLAN_ACCESS, Workplan),
        (taskteams.TASK_TEAM_ACCESS, TaskTeam),
    ]


def test_every_declared_access_field_is_a_field_of_its_model():
    """A misspelt declaration would lock nothing: each name must be a real
    field of the model it speaks of."""
    for declaration, model in _declarations():
        for name in declaration.fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist
