"""The meeting list and the year view cost the same number of queries with
10 meetings or 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting, Participant
from tests import factories as f
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def _grow(network, count, agency):
    base = make_meeting(network, days=5)
    Meeting.objects.bulk_create(
        Meeting(
            network=network,
            level=base.level,
            title=f"Meeting {i}",
            time_zone=base.time_zone,
            city="Geneva",
            start=base.start + timedelta(days=i),
            end=base.end + timedelta(days=i),
        )
        for i in range(count - 1)
    )
    Participant.objects.bulk_create(
        Participant(meeting=m, organization=agency) for m in Meeting.objects.filter(network=network)
    )


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["meetings:list", "meetings:year"])
def test_the_page_keeps_its_budget(
    client, secretariat, network, agency_a, url_name, django_assert_max_num_queries
):
    """10 then 500 meetings of the network, each with a participant."""
    client.force_login(secretariat)
    _grow(network, 10, agency_a)
    url = reverse(url_name)
    year = Meeting.objects.first().local_start.year
    params = {"network": network.pk} if url_name == "meetings:list" else {}
    small = _count(
        client, url if url_name == "meetings:list" else reverse(url_name, args=[year]), **params
    )
    _grow(network, 490, f.OrganizationFactory())
    # list: session, user, grants, person records, the current network, the
    # switcher's networks, the count and the page (with their joins and
    # counts), the filter's networks; year: the meetings.
    with django_assert_max_num_queries(small):
        large = _count(
            client, url if url_name == "meetings:list" else reverse(url_name, args=[year]), **params
        )
    assert large == small
    assert small == {"meetings:list": 10, "meetings:year": 7}[url_name]


def test_the_list_shows_the_coordinator_as_chair_within_its_budget(
    client, secretariat, network, agency_a, django_assert_max_num_queries
):
    """Issue 9: in a network led by a coordinator, meetings have no chair
    term: the Chair column names the coordinator, joined with the page (the
    same queries for 10 meetings and 500)."""
    network.governance = "coordinator"
    network.coordinator = agency_a
    network.save(update_fields=["governance", "coordinator"])
    client.force_login(secretariat)
    url = reverse("meetings:list")
    _grow(network, 10, agency_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"network": network.pk}).content.decode()
    small = len(queries)
    assert page.count('AAA <span class="text-muted">(coordinator)</span>') == 10
    assert "—</td>" not in page
    _grow(network, 490, f.OrganizationFactory())
    with django_assert_max_num_queries(small):
        page = client.get(url, {"network": network.pk}).content.decode()
    assert small == 10
