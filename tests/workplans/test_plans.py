"""Building and monitoring a workplan: who may open which page (the whole
matrix), the status moves allowed and refused, objectives and activities
built in the browser with bad input refused field by field and kept, and the
monitoring page's filters. Every refused POST changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from members.models import PersonLevel
from taskteams.models import TaskTeam
from tests import factories as f
from tests.workplans import make_activity, make_objective, make_workplan, this_year
from workplans.models import (
    Activity,
    ActivityStatus,
    FrameworkObjective,
    Objective,
    Workplan,
    WorkplanStatus,
)
from workplans.services import plans

pytestmark = pytest.mark.django_db

ROLES = ("anon", "outsider", "focal_a", "cochair", "sec", "other_sec", "admin")
L = "login"

# One row per page; the columns follow ROLES. 404: may not see the workplan;
# 403: may see it, may not do this. `cochair`: focal point of agency B, which
# co-chairs the task team of the activity (may edit that activity only).
# fmt: off
MATRIX = [
    #                              anon outs focal_a cochair sec other_sec admin
    ("workplans:list",            (L, 200, 200, 200, 200, 200, 200)),
    ("workplans:detail",          (L, 404, 200, 200, 200, 404, 200)),
    ("workplans:export_csv",      (L, 404, 200, 200, 200, 404, 200)),
    ("workplans:export_xlsx",     (L, 404, 200, 200, 200, 404, 200)),
    ("workplans:create",          (L, 403, 403, 403, 200, 403, 200)),
    ("workplans:edit",            (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:approve",         (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:objective_create", (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:objective_edit",  (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:activity_create", (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:activity_edit",   (L, 404, 403, 200, 200, 404, 200)),
    ("workplans:import",          (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:import_template", (L, 404, 403, 403, 200, 404, 200)),
]
# The same workplan once approved: it can be closed.
MATRIX_APPROVED = [
    #                              anon outs focal_a cochair sec other_sec admin
    ("workplans:close",           (L, 404, 403, 403, 200, 404, 200)),
    ("workplans:detail",          (L, 404, 200, 200, 200, 404, 200)),
]
# fmt: on


@pytest.fixture
def world(network, other_network, agency_a, agency_b):
    users = {
        "outsider": f.UserFactory(),
        "sec": f.UserFactory(),
        "other_sec": f.UserFactory(),
        "admin": f.UserFactory(is_superuser=True, is_staff=True),
        "focal_a": f.UserFactory(),
        "cochair": f.UserFactory(),
    }
    f.grant(users["sec"], Role.SECRETARIAT, network)
    f.grant(users["other_sec"], Role.SECRETARIAT, other_network)
    for key, org in (("focal_a", agency_a), ("cochair", agency_b)):
        f.PersonFactory(
            organization=org,
            level=PersonLevel.FOCAL_POINT,
            user=users[key],
            email=users[key].email,
        )
    team = TaskTeam.objects.create(network=network, name="Data", slug="data", focus="Data")
    team.co_chairs.set([agency_b])
    workplan = make_workplan(network)
    objective = make_objective(workplan, "1")
    activity = make_activity(objective, "1.1", leads=[agency_a], task_team=team)
    return SimpleNamespace(
        users=users,
        network=network,
        workplan=workplan,
        objective=objective,
        activity=activity,
        team=team,
        agency_a=agency_a,
        agency_b=agency_b,
    )


def _url(name: str, w) -> str:
    match name:
        case "workplans:list":
            return reverse(name)
        case "workplans:create":
            return reverse(name, args=[w.network.slug])
        case "workplans:objective_edit":
            return reverse(name, args=[w.objective.pk])
        case "workplans:activity_edit":
            return reverse(name, args=[w.activity.pk])
        case "workplans:export_csv" | "workplans:export_xlsx":
            return reverse("workplans:export", args=[w.workplan.pk, name.rsplit("_", 1)[1]])
        case "workplans:import_template":
            return reverse(name, args=[w.workplan.pk, "xlsx"])
    return reverse(name, args=[w.workplan.pk])


def _cases(matrix):
    for name, cells in matrix:
        assert len(cells) == len(ROLES)
        for role, expected in zip(ROLES, cells, strict=True):
            yield pytest.param(name, role, expected, id=f"{name}-{role}")


def _get(client, world, name, role):
    if role != "anon":
        client.force_login(world.users[role])
    return client.get(_url(name, world))


def _check(response, expected):
    if expected == L:
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("name", "role", "expected"), list(_cases(MATRIX)))
def test_matrix_of_a_draft_workplan(client, world, name, role, expected):
    """Each page of a draft workplan answers each role as the table says."""
    _check(_get(client, world, name, role), expected)


@pytest.mark.parametrize(("name", "role", "expected"), list(_cases(MATRIX_APPROVED)))
def test_matrix_of_an_approved_workplan(client, world, name, role, expected):
    """Once approved, the close page answers as the table says."""
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=WorkplanStatus.APPROVED, approved_on=date(this_year(), 1, 2)
    )
    _check(_get(client, world, name, role), expected)


def test_the_list_shows_only_visible_workplans(client, world, other_network):
    """Another network's workplan is not listed to a focal point of this one."""
    make_workplan(other_network, title="Hidden plan")
    client.force_login(world.users["focal_a"])
    response = client.get(reverse("workplans:list"), {"network": ""})
    assert world.workplan.title.encode() in response.content
    assert b"Hidden plan" not in response.content


