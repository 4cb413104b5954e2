"""The demo data holds the Asia-Pacific network's task teams and its
2025–2026 work plan with a year and more of quarterly progress, and loading
it twice changes nothing."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from members.models import Organization
from members.roles import build_actor
from taskteams.models import TaskTeam, TaskTeamKind, TaskTeamStatus
from taskteams.permissions import can, visible_task_teams
from workplans.models import (
    Activity,
    ActivityStatus,
    ProgressUpdate,
    Workplan,
    WorkplanStatus,
)
from workplans.permissions import activities_of

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return seed_demo()


def row_counts() -> dict[str, int]:
    """Rows of every model of the apps this demo fills, history included."""
    models = []
    for app in ("taskteams", "workplans", "members"):
        models += list(apps.get_app_config(app).get_models())
    return {m._meta.label: m._default_manager.count() for m in models}


def _acronyms(manager) -> set[str]:
    return set(manager.values_list("acronym", flat=True))


# --- task teams ----------------------------------------------------------------------------


def test_the_asia_pacific_network_has_its_task_teams(demo):
    teams = {t.slug: t for t in TaskTeam.objects.filter(network__slug="asia-pacific")}
    assert len(teams) == 5
    data = teams["migration-data"]
    assert data.name == "Task Team on Migration Data"
    assert _acronyms(data.co_chairs) == {"UNESCAP", "IOM"}
    assert data.status == TaskTeamStatus.ACTIVE
    assert data.established == date(2021, 6, 15)
    assert "Regional Network meeting" in data.establishing_decision
    assert data.next_review is not None
    assert data.tor_document and data.tor_document.read().startswith(b"%PDF-")
    # Co-chairs are members; everyone comes from the network's membership.
    members = set(
        Organization.objects.filter(memberships__network__slug="asia-pacific").values_list(
            "acronym", flat=True
        )
    )
    for team in teams.values():
        assert _acronyms(team.co_chairs) <= _acronyms(team.member_organizations) <= members
        assert team.focus and len(_acronyms(team.co_chairs)) == 2
    labour = teams["labour-migration"]
    assert _acronyms(labour.co_chairs) == {"ILO", "UN Women"}
    closed = [t for t in teams.values() if t.status == TaskTeamStatus.CLOSED]
    assert [(t.kind, t.end_date is not None) for t in closed] == [
        (TaskTeamKind.WORKING_GROUP, True)
    ]
    assert any(t.status == TaskTeamStatus.PROPOSED for t in teams.values())


def test_the_demo_focal_point_co_chairs_a_team_and_has_activities(demo):
    """focal@demo.example.org (UNHCR) manages the membership of the team
    UNHCR co-chairs, and has activities to report on, some still missing
    an update for the last quarter of 2026."""
    actor = build_actor(User.objects.get(email="focal@demo.example.org"))
    atd = TaskTeam.objects.get(slug="alternatives-to-detention")
    assert can(actor, "taskteam.manage_membership", atd)
    assert not can(actor, "taskteam.manage", atd)
    assert visible_task_teams(actor).filter(network__slug="asia-pacific").count() == 5
    mine = activities_of(actor)
    assert mine.filter(lead_organizations__acronym="UNHCR").count() >= 2
    reported = set(
        ProgressUpdate.objects.filter(activity__in=mine, year=2026, quarter=4).values_list(
            "activity__code", flat=True
        )
    )
    unreported = set(mine.values_list("code", flat=True)) - reported
    assert reported and unreported


# --- the work plan -------------------------------------------------------------------------


def test_the_regional_work_plan(demo):
    plan = Workplan.objects.get(network__slug="asia-pacific")
    assert (plan.start_year, plan.end_year) == (2025, 2026)
    assert plan.status == WorkplanStatus.APPROVED
    assert plan.approved_on == date(2025, 2, 20)
    objectives = list(plan.objectives.order_by("position"))
    assert [o.code for o in objectives] == ["1", "2", "3"]
    assert "country networks" in objectives[0].title
    assert "biennial report" in objectives[2].description

    activities = Activity.objects.filter(objective__workplan=plan)
    assert 8 <= activities.count() <= 12
    leads = set(activities.values_list("lead_organizations__acronym", flat=True))
    assert {"UNHCR", "UNICEF", "IOM", "ILO", "UNESCAP"} <= leads
    for activity in activities.prefetch_related("framework_objectives", "lead_organizations"):
        codes = {f.code for f in activity.framework_objectives.all()}
        assert codes and all(c.startswith("GCM ") or c == "SDG 10.7" for c in codes), activity
        assert activity.indicator and activity.target
        assert date(2025, 1, 1) <= activity.start <= activity.end <= date(2026, 12, 31)
        assert activity.lead_organizations.exists()
    assert activities.filter(task_team__slug="migration-data").exists()
    assert activities.filter(task_team__slug="labour-migration").exists()
    assert activities.filter(framework_objectives__code="SDG 10.7").exists()
    assert activities.filter(framework_objectives__code="GCM 13").exists()


def test_a_year_of_quarterly_updates_and_the_activities_mirror_the_newest(demo):
    plan = Workplan.objects.get(network__slug="asia-pacific")
    activities = Activity.objects.filter(objective__workplan=plan)
    for activity in activities:
        periods = set(activity.updates.values_list("year", "quarter"))
        # Every quarter of 2025 the activity was running is reported.
        running = {
            (2025, q)
            for q in range(1, 5)
            if activity.start <= date(2025, 3 * q, 28) and activity.end >= date(2025, 3 * q - 2, 1)
        }
        assert running <= periods, activity.code
        newest = activity.updates.order_by("-year", "-quarter", "-created_at").first()
        assert (activity.status, activity.percent_complete) == (
            newest.status,
            newest.percent_complete,
        )
        assert all(u.created_at.year in (2025, 2026, 2027) for u in activity.updates.all())
    statuses = set(activities.values_list("status", flat=True))
    assert {ActivityStatus.ON_TRACK, ActivityStatus.COMPLETED} <= statuses
    assert statuses & {ActivityStatus.AT_RISK, ActivityStatus.DELAYED}
    assert ProgressUpdate.objects.filter(activity__in=activities, year=2025).count() >= 36
    q4 = ProgressUpdate.objects.filter(activity__in=activities, year=2026, quarter=4)
    assert 0 < q4.count() < activities.exclude(status=ActivityStatus.COMPLETED).count()


def test_the_team_page_shows_its_activities_with_their_progress(demo, client):
    client.force_login(User.objects.get(email="focal@demo.example.org"))
    team = TaskTeam.objects.get(slug="migration-data")
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Regional migration data snapshot and harmonized indicators" in page
    assert 'data-width="90"' in page  # the bar's width, set by static/js/app.js
    assert "UNESCAP" in page and "co-chair" in page


# --- idempotence ---------------------------------------------------------------------------


def test_seed_demo_twice_changes_no_row_counts(demo):
    before = row_counts()
    assert before["taskteams.TaskTeam"] == 5
    assert before["workplans.Workplan"] == 1
    second = seed_demo()
    assert row_counts() == before
    summary = second.split("Demo accounts")[0]
    for label in ("Task teams", "Workplans", "Objectives", "Activities", "Progress updates"):
        line = next(line for line in summary.splitlines() if line.strip().startswith(label))
        created, updated, _unchanged = line.split()[-3:]
        assert (created, updated) == ("0", "0"), line
