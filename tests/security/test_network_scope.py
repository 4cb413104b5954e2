"""A role granted for one network acts in that network only.

The world of tests/security/conftest.py, with a second network Y
(`other_network`) that agency A also belongs to (and chairs), seen by four
managers:

- sec: secretariat of X (`network`) only;
- admin_x: admin of X only;
- sec_all: secretariat of every network;
- admin: a superuser.

Each row posts one field that carries a network (a contact's network, a
network's parent, a meeting's task team, an activity's objective...) or acts
on a record of Y, with a value in Y. The two scoped roles are refused or
ignored and nothing changes; the global roles can, unless the value is
wrong for everyone (a task team of another network on a meeting of X).

Cells (checked on the answer AND on the database row, re-read):

- 403 / 404: refused (may see the record but not change it / may not see it);
- REFUSED: the form comes back (200) with an error: the choice is not one
  this role may make;
- IGNORED: the page answers (200 or 302) but the field is not on this role's
  form, so the forged value is not read;
- CHANGES: the role may, and the value changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from meetings.models import AgendaItem, Meeting, MeetingLevel
from members.models import (
    ChairTerm,
    Membership,
    MembershipApplication,
    Network,
    Person,
    PersonLevel,
)
from taskteams.models import TaskTeam
from tests import factories as f
from tests.form_data import form_data
from tests.meetings.conftest import make_meeting
from tests.workplans import make_activity, make_objective, make_workplan
from workplans.models import Activity, Workplan

pytestmark = pytest.mark.django_db

ROLES = ("sec", "admin_x", "sec_all", "admin")
IGNORED, REFUSED, CHANGES = "ignored", "refused", "changes"
F, N = 403, 404
DROP = object()  # a field left out of the POST (an unticked box)


@pytest.fixture
def scope(world):
    """Network Y with its own records, two more managers, and contacts:
    agency A's contacts for X only and for Y only, and the contacts of
    three staff accounts at agency B (a member of X only)."""
    w = world
    x, y = w.network, w.other_network
    users = w.users
    users["sec_all"] = f.UserFactory(email="sec-all@example.org")
    f.grant(users["sec_all"], Role.SECRETARIAT, None)
    users["admin_x"] = f.UserFactory(email="admin-x@example.org")
    f.grant(users["admin_x"], Role.ADMIN, x)

    agency_y = f.OrganizationFactory(acronym="YYY", name="Agency Y", slug="yyy")
    f.MembershipFactory(network=y, organization=agency_y)
    newcomer = f.OrganizationFactory(acronym="NEW", name="Agency New", slug="new")
    # A member of X alone, which co-chairs a task team of Y.
    agency_z = f.OrganizationFactory(acronym="ZZZ", name="Agency Z", slug="zzz")
    f.MembershipFactory(network=x, organization=agency_z)

    def linked(org, network, email, level=PersonLevel.FOCAL_POINT, user=None):
        user = user or f.UserFactory(email=email)
        return f.PersonFactory(
            organization=org, network=network, level=level, user=user, email=user.email
        )

    today = timezone.localdate()
    w.team.member_organizations.add(w.agency_a)  # its contacts for X may join
    team_y = TaskTeam.objects.create(network=y, name="Y team", slug="y-team", focus="Y")
    team_y.co_chairs.set([agency_z])
    workplan_y = make_workplan(y)
    objective_y = make_objective(workplan_y, "9")
    return SimpleNamespace(
        **vars(w),
        agency_y=agency_y,
        newcomer=newcomer,
        contact_x=linked(w.agency_a, x, "a-for-x@agency-a.example.org"),
        contact_y=linked(w.agency_a, y, "a-for-y@agency-a.example.org"),
        contact_z=linked(agency_z, None, "z@agency-z.example.org"),
        contact_b=Person.objects.get(user=users["focal_b"]),
        staff_sec_all=linked(w.agency_b, None, "", user=users["sec_all"]),
        staff_admin_x=linked(w.agency_b, None, "", user=users["admin_x"]),
        staff_sec=linked(w.agency_b, None, "", user=users["sec"]),
        membership_a_y=Membership.objects.get(network=y, organization=w.agency_a),
        term_y=ChairTerm.objects.get(network=y),
        meeting_y=(meeting_y := make_meeting(y, title="Y meeting")),
        proposal_y=AgendaItem.objects.create(
            meeting=meeting_y, title="Y proposal", presenter=agency_y, proposed_by_org=agency_y
        ),
        principals_y=make_meeting(y, days=60, level=MeetingLevel.PRINCIPALS, title="Y principals"),
        team_y=team_y,
        workplan_y=workplan_y,
        objective_y=objective_y,
        activity_y=make_activity(objective_y, "9.1", leads=[agency_y]),
        application_y=f.ApplicationFactory(network=y, status="submitted"),
        today=today,
    )


@dataclass
class Row:
    url: Callable[[SimpleNamespace], str]
    data: Callable[[SimpleNamespace], dict]
    read: Callable[[SimpleNamespace], Any]
    #       sec      admin_x  sec_all  admin
    cells: tuple


def _as_shown(w, url: str, **changes) -> dict:
    """The POST of the page as an admin sees it, with `changes`."""
    client = Client()
    client.force_login(w.users["admin"])
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    data = form_data(response.context["form"])
    for name, value in changes.items():
        if value is DROP:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def edit(url: Callable[[SimpleNamespace], str], **changes: Callable[[SimpleNamespace], Any] | Any):
    """A Row's `data`: the page's own POST with some fields changed (a
    change may be a function of the world)."""

    def data(w):
        values = {k: (v(w) if callable(v) else v) for k, v in changes.items()}
        return _as_shown(w, url(w), **values)

    return data


def person_url(attr):
    return lambda w: reverse("members:person_edit", args=[getattr(w, attr).pk])


def person(attr, field):
    return lambda w: getattr(Person.objects.get(pk=getattr(w, attr).pk), field)


def new_contact(w, network) -> dict:
    return {
        "name": "New Contact",
        "level": PersonLevel.FOCAL_POINT,
        "email": "new.contact@agency-a.example.org",
        "network": network(w) if callable(network) else network,
        "is_active": "on",
    }


def new_contacts(w) -> list:
    return list(
        Person.objects.filter(email="new.contact@agency-a.example.org").values_list(
            "network_id", flat=True
        )
    )


def meeting_post(w, **extra) -> dict:
    return {
        "title": "Planned in Y",
        "level": "working",
        "start": "2030-11-09T10:00",
        "end": "2030-11-09T12:00",
        "time_zone": "Europe/Zurich",
        "city": "Geneva",
        **extra,
    }


def term_post(w, organization, start_days=400) -> dict:
    start = w.today + timedelta(days=start_days)
    return {
        "organization": organization(w).pk,
        "start": start.isoformat(),
        "end": (start + timedelta(days=90)).isoformat(),
    }


def activity_field(field):
    def read(w):
        activity = Activity.objects.get(pk=w.activity.pk)
        value = getattr(activity, field)
        if hasattr(value, "all"):
            return sorted(value.values_list("pk", flat=True))
        return getattr(value, "pk", value)

    return read


def network_of(attr):
    return lambda w: getattr(w, attr).pk


X = lambda w: w.network.pk  # noqa: E731
Y = lambda w: w.other_network.pk  # noqa: E731
ACTIVITY = lambda w: reverse("workplans:activity_edit", args=[w.activity.pk])  # noqa: E731
MEETING_X = lambda w: reverse("meetings:edit", args=[w.meeting.pk])  # noqa: E731

# fmt: off
MATRIX: dict[str, Row] = {
    # --- contacts: whose network, level and "current" flag decide rights -----
    # Agency A is a member of X and Y: its contact "for every network" gives
    # rights in Y too, so only a manager of both (here: of every network)
    # changes who that contact is.
    "person.every_network_contact.network": Row(
        person_url("contact_a"), edit(person_url("contact_a"), network=Y),
        person("contact_a", "network_id"),
        (IGNORED, IGNORED, CHANGES, CHANGES)),
    "person.every_network_contact.level": Row(
        person_url("contact_a"), edit(person_url("contact_a"), level=PersonLevel.PRINCIPAL),
        person("contact_a", "level"),
        (IGNORED, IGNORED, CHANGES, CHANGES)),
    "person.every_network_contact.is_active": Row(
        person_url("contact_a"), edit(person_url("contact_a"), is_active=DROP),
        person("contact_a", "is_active"),
        (IGNORED, IGNORED, CHANGES, CHANGES)),
    # Agency B is in X alone: X's managers keep its contacts for every network.
    "person.every_network_contact_of_an_agency_of_x_alone.level": Row(
        person_url("contact_b"), edit(person_url("contact_b"), level=PersonLevel.ALTERNATE),
        person("contact_b", "level"),
        (CHANGES, CHANGES, CHANGES, CHANGES)),
    # Agency Z is in X alone but co-chairs a task team of Y: its contact for
    # every network manages that team, so Y is in its reach.
    "person.every_network_contact_of_a_co_chair_in_y.level": Row(
        person_url("contact_z"), edit(person_url("contact_z"), level=PersonLevel.PRINCIPAL),
        person("contact_z", "level"),
        (IGNORED, IGNORED, CHANGES, CHANGES)),
    # A contact for X: X's managers keep it, within X.
    "person.x_contact.level": Row(
        person_url("contact_x"), edit(person_url("contact_x"), level=PersonLevel.ALTERNATE),
        person("contact_x", "level"),
        (CHANGES, CHANGES, CHANGES, CHANGES)),
    "person.x_contact.network_to_y": Row(
        person_url("contact_x"), edit(person_url("contact_x"), network=Y),
        person("contact_x", "network_id"),
        (REFUSED, REFUSED, CHANGES, CHANGES)),
    "person.x_contact.network_to_every_network": Row(
        person_url("contact_x"), edit(person_url("contact_x"), network=""),
        person("contact_x", "network_id"),
        (REFUSED, REFUSED, CHANGES, CHANGES)),
    # A contact for Y is Y's record: X's managers do not edit it at all.
    "person.y_contact.name": Row(
        person_url("contact_y"), edit(person_url("contact_y"), name="Renamed"),
        person("contact_y", "name"),
        (F,       F,       CHANGES, CHANGES)),
    "person.y_contact.network_to_x": Row(
        person_url("contact_y"), edit(person_url("contact_y"), network=X),
        person("contact_y", "network_id"),
        (F,       F,       CHANGES, CHANGES)),
    "person.new_contact_for_y": Row(
        lambda w: reverse("members:person_create", args=[w.agency_a.slug]),
        lambda w: new_contact(w, Y), new_contacts,
        (REFUSED, REFUSED, CHANGES, CHANGES)),
    "person.new_contact_for_every_network": Row(
        lambda w: reverse("members:person_create", args=[w.agency_a.slug]),
        lambda w: new_contact(w, ""), new_contacts,
        (REFUSED, REFUSED, CHANGES, CHANGES)),
    "person.new_contact_for_x": Row(
        lambda w: reverse("members:person_create", args=[w.agency_a.slug]),
        lambda w: new_contact(w, X), new_contacts,
        (CHANGES, CHANGES, CHANGES, CHANGES)),
    "person.new_contact_of_an_agency_of_y": Row(
        lambda w: reverse("members:person_create", args=[w.agency_y.slug]),
        lambda w: new_contact(w, Y), new_contacts,
        (F,       F,       CHANGES, CHANGES)),
    # The contacts of staff accounts: who they are for their agency is
    # changed only by a role at least as high, over every network of the
    # account's grants (agency B is a member of X only).
    "person.staff_contact_of_sec_all.level": Row(
        person_url("staff_sec_all"), edit(person_url("staff_sec_all"), level=PersonLevel.PRINCIPAL),
        person("staff_sec_all", "level"),
        (IGNORED, IGNORED, CHANGES, CHANGES)),
    "person.staff_contact_of_admin_x.is_active": Row(
        person_url("staff_admin_x"), edit(person_url("staff_admin_x"), is_active=DROP),
        person("staff_admin_x", "is_active"),
        (IGNORED, CHANGES, IGNORED, CHANGES)),
    "person.staff_contact_of_sec.level": Row(
        person_url("staff_sec"), edit(person_url("staff_sec"), level=PersonLevel.PRINCIPAL),
        person("staff_sec", "level"),
        (CHANGES, CHANGES, CHANGES, CHANGES)),
    # --- networks ------------------------------------------------------------------
    "network.parent_in_y": Row(
        lambda w: reverse("members:network_edit", args=[w.network.slug]),
        edit(lambda w: reverse("members:network_edit", args=[w.network.slug]), parent=Y),
        lambda w: Network.objects.get(pk=w.network.pk).parent_id,
        (REFUSED, REFUSED, CHANGES, CHANGES)),
    "network.y_itself": Row(
        lambda w: reverse("members:network_edit", args=[w.other_network.slug]),
        edit(lambda w: reverse("members:network_edit", args=[w.other_network.slug]), seat="Forged"),
        lambda w: Network.objects.get(pk=w.other_network.pk).seat,
        (F,       F,       CHANGES, CHANGES)),
    # --- memberships and chair terms -------------------------------------------------
    "membership.new_in_y": Row(
        lambda w: reverse("members:membership_create", args=[w.other_network.slug]),
        lambda w: {"organization": w.newcomer.pk, "joined": "2024-01-01"},
        lambda w: Membership.objects.filter(network=w.other_network, organization=w.newcomer).count(),
        (F,       F,       CHANGES, CHANGES)),
    # The network of a membership is the page's, never a posted value.
    "membership.new_in_x_posting_network_y": Row(
        lambda w: reverse("members:membership_create", args=[w.network.slug]),
        lambda w: {"organization": w.newcomer.pk, "joined": "2024-01-01", "network": w.other_network.pk},
        lambda w: Membership.objects.filter(network=w.other_network, organization=w.newcomer).count(),
        (IGNORED, IGNORED, IGNORED, IGNORED)),
    "membership.of_y": Row(
        lambda w: reverse("members:membership_edit", args=[w.membership_a_y.pk]),
        edit(lambda w: reverse("members:membership_edit", args=[w.membership_a_y.pk]), executive_committee="on"),
        lambda w: Membership.objects.get(pk=w.membership_a_y.pk).executive_committee,
        (F,       F,       CHANGES, CHANGES)),
    "chair_term.new_in_y": Row(
        lambda w: reverse("members:chair_term_create", args=[w.other_network.slug]),
        lambda w: term_post(w, lambda w: w.agency_y),
        lambda w: ChairTerm.objects.filter(network=w.other_network).count(),
        (F,       F,       CHANGES, CHANGES)),
    # A chair of X is a member of X, for everyone.
    "chair_term.in_x_for_an_agency_of_y": Row(
        lambda w: reverse("members:chair_term_create", args=[w.network.slug]),
        lambda w: term_post(w, lambda w: w.agency_y),
        lambda w: ChairTerm.objects.filter(organization=w.agency_y).count(),
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "chair_term.of_y": Row(
        lambda w: reverse("members:chair_term_edit", args=[w.term_y.pk]),
        edit(lambda w: reverse("members:chair_term_edit", args=[w.term_y.pk]), organization=lambda w: w.agency_y.pk),
        lambda w: ChairTerm.objects.get(pk=w.term_y.pk).organization_id,
        (F,       F,       CHANGES, CHANGES)),
    "chair_plan.rotation_of_y": Row(
        lambda w: reverse("members:chair_plan", args=[w.other_network.slug]),
        lambda w: {"save_rotation": "1", "order": "YYY"},
        lambda w: list(w.other_network.rotation.values_list("organization_id", flat=True)),
        (F,       F,       CHANGES, CHANGES)),
    # --- meetings --------------------------------------------------------------------
    "meeting.invite_to_y": Row(
        lambda w: reverse("meetings:invite", args=[w.meeting_y.pk]),
        lambda w: {"guests": [w.newcomer.pk]},
        lambda w: w.meeting_y.participants.filter(organization=w.newcomer).count(),
        (N,       N,       CHANGES, CHANGES)),
    "agenda.decide_in_y": Row(
        lambda w: reverse("meetings:agenda_decide", args=[w.meeting_y.pk, w.proposal_y.pk]),
        lambda w: {"decision": "accepted"},
        lambda w: AgendaItem.objects.get(pk=w.proposal_y.pk).status,
        (N,       N,       CHANGES, CHANGES)),
    "meeting.new_in_y": Row(
        lambda w: reverse("meetings:create", args=[w.other_network.slug]),
        meeting_post,
        lambda w: Meeting.objects.filter(network=w.other_network, title="Planned in Y").count(),
        (F,       F,       CHANGES, CHANGES)),
    "meeting.of_y": Row(
        lambda w: reverse("meetings:edit", args=[w.meeting_y.pk]),
        edit(lambda w: reverse("meetings:edit", args=[w.meeting_y.pk]), title="Forged"),
        lambda w: Meeting.objects.get(pk=w.meeting_y.pk).title,
        (N,       N,       CHANGES, CHANGES)),
    "meeting.task_team_of_y": Row(
        MEETING_X, edit(MEETING_X, task_team=lambda w: w.team_y.pk),
        lambda w: Meeting.objects.get(pk=w.meeting.pk).task_team_id,
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "meeting.prepares_a_meeting_of_y": Row(
        MEETING_X, edit(MEETING_X, prepares=lambda w: w.principals_y.pk),
        lambda w: Meeting.objects.get(pk=w.meeting.pk).prepares_id,
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "meeting.network_posted": Row(
        MEETING_X, edit(MEETING_X, network=Y),
        lambda w: Meeting.objects.get(pk=w.meeting.pk).network_id,
        (IGNORED, IGNORED, IGNORED, IGNORED)),
    # --- workplans and task teams -------------------------------------------------------
    "workplan.new_in_y": Row(
        lambda w: reverse("workplans:create", args=[w.other_network.slug]),
        lambda w: {"title": "Y plan", "start_year": w.today.year, "end_year": w.today.year},
        lambda w: Workplan.objects.filter(network=w.other_network).count(),
        (F,       F,       CHANGES, CHANGES)),
    "activity.of_y": Row(
        lambda w: reverse("workplans:activity_edit", args=[w.activity_y.pk]),
        edit(lambda w: reverse("workplans:activity_edit", args=[w.activity_y.pk]), title="Forged"),
        lambda w: Activity.objects.get(pk=w.activity_y.pk).title,
        (N,       N,       CHANGES, CHANGES)),
    "activity.task_team_of_y": Row(
        ACTIVITY, edit(ACTIVITY, task_team=lambda w: w.team_y.pk),
        activity_field("task_team"),
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "activity.objective_of_y": Row(
        ACTIVITY, edit(ACTIVITY, objective=lambda w: w.objective_y.pk),
        activity_field("objective"),
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "activity.lead_agency_of_y": Row(
        ACTIVITY, edit(ACTIVITY, lead_organizations=lambda w: [w.agency_y.pk]),
        activity_field("lead_organizations"),
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "objective.new_in_a_workplan_of_y": Row(
        lambda w: reverse("workplans:objective_create", args=[w.workplan_y.pk]),
        lambda w: {"code": "2", "title": "Forged"},
        lambda w: w.workplan_y.objectives.count(),
        (N,       N,       CHANGES, CHANGES)),
    # A team of X takes contacts for X (or every network), never one for Y.
    "taskteam.x_team_takes_a_contact_for_y": Row(
        lambda w: reverse("taskteams:membership", args=[w.network.slug, w.team.slug]),
        lambda w: {"add_person": "1", "person": w.contact_y.pk},
        lambda w: sorted(w.team.members.values_list("pk", flat=True)),
        (REFUSED, REFUSED, REFUSED, REFUSED)),
    "taskteam.new_in_y": Row(
        lambda w: reverse("taskteams:create", args=[w.other_network.slug]),
        lambda w: {"kind": "task_team", "name": "Forged team", "slug": "forged", "focus": "Forged"},
        lambda w: TaskTeam.objects.filter(network=w.other_network, slug="forged").count(),
        (N,       N,       CHANGES, CHANGES)),
    "taskteam.of_y": Row(
        lambda w: reverse("taskteams:edit", args=[w.other_network.slug, w.team_y.slug]),
        edit(lambda w: reverse("taskteams:edit", args=[w.other_network.slug, w.team_y.slug]),
             co_chairs=lambda w: [w.agency_a.pk]),
        lambda w: list(TaskTeam.objects.get(pk=w.team_y.pk).co_chairs.values_list("pk", flat=True)),
        (N,       N,       CHANGES, CHANGES)),
    # --- applications ---------------------------------------------------------------------
    "application.of_y": Row(
        lambda w: reverse("members:application_detail", args=[w.application_y.pk]),
        lambda w: {"start_review": "1"},
        lambda w: MembershipApplication.objects.get(pk=w.application_y.pk).status,
        (N,       N,       CHANGES, CHANGES)),
}
# fmt: on


def _cases():
    for name, row in MATRIX.items():
        for role, cell in zip(ROLES, row.cells, strict=True):
            yield pytest.param(name, role, cell, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role", "cell"), list(_cases()))
def test_a_network_scoped_role_acts_in_its_networks_only(client, scope, name, role, cell):
    """Each manager posts each network-bearing value: a role scoped to X is
    refused or ignored for anything in Y and the row keeps its value; a role
    over every network changes it."""
    row = MATRIX[name]
    data = row.data(scope)
    before = row.read(scope)
    client.force_login(scope.users[role])
    response = client.post(row.url(scope), data)
    after = row.read(scope)
    if cell == CHANGES:
        assert response.status_code == 302, (response.status_code, _errors(response))
        assert after != before, f"{role} could not change {name}"
        return
    if cell == REFUSED:
        assert response.status_code == 200, response.status_code
        assert _errors(response), "the form came back without saying why"
    elif cell == IGNORED:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == cell
    assert after == before, f"{role} changed {name}: {before!r} → {after!r}"


def _errors(response) -> dict:
    """The errors of the forms the page came back with."""
    from django.forms import BaseForm
    from django.test.utils import ContextList

    context = getattr(response, "context", None)
    if not context:
        return {}
    # A ContextList (one context per template rendered) or a single Context.
    layers = context if isinstance(context, ContextList) else [context]
    errors: dict = {}
    for layer in layers:
        for value in layer.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound:
                errors.update(value.errors)
    return errors


def test_a_scoped_secretariat_is_offered_only_its_networks(client, scope):
    """Not offered: the contact form of X's secretariat lists X alone for a
    contact of agency A (a member of X and Y), without "Every network"; the
    network form offers no parent outside X's managers' reach. A global
    secretariat is offered Y and "Every network"."""
    client.force_login(scope.users["sec"])
    form = client.get(reverse("members:person_edit", args=[scope.contact_x.pk])).context["form"]
    assert list(form.fields["network"].queryset) == [scope.network]
    assert form.fields["network"].empty_label is None
    form = client.get(reverse("members:network_edit", args=[scope.network.slug])).context["form"]
    assert scope.other_network not in form.fields["parent"].queryset
    client.force_login(scope.users["sec_all"])
    form = client.get(reverse("members:person_edit", args=[scope.contact_x.pk])).context["form"]
    assert set(form.fields["network"].queryset) == {scope.network, scope.other_network}
    assert form.fields["network"].empty_label


def test_the_contact_service_refuses_a_network_the_editor_does_not_manage(scope):
    """Defence in depth: `person_save` for X's secretariat refuses to place
    a contact in Y (or in every network) whatever a form let through, and
    the row keeps its network."""
    from core.errors import DomainError
    from members import services
    from members.roles import build_actor

    actor = build_actor(scope.users["sec"])
    for network in (scope.other_network, None):
        contact = Person.objects.get(pk=scope.contact_x.pk)
        contact.network = network
        with pytest.raises(DomainError):
            services.person_save(person=contact, actor=actor)
        assert Person.objects.get(pk=contact.pk).network_id == scope.network.pk


def test_a_contact_for_one_network_answers_its_agencys_invitations_there_only(client, scope):
    """A contact scoped to a network speaks for its agency in that network
    only: agency A's focal point for Y neither sees X's meeting through A's
    invitation nor answers it (404, the answer stays pending); A's focal
    point for X does."""
    from meetings.models import Participant

    invitation = scope.invitation
    url = reverse("meetings:respond", args=[invitation.pk])
    data = {"response": "attending", "delegate_name": ""}
    client.force_login(scope.contact_y.user)
    assert client.get(scope.meeting.get_absolute_url()).status_code == 404
    assert client.post(url, data).status_code == 404
    assert Participant.objects.get(pk=invitation.pk).response == invitation.response
    client.force_login(scope.contact_x.user)
    assert client.post(url, data).status_code == 302
    assert Participant.objects.get(pk=invitation.pk).response == "attending"


def test_the_agency_page_offers_to_edit_only_the_contacts_one_may_edit(client, scope):
    """X's secretariat sees agency A's contacts, with an edit link on those
    for X and for every network, none on the contact for Y (which would
    answer 403); a global secretariat has a link on each."""

    def edit_links(role) -> set[int]:
        client.force_login(scope.users[role])
        page = client.get(scope.agency_a.get_absolute_url()).content.decode()
        people = Person.objects.filter(organization=scope.agency_a)
        return {p.pk for p in people if reverse("members:person_edit", args=[p.pk]) in page}

    assert scope.contact_y.pk not in edit_links("sec")
    assert {scope.contact_a.pk, scope.contact_x.pk} <= edit_links("sec")
    assert scope.contact_y.pk in edit_links("sec_all")


def test_a_contact_for_one_network_is_not_a_member_of_another_through_a_second_agency(
    client, scope
):
    """Agency A is in X and Y. Someone who is A's focal point for Y and the
    head (principal, for every network) of an agency in no network was
    counted a member of X: every network of A counted once any contact of
    theirs was "for every network". Now each contact counts where it
    speaks: X's meeting is out of sight (404) and no proposal can be made
    there (404, nothing created); Y's meeting is seen and takes proposals."""
    user = scope.contact_y.user
    f.PersonFactory(
        organization=scope.newcomer, level=PersonLevel.PRINCIPAL, user=user, email=user.email
    )
    client.force_login(user)
    assert client.get(scope.meeting.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("meetings:agenda_propose", args=[scope.meeting.pk]),
        {"title": "Forged", "presenter": scope.agency_a.pk, "minutes_wanted": 10},
    )
    assert response.status_code == 404
    assert not AgendaItem.objects.filter(title="Forged").exists()
    assert client.get(scope.meeting_y.get_absolute_url()).status_code == 200
    propose_y = reverse("meetings:agenda_propose", args=[scope.meeting_y.pk])
    assert client.get(propose_y).status_code == 200