# --- refused POSTs change nothing ------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), [("focal_a", 403), ("other_sec", 404)])
def test_a_focal_point_cannot_edit_the_workplan(client, world, role, expected):
    """A POST to the edit page is refused and the workplan keeps its title."""
    client.force_login(world.users[role])
    year = this_year()
    response = client.post(
        reverse("workplans:edit", args=[world.workplan.pk]),
        {"title": "Hijacked", "start_year": year, "end_year": year},
    )
    assert response.status_code == expected
    world.workplan.refresh_from_db()
    assert world.workplan.title == "Workplan"


@pytest.mark.parametrize(("role", "expected"), [("focal_a", 403), ("other_sec", 404)])
def test_only_the_secretariat_approves(client, world, role, expected):
    client.force_login(world.users[role])
    response = client.post(
        reverse("workplans:approve", args=[world.workplan.pk]),
        {"approved_on": date(this_year(), 1, 2).isoformat(), "approval_reference": "EC"},
    )
    assert response.status_code == expected
    world.workplan.refresh_from_db()
    assert world.workplan.status == WorkplanStatus.DRAFT


def test_a_focal_point_cannot_add_an_activity(client, world):
    client.force_login(world.users["focal_a"])
    response = client.post(
        reverse("workplans:activity_create", args=[world.workplan.pk]),
        {"objective": world.objective.pk, "code": "9.9", "title": "Sneaky"},
    )
    assert response.status_code == 403
    assert not Activity.objects.filter(code="9.9").exists()


