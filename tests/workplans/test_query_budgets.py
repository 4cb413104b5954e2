"""The monitoring page of a workplan, its exports and the workplan list cost
the same number of queries with 10 activities or 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taskteams.models import TaskTeam
from tests import factories as f
from tests.workplans import make_objective, make_workplan, this_year
from workplans.models import Activity, ActivityStatus, FrameworkObjective, ProgressUpdate

pytestmark = pytest.mark.django_db

STATUSES = list(ActivityStatus.values)


def _grow(workplan, count, leads, partners, team):
    """`count` more activities spread over three objectives, each with a lead,
    a partner, two framework objectives and one progress update."""
    objectives = list(workplan.objectives.all()) or [
        make_objective(workplan, str(i)) for i in (1, 2, 3)
    ]
    start = len(Activity.objects.filter(objective__workplan=workplan))
    year = workplan.start_year
    created = Activity.objects.bulk_create(
        Activity(
            objective=objectives[i % 3],
            code=f"{i % 3 + 1}.{i}",
            title=f"Activity {i}",
            start=date(year, 1, 1) + timedelta(days=i % 200),
            end=date(year, 7, 1) + timedelta(days=i % 180),
            status=STATUSES[i % len(STATUSES)],
            percent_complete=(i * 7) % 100,
            task_team=team if i % 2 else None,
        )
        for i in range(start, start + count)
    )
    frameworks = list(FrameworkObjective.objects.all()[:2])
    Activity.lead_organizations.through.objects.bulk_create(
        Activity.lead_organizations.through(activity=a, organization=leads[n % len(leads)])
        for n, a in enumerate(created)
    )
    Activity.partner_organizations.through.objects.bulk_create(
        Activity.partner_organizations.through(activity=a, organization=partners[n % len(partners)])
        for n, a in enumerate(created)
    )
    Activity.framework_objectives.through.objects.bulk_create(
        Activity.framework_objectives.through(activity=a, frameworkobjective=fo)
        for a in created
        for fo in frameworks
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=a,
            year=year,
            quarter=1,
            percent_complete=a.percent_complete,
            status=a.status,
            narrative="Done so far",
            organization=leads[0],
        )
        for a in created
    )


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def grown(network, agency_a, agency_b):
    leads = [agency_a, agency_b] + [f.OrganizationFactory() for _ in range(3)]
    for org in leads[2:]:
        f.MembershipFactory(network=network, organization=org)
    partners = [f.OrganizationFactory() for _ in range(3)]
    team = TaskTeam.objects.create(network=network, name="Data", slug="data", focus="Data")
    workplan = make_workplan(network, start_year=this_year(), end_year=this_year() + 1)

    def grow(count):
        _grow(workplan, count, leads, partners, team)

    return workplan, grow


@pytest.mark.parametrize("params", [{}, {"status": "on_track", "overdue": "false"}])
def test_the_monitoring_page_keeps_its_budget(
    client, secretariat, grown, params, django_assert_max_num_queries
):
    """10 then 500 activities, with and without filters."""
    workplan, grow = grown
    client.force_login(secretariat)
    grow(10)
    url = workplan.get_absolute_url()
    small = _count(client, url, params)
    grow(490)
    assert Activity.objects.count() == 500
    # session, user, role grants, person records (the actor); the workplan
    # with its network; its history; objectives; activities (with the latest
    # update as a subquery), their leads, partners and framework objectives
    # (prefetched); the filtered ids (with filters on only); the filter's
    # objectives, lead agencies, task teams and framework objectives; the
    # network switcher's current network and its list.
    with django_assert_max_num_queries(small):
        large = _count(client, url, params)
    assert large == small
    assert small == (18 if params else 17)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_keep_their_budget(
    client, secretariat, grown, fmt, django_assert_max_num_queries
):
    workplan, grow = grown
    client.force_login(secretariat)
    grow(10)
    url = reverse("workplans:export", args=[workplan.pk, fmt])
    small = _count(client, url, {"lead": ""})
    grow(490)
    # session, user, role grants, person records; the workplan; activities,
    # leads, partners, framework objectives.
    with django_assert_max_num_queries(small):
        large = _count(client, url, {"lead": ""})
    assert large == small == 9


def test_the_workplan_list_keeps_its_budget(
    client, secretariat, grown, network, django_assert_max_num_queries
):
    """Three workplans of the network; 10 then 500 activities in one of them."""
    workplan, grow = grown
    make_workplan(network, title="Second")
    make_workplan(network, title="Third")
    client.force_login(secretariat)
    grow(10)
    url = reverse("workplans:list")
    small = _count(client, url, {"network": network.pk})
    grow(490)
    # session, user, role grants, person records (the actor); the current
    # network (for "New workplan"); the network chosen in the filter; the
    # count and the page of workplans (with network, objective and activity
    # counts); the page's activities' figures for the roll-up (one query for
    # all); the switcher's networks; the filter's networks.
    with django_assert_max_num_queries(small):
        large = _count(client, url, {"network": network.pk})
    assert large == small == 11