def test_a_principal_here_and_a_focal_point_elsewhere_does_not_propose_here(client, scope):
    """Proposing is for a member agency's focal points in this network. The
    head of agency B (a member of X) who is also agency A's focal point for
    Y only reads X's meetings: proposing there is refused (403), nothing
    is created."""
    user = scope.contact_y.user
    f.PersonFactory(
        organization=scope.agency_b, level=PersonLevel.PRINCIPAL, user=user, email=user.email
    )
    client.force_login(user)
    assert client.get(scope.meeting.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("meetings:agenda_propose", args=[scope.meeting.pk]),
        {"title": "Forged", "presenter": scope.agency_b.pk, "minutes_wanted": 10},
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.filter(title="Forged").exists()


def test_a_focal_point_for_one_network_keeps_its_agencys_contacts_there(client, scope):
    """Agency A's focal point for Y edits A's contacts for Y and for every
    network, not A's contact for X: that is X's record (403, unchanged)."""
    client.force_login(scope.contact_y.user)
    for contact, expected in (
        (scope.contact_x, 403),
        (scope.unlinked_a, 302),  # for every network
        (scope.contact_y, 302),
    ):
        url = reverse("members:person_edit", args=[contact.pk])
        data = _as_shown(scope, url, phone="+41 22 000 00 00")
        assert client.post(url, data).status_code == expected, contact
        changed = Person.objects.get(pk=contact.pk).phone == "+41 22 000 00 00"
        assert changed is (expected == 302), contact