def test_a_co_chair_edits_the_activity_but_not_its_team_or_objective(client, world):
    """The co-chair's form has objective and task team fixed: a POST that
    tries to move them leaves them as they were, the rest is saved."""
    other_objective = make_objective(world.workplan, "2")
    client.force_login(world.users["cochair"])
    year = this_year()
    response = client.post(
        reverse("workplans:activity_edit", args=[world.activity.pk]),
        {
            "objective": other_objective.pk,
            "code": "1.1",
            "title": "Renamed by the co-chair",
            "lead_organizations": [world.agency_a.pk],
            "task_team": "",
            "start": f"{year}-01-01",
            "end": f"{year}-12-31",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    world.activity.refresh_from_db()
    assert world.activity.title == "Renamed by the co-chair"
    assert world.activity.objective_id == world.objective.pk
    assert world.activity.task_team_id == world.team.pk


# --- transitions ------------------------------------------------------------------------


def test_draft_to_approved_to_closed(world):
    """The allowed moves, with the approval's date and reference kept."""
    on = timezone.localdate()
    plans.workplan_approve(workplan=world.workplan, approved_on=on, approval_reference=" EC 3 ")
    world.workplan.refresh_from_db()
    assert (world.workplan.status, world.workplan.approved_on) == (WorkplanStatus.APPROVED, on)
    assert world.workplan.approval_reference == "EC 3"
    plans.workplan_close(workplan=world.workplan)
    world.workplan.refresh_from_db()
    assert world.workplan.status == WorkplanStatus.CLOSED


def test_a_draft_cannot_be_closed(world):
    with pytest.raises(DomainError, match="Only an approved workplan can be closed"):
        plans.workplan_close(workplan=world.workplan)
    world.workplan.refresh_from_db()
    assert world.workplan.status == WorkplanStatus.DRAFT


@pytest.mark.parametrize("status", [WorkplanStatus.APPROVED, WorkplanStatus.CLOSED])
def test_only_a_draft_is_approved(world, status):
    Workplan.objects.filter(pk=world.workplan.pk).update(status=status)
    world.workplan.refresh_from_db()
    with pytest.raises(DomainError, match="Only a draft workplan can be approved"):
        plans.workplan_approve(
            workplan=world.workplan, approved_on=timezone.localdate(), approval_reference="EC"
        )
    world.workplan.refresh_from_db()
    assert world.workplan.status == status


def test_a_closed_workplan_is_never_reopened(world):
    Workplan.objects.filter(pk=world.workplan.pk).update(status=WorkplanStatus.CLOSED)
    world.workplan.refresh_from_db()
    assert not any(world.workplan.can_move_to(s) for s in WorkplanStatus.values)
    with pytest.raises(DomainError):
        plans.workplan_approve(
            workplan=world.workplan, approved_on=timezone.localdate(), approval_reference="EC"
        )


def test_approval_needs_a_reference_a_past_date_and_activities(world, network):
    with pytest.raises(DomainError) as missing:
        plans.workplan_approve(
            workplan=world.workplan, approved_on=timezone.localdate(), approval_reference=" "
        )
    assert missing.value.field == "approval_reference"
    with pytest.raises(DomainError) as future:
        plans.workplan_approve(
            workplan=world.workplan,
            approved_on=timezone.localdate() + timedelta(days=1),
            approval_reference="EC",
        )
    assert future.value.field == "approved_on"
    empty = make_workplan(network, title="Empty")
    with pytest.raises(DomainError, match="without activities"):
        plans.workplan_approve(
            workplan=empty, approved_on=timezone.localdate(), approval_reference="EC"
        )
    world.workplan.refresh_from_db()
    assert world.workplan.status == WorkplanStatus.DRAFT


def test_approving_in_the_browser(client, world):
    client.force_login(world.users["sec"])
    url = reverse("workplans:approve", args=[world.workplan.pk])
    response = client.post(url, {"approved_on": "", "approval_reference": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"approved_on", "approval_reference"}
    on = date(this_year(), 1, 10)
    if on > timezone.localdate():
        on = timezone.localdate()
    response = client.post(
        url, {"approved_on": on.isoformat(), "approval_reference": "Annual meeting, Bangkok"}
    )
    assert response.status_code == 302
    world.workplan.refresh_from_db()
    assert world.workplan.status == WorkplanStatus.APPROVED
    assert world.workplan.approval_reference == "Annual meeting, Bangkok"
    # once approved, the approve page sends back with a message
    response = client.get(url)
    assert response.status_code == 302


def test_closing_in_the_browser_freezes_the_plan(client, world):
    """After closing, the edit pages send back and the services refuse."""
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=WorkplanStatus.APPROVED, approved_on=date(this_year(), 1, 2)
    )
    client.force_login(world.users["sec"])
    url = reverse("workplans:close", args=[world.workplan.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    world.workplan.refresh_from_db()
    assert world.workplan.status == WorkplanStatus.CLOSED
    response = client.get(reverse("workplans:activity_edit", args=[world.activity.pk]))
    assert response.status_code == 302
    with pytest.raises(DomainError, match="closed"):
        plans.objective_create(workplan=world.workplan, code="9", title="Late")
    assert not Objective.objects.filter(code="9").exists()


# --- building in the browser -----------------------------------------------------------------


def test_the_secretariat_builds_a_workplan(client, world, network):
    """New workplan, an objective, an activity with leads, partners, task team
    and framework objectives; it shows on the page."""
    client.force_login(world.users["sec"])
    year = this_year()
    response = client.post(
        reverse("workplans:create", args=[network.slug]),
        {"title": "Work plan 2027–2028", "start_year": year, "end_year": year + 1},
    )
    assert response.status_code == 302
    workplan = Workplan.objects.get(title="Work plan 2027–2028")
    assert workplan.status == WorkplanStatus.DRAFT
    response = client.post(
        reverse("workplans:objective_create", args=[workplan.pk]),
        {"code": "A", "title": "Evidence"},
    )
    assert response.status_code == 302
    objective = workplan.objectives.get()
    gcm1 = FrameworkObjective.objects.get(code="GCM 1")
    response = client.post(
        reverse("workplans:activity_create", args=[workplan.pk]),
        {
            "objective": objective.pk,
            "code": "A.1",
            "title": "Regional data workshop",
            "lead_organizations": [world.agency_a.pk],
            "partner_organizations": [world.agency_b.pk],
            "task_team": world.team.pk,
            "start": f"{year}-03-01",
            "end": f"{year + 1}-02-28",
            "indicator": "Workshop held",
            "target": "30 officials",
            "weight": "2.5",
            "framework_objectives": [gcm1.pk],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(code="A.1")
    assert [o.acronym for o in activity.lead_organizations.all()] == ["AAA"]
    assert [o.acronym for o in activity.partner_organizations.all()] == ["BBB"]
    assert activity.task_team == world.team
    assert str(activity.weight) == "2.50"
    assert activity.status == ActivityStatus.NOT_STARTED
    assert activity.history.first().history_user == world.users["sec"]
    page = client.get(workplan.get_absolute_url())
    assert b"Regional data workshop" in page.content
    assert b"GCM 1" in page.content


def test_bad_activity_input_is_refused_field_by_field_and_kept(client, world, other_network):
    """End before start, a lead that is not a member, the same agency as lead
    and partner, a taken code, a task team of another network: each on its
    field, with what was typed still in the form."""
    stranger = f.OrganizationFactory(acronym="ZZZ")
    foreign_team = TaskTeam.objects.create(network=other_network, name="X", slug="x", focus="x")
    client.force_login(world.users["sec"])
    year = this_year()
    response = client.post(
        reverse("workplans:activity_create", args=[world.workplan.pk]),
        {
            "objective": world.objective.pk,
            "code": "1.1",
            "title": "Kept title",
            "lead_organizations": [world.agency_a.pk, stranger.pk],
            "partner_organizations": [world.agency_a.pk],
            "task_team": foreign_team.pk,
            "start": f"{year}-06-01",
            "end": f"{year}-05-01",
            "weight": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"code", "lead_organizations", "task_team", "end", "weight"}
    assert "already in this workplan" in errors["code"][0]
    assert "cannot end before it starts" in errors["end"][0]
    assert b'value="Kept title"' in response.content
    assert Activity.objects.count() == 1


def test_lead_and_partner_cannot_be_the_same_agency(world):
    year = this_year()
    data = plans.ActivityData(
        code="1.2",
        title="Both",
        start=date(year, 1, 1),
        end=date(year, 2, 1),
        lead_organizations=[world.agency_a],
        partner_organizations=[world.agency_a],
    )
    with pytest.raises(DomainError) as error:
        plans.activity_create(objective=world.objective, data=data)
    assert error.value.field == "partner_organizations"


def test_activities_stay_within_the_plan_years(world):
    year = this_year()
    data = plans.ActivityData(
        code="1.2",
        title="Too late",
        start=date(year, 1, 1),
        end=date(year + 1, 1, 1),
        lead_organizations=[world.agency_a],
    )
    with pytest.raises(DomainError) as error:
        plans.activity_create(objective=world.objective, data=data)
    assert error.value.field == "end"
    with pytest.raises(DomainError) as error:
        plans.workplan_update(
            workplan=world.workplan, title="Later", start_year=year + 1, end_year=year + 1
        )
    assert error.value.field == "start_year"


def test_editing_keeps_progress(world):
    """The planning fields change; status and percent stay the progress service's."""
    Activity.objects.filter(pk=world.activity.pk).update(
        status=ActivityStatus.AT_RISK, percent_complete=40
    )
    world.activity.refresh_from_db()
    year = this_year()
    plans.activity_update(
        activity=world.activity,
        data=plans.ActivityData(
            code="1.1",
            title="New title",
            start=date(year, 2, 1),
            end=date(year, 3, 1),
            lead_organizations=[world.agency_b],
        ),
    )
    world.activity.refresh_from_db()
    assert (world.activity.title, world.activity.status, world.activity.percent_complete) == (
        "New title",
        ActivityStatus.AT_RISK,
        40,
    )


def test_objectives_are_reordered(client, world):
    second = make_objective(world.workplan, "2")
    third = make_objective(world.workplan, "3")
    client.force_login(world.users["sec"])
    ids = [world.objective.pk, second.pk, third.pk]
    response = client.post(
        reverse("workplans:objective_reorder", args=[world.workplan.pk]),
        {"objective": ids, "move": f"{third.pk}:up"},
    )
    assert response.status_code == 302
    order = list(world.workplan.objectives.order_by("position").values_list("code", flat=True))
    assert order == ["1", "3", "2"]
    # a stale list (an objective missing) is refused and changes nothing
    client.post(
        reverse("workplans:objective_reorder", args=[world.workplan.pk]),
        {"objective": [second.pk, third.pk], "move": f"{second.pk}:up"},
    )
    order = list(world.workplan.objectives.order_by("position").values_list("code", flat=True))
    assert order == ["1", "3", "2"]


def test_duplicate_objective_code_is_refused_on_its_field(client, world):
    client.force_login(world.users["sec"])
    response = client.post(
        reverse("workplans:objective_create", args=[world.workplan.pk]),
        {"code": "1", "title": "Again"},
    )
    assert response.status_code == 200
    assert "already in this workplan" in response.context["form"].errors["code"][0]
    assert world.workplan.objectives.count() == 1


def test_workplan_years_in_order(client, world, network):
    client.force_login(world.users["sec"])
    response = client.post(
        reverse("workplans:create", args=[network.slug]),
        {"title": "Backwards", "start_year": 2027, "end_year": 2026},
    )
    assert response.status_code == 200
    assert "end_year" in response.context["form"].errors
    assert b'value="Backwards"' in response.content
    assert not Workplan.objects.filter(title="Backwards").exists()


# --- the monitoring page ---------------------------------------------------------------------


@pytest.fixture
def monitored(world):
    """Three more activities: one of B, one overdue, one completed."""
    today = timezone.localdate()
    year = this_year()
    gcm3 = FrameworkObjective.objects.get(code="GCM 3")
    second = make_objective(world.workplan, "2", "Information")
    make_activity(
        second,
        "2.1",
        leads=[world.agency_b],
        status=ActivityStatus.ON_TRACK,
        percent=30,
        frameworks=[gcm3],
        title="Information campaign",
    )
    past_end = max(date(year, 1, 1), today - timedelta(days=1))
    overdue = make_activity(
        second,
        "2.2",
        leads=[world.agency_a],
        start=date(year, 1, 1),
        end=past_end,
        status=ActivityStatus.ON_TRACK,
        percent=60,
        title="Late guidance",
    )
    make_activity(
        world.objective,
        "1.2",
        leads=[world.agency_b],
        status=ActivityStatus.COMPLETED,
        percent=100,
        title="Finished survey",
    )
    world.overdue = overdue if past_end < today else None
    return world


def _shown(response) -> list[str]:
    return [a.code for a in response.context["plan"].shown]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["1.1", "1.2", "2.1", "2.2"]),
        ({"lead": "BBB"}, ["1.2", "2.1"]),
        ({"status": ActivityStatus.COMPLETED}, ["1.2"]),
        ({"task_team": "TEAM"}, ["1.1"]),
        ({"task_team": "null"}, ["1.2", "2.1", "2.2"]),
        ({"framework": "GCM 3"}, ["2.1"]),
        ({"objective": "OBJ2"}, ["2.1", "2.2"]),
    ],
)
def test_the_filters_of_the_monitoring_page(client, monitored, params, expected):
    """Each filter narrows the activities listed and drawn on the timeline;
    the roll-up of the whole plan stays."""
    w = monitored
    values = {
        "BBB": w.agency_b.pk,
        "TEAM": w.team.pk,
        "GCM 3": FrameworkObjective.objects.get(code="GCM 3").pk,
        "OBJ2": w.workplan.objectives.get(code="2").pk,
    }
    params = {k: values.get(v, v) for k, v in params.items()}
    client.force_login(w.users["focal_a"])
    response = client.get(w.workplan.get_absolute_url(), params)
    assert response.status_code == 200
    assert _shown(response) == expected
    timeline = [r.code for r in response.context["plan"].timeline.rows if r.kind == "activity"]
    assert timeline == expected
    assert response.context["plan"].rollup.count == 4


def test_the_overdue_filter(client, monitored):
    if monitored.overdue is None:
        pytest.skip("on 1 January nothing of this year can be overdue yet")
    client.force_login(monitored.users["sec"])
    url = monitored.workplan.get_absolute_url()
    assert _shown(client.get(url, {"overdue": "true"})) == ["2.2"]
    assert _shown(client.get(url, {"overdue": "false"})) == ["1.1", "1.2", "2.1"]


def test_a_bad_filter_value_is_refused_and_kept(client, monitored):
    client.force_login(monitored.users["sec"])
    response = client.get(monitored.workplan.get_absolute_url(), {"status": "bogus"})
    assert response.status_code == 200
    assert "status" in response.context["filter"].form.errors
    assert _shown(response) == ["1.1", "1.2", "2.1", "2.2"]


def test_the_page_shows_the_roll_ups_and_the_timeline(client, monitored):
    client.force_login(monitored.users["sec"])
    response = client.get(monitored.workplan.get_absolute_url())
    html = response.content.decode()
    assert "gantt-today" in html
    assert "wp-status-completed" in html
    assert "By lead agency" in html
    assert 'class="gantt-quarter"' in html
    leads = [org.acronym for org, _ in response.context["plan"].leads]
    assert leads == ["AAA", "BBB"]
