"""Every list and detail page costs the same number of queries with 10 rows
and with 500.

Each test builds 10 rows, counts the queries of a GET, grows the data to 500
rows (bulk_create, so the test stays fast) and counts again: the two counts
must be equal. The count at 500 rows is also pinned with
django_assert_max_num_queries, with a comment naming each query, so a new
query on a page shows up here even when it does not grow with the data.

Pages that paginate (core.views_helpers.paginate) show 50 rows a page: the
tests check the page is full, so the rows really are rendered.

Queries every signed-in page starts with: the session, the user. Pages that
ask who the user is add the actor (members.roles.build_actor): the grants, the
person records and, for someone who speaks for an agency, the chair terms
and the coordinated networks. The frame (base.html) adds the networks of the
switcher and the network chosen in it.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.middleware import SESSION_KEY
from members.models import (
    AdmissionCriterion,
    ApplicationDocument,
    ApplicationStatus,
    ChairTerm,
    CriterionAssessment,
    Governance,
    Membership,
    MembershipApplication,
    Network,
    NetworkLevel,
    Organization,
    Person,
    PersonLevel,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 500
PAGE_SIZE = 50  # core.views_helpers.paginate

_serial = count()


# --- builders: each adds `n` rows with bulk_create ------------------------------------


def _organizations(n: int) -> list[Organization]:
    serials = [next(_serial) for _ in range(n)]
    return Organization.objects.bulk_create(
        Organization(name=f"Bulk agency {s}", acronym=f"BK{s}", slug=f"bk{s}") for s in serials
    )


def _networks(n: int, *, parent: Network | None = None, coordinator=None) -> list[Network]:
    serials = [next(_serial) for _ in range(n)]
    return Network.objects.bulk_create(
        Network(
            name=f"Bulk network {s}",
            short_name=f"BN{s}",
            slug=f"bn{s}",
            level=NetworkLevel.REGIONAL,
            governance=Governance.ROTATING_CHAIR,
            chair_term_months=6,
            parent=parent,
            coordinator=coordinator,
        )
        for s in serials
    )


def _members(network: Network, n: int) -> list[Membership]:
    """n new agencies join `network`; every other one sits on its executive committee."""
    return Membership.objects.bulk_create(
        Membership(
            network=network,
            organization=org,
            joined=date(2020, 1, 1),
            executive_committee=i % 2 == 0,
        )
        for i, org in enumerate(_organizations(n))
    )


def _one_member_each(networks: list[Network]) -> None:
    Membership.objects.bulk_create(
        Membership(network=nw, organization=org, joined=date(2020, 1, 1))
        for nw, org in zip(networks, _organizations(len(networks)), strict=True)
    )


def _past_terms(network: Network, n: int, organizations: list[Organization]) -> None:
    """n past chair terms of ten days each, one after the other, from 1990,
    so they never overlap each other nor the current term."""
    done = ChairTerm.objects.filter(network=network, end__lt=date(2019, 1, 1)).count()
    first = date(1990, 1, 1) + timedelta(days=10 * done)
    ChairTerm.objects.bulk_create(
        ChairTerm(
            network=network,
            organization=organizations[i % len(organizations)],
            start=first + timedelta(days=10 * i),
            end=first + timedelta(days=10 * i + 9),
            theme=f"Theme {i}",
            achievements="Done.",
        )
        for i in range(n)
    )


def _applications(network: Network, n: int, status=ApplicationStatus.SUBMITTED) -> None:
    serials = [next(_serial) for _ in range(n)]
    MembershipApplication.objects.bulk_create(
        MembershipApplication(
            network=network,
            reference=f"BULK-{s:06d}",
            status=status,
            org_name=f"Applicant {s}",
            org_acronym=f"AP{s}",
            org_kind="un_entity",
            mandate="A mandate.",
            relevance="Relevant.",
            areas_of_work="Data.",
            focal_point_name="Ana Focal",
            focal_point_email=f"fp{s}@applicant.example.org",
            contact_email=f"c{s}@applicant.example.org",
            submitted_at=timezone.now(),
        )
        for s in serials
    )


def _get(client, url: str):
    """GET url and return the response and the queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, queries


def _sqls(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries]


# --- the members directory ---------------------------------------------------------------


def test_directory_filtered_to_one_network_keeps_its_budget(
    client, network, other_network, django_assert_max_num_queries
):
    """The directory of one network costs the same with 10 and 500 members."""
    url = f"{reverse('members:directory')}?network={network.pk}"
    _members(network, SMALL)
    _members(other_network, SMALL)
    _, small = _get(client, url)

    _members(network, LARGE - SMALL)
    _members(other_network, LARGE - SMALL)
    # Anonymous, so no session. 1 the network of ?network= (the filter
    # validates it), 2 count, 3 the switcher's networks, 4 the current
    # network, 5 the networks of the filter's select, 6 the page of 50
    with django_assert_max_num_queries(6):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert response.context["page"].paginator.count == LARGE
    assert len(response.context["page"].object_list) == PAGE_SIZE


def test_directory_of_every_network_keeps_its_budget(
    client, network, other_network, django_assert_max_num_queries
):
    """The directory of all networks (?network= left empty) costs the same
    with 20 and 1000 memberships."""
    url = f"{reverse('members:directory')}?network="
    _members(network, SMALL)
    _members(other_network, SMALL)
    _, small = _get(client, url)

    _members(network, LARGE - SMALL)
    _members(other_network, LARGE - SMALL)
    # 1 count, 2 the switcher's networks, 3 the current network, 4 the
    # networks of the filter's select, 5 the page of 50
    with django_assert_max_num_queries(5):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert response.context["page"].paginator.count == 2 * LARGE
    assert len(response.context["page"].object_list) == PAGE_SIZE


# --- networks -----------------------------------------------------------------------------


def test_network_list_keeps_its_budget(client, network, agency_a, django_assert_max_num_queries):
    """The list of networks, each with its parent, coordinator and member
    count, costs the same with 10 and 500 networks."""
    url = reverse("members:network_list")
    _one_member_each(_networks(SMALL, parent=network, coordinator=agency_a))
    _, small = _get(client, url)

    _one_member_each(_networks(LARGE - SMALL, parent=network, coordinator=agency_a))
    # 1 the switcher's networks, 2 the current network, 3 the networks with
    # their parent, coordinator and member count, in one query
    with django_assert_max_num_queries(3):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["networks"]) == LARGE + 1


# What the apps above add to the page (the members.network place): the next
# annual meeting, the public decisions, the latest documents and engagements:
# 4 for the public and the secretariat, 5 for a focal point (also the
# executive committees its agencies sit on, for the documents they may read).
BUDGET_NETWORK_PAGE = {"anonymous": 12, "secretariat": 17, "focal_a": 21}


@pytest.mark.parametrize("viewer", ["anonymous", "secretariat", "focal_a"])
def test_network_page_keeps_its_budget(
    client, request, network, agency_a, current_term, viewer, django_assert_max_num_queries
):
    """The network page (members, executive committee, chair history with its
    narratives) costs the same with 10 and 500 members and chair terms, for
    the public, the secretariat (edit links, history) and a focal point of
    the chairing agency (narrative links)."""
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    url = reverse("members:network_detail", args=[network.slug])
    orgs = [m.organization for m in _members(network, SMALL)]
    _past_terms(network, SMALL, orgs)
    _, small = _get(client, url)

    orgs += [m.organization for m in _members(network, LARGE - SMALL)]
    _past_terms(network, LARGE - SMALL, orgs)
    # Anonymous, 8: 1 the network with its parent, coordinator and
    # secretariat, 2 current members, 3 chair terms, 4 child networks,
    # 5 admission criteria, 6 rotation, 7 the switcher's networks, 8 the
    # current network. The secretariat, 13: also the session, the user, the
    # grants, the person records, the network's history. The focal point of
    # the chairing agency, 16: also the actor's current chair terms and
    # coordinated networks, and the memberships of its agencies (the menu
    # shows "Task teams" only to someone in a network).
    with django_assert_max_num_queries(BUDGET_NETWORK_PAGE[viewer]):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["members"]) == LARGE + 1  # and agency A
    assert len(response.context["executive_committee"]) == LARGE // 2
    assert len(response.context["terms"]) == LARGE + 1  # and the current term


# --- organizations ------------------------------------------------------------------------


def test_organization_page_keeps_its_budget(
    client, secretariat, network, agency_a, django_assert_max_num_queries
):
    """Agency A's page, seen by the secretariat (so with its people and its
    history), costs the same with 10 and 500 memberships, people and chair
    terms."""
    client.force_login(secretariat)
    url = reverse("members:organization_detail", args=[agency_a.slug])

    def grow(n: int) -> None:
        networks = _networks(n)
        Membership.objects.bulk_create(
            Membership(network=nw, organization=agency_a, joined=date(2021, 1, 1))
            for nw in networks
        )
        ChairTerm.objects.bulk_create(
            ChairTerm(
                network=nw, organization=agency_a, start=date(2021, 1, 1), end=date(2021, 6, 30)
            )
            for nw in networks
        )
        serials = [next(_serial) for _ in range(n)]
        Person.objects.bulk_create(
            Person(
                organization=agency_a,
                network=networks[i],
                name=f"Person {s}",
                level=PersonLevel.ALTERNATE,
                email=f"p{s}@agency-a.example.org",
                user=f.UserFactory() if i == 0 else None,
            )
            for i, s in enumerate(serials)
        )

    grow(SMALL)
    _, small = _get(client, url)

    grow(LARGE - SMALL)
    # 1 the organization, 2 session, 3 user, 4 grants, 5 person records,
    # 6 memberships with their networks, 7 chair terms with their networks,
    # 8 people with their networks and accounts, 9 history, 10 the
    # switcher's networks, 11 the current network, 12 whether the agency is a
    # member of a network this secretariat manages (asked once, cached)
    with django_assert_max_num_queries(12):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["memberships"]) == LARGE + 1  # and `network`
    assert len(response.context["people"]) == LARGE
    assert len(response.context["terms"]) == LARGE
    assert response.context["history"]


# --- applications -------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["admin_user", "secretariat"])
def test_application_list_keeps_its_budget(
    client, request, network, other_network, viewer, django_assert_max_num_queries
):
    """The applications list of all my networks costs the same with 10 and
    500 applications, for the admin (every network) and the secretariat (its
    network)."""
    client.force_login(request.getfixturevalue(viewer))
    url = reverse("members:application_list") + "?network="
    _applications(network, SMALL)
    _applications(other_network, SMALL)
    _, small = _get(client, url)

    _applications(network, LARGE - SMALL)
    _applications(other_network, LARGE - SMALL)
    # 1 session, 2 user, 3 grants, 4 person records, 5 count, 6 the
    # switcher's networks, 7 the current network, 8 the networks of the
    # filter's select, 9 the page of 50 with their networks
    with django_assert_max_num_queries(9):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    expected = 2 * LARGE if viewer == "admin_user" else LARGE
    assert response.context["page"].paginator.count == expected
    assert len(response.context["page"].object_list) == PAGE_SIZE


def test_application_list_of_the_header_network_keeps_its_budget(
    client, admin_user, network, other_network, django_assert_max_num_queries
):
    """Filtered by the header's network (members.scope), the list costs one
    query more than all networks (the filter checks the network), whatever
    the number of applications."""
    client.force_login(admin_user)
    session = client.session
    session[SESSION_KEY] = network.pk
    session.save()
    url = reverse("members:application_list")
    _applications(network, SMALL)
    _applications(other_network, SMALL)
    _, small = _get(client, url)

    _applications(network, LARGE - SMALL)
    _applications(other_network, LARGE - SMALL)
    # 1 session, 2 user, 3 grants, 4 person records, 5 the header's network,
    # 6 the network of the filter, 7 count, 8 the switcher's networks, 9 the
    # networks of the filter's select, 10 the page of 50 with their networks
    with django_assert_max_num_queries(10):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert response.context["page"].paginator.count == LARGE
    assert response.context["scope"].network == network


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW])
def test_application_detail_keeps_its_budget(
    client, secretariat, network, status, django_assert_max_num_queries
):
    """An application's page costs the same with 10 and 500 admission
    criteria, assessments and documents; submitted (criteria listed) and
    under review (the assessment form, one field pair per criterion)."""
    client.force_login(secretariat)
    application = f.ApplicationFactory(network=network, status=status, submitted_at=timezone.now())
    url = reverse("members:application_detail", args=[application.pk])

    def grow(n: int) -> None:
        serials = [next(_serial) for _ in range(n)]
        criteria = AdmissionCriterion.objects.bulk_create(
            AdmissionCriterion(network=network, position=s, text=f"Criterion {s}") for s in serials
        )
        CriterionAssessment.objects.bulk_create(
            CriterionAssessment(application=application, criterion=c, verdict="met", note="ok")
            for c in criteria
        )
        ApplicationDocument.objects.bulk_create(
            ApplicationDocument(
                application=application, title=f"doc{s}.pdf", file=f"applications/x/doc{s}.pdf"
            )
            for s in serials
        )

    grow(SMALL)
    _, small = _get(client, url)

    grow(LARGE - SMALL)
    # 1 session, 2 user, 3 grants, 4 person records, 5 the application with
    # its network, reviewer, organization and membership, 6 criteria (the
    # assessment form), 7 assessments (the form), 8 assessments again (the
    # view: one query to spare), 9 documents, 10 history, 11 the switcher's
    # networks, 12 the current network
    with django_assert_max_num_queries(12):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["criteria"]) == LARGE
    assert len(response.context["documents"]) == LARGE


# --- the dashboard ------------------------------------------------------------------------


def test_home_for_anonymous_keeps_its_budget(
    client, network, agency_a, current_term, django_assert_max_num_queries
):
    """The public dashboard (troika and members of the current network)
    costs the same with 10 and 500 members and chair terms."""
    url = reverse("home")
    orgs = [m.organization for m in _members(network, SMALL)]
    _past_terms(network, SMALL, orgs)
    _, small = _get(client, url)

    orgs += [m.organization for m in _members(network, LARGE - SMALL)]
    _past_terms(network, LARGE - SMALL, orgs)
    # No session. 1 the current network, 2 members, 3 chair terms, 4 child
    # networks, 5 criteria, 6 rotation, 7 the switcher's networks
    with django_assert_max_num_queries(7):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["network_data"]["members"]) == LARGE + 1


def test_home_for_admin_with_waiting_applications_keeps_its_budget(
    client, admin_user, network, agency_a, django_assert_max_num_queries
):
    """The admin's dashboard lists the first 10 applications waiting and
    counts them all: the same cost with 10 and 500 waiting."""
    client.force_login(admin_user)
    url = reverse("home")
    _members(network, SMALL)
    _applications(network, SMALL)
    _, small = _get(client, url)

    _members(network, LARGE - SMALL)
    _applications(network, LARGE - SMALL)
    # 1 session, 2 the current network, 3-7 the network page (members, chair
    # terms, child networks, criteria, rotation), 8 user, 9 grants, 10
    # person records, 11 the first 10 waiting, 12 their count, 13 own
    # applications, 14 the switcher's networks, 15 next meetings, 16
    # invitations to answer, 17 e-mails that could not be sent, 18-19 the
    # work waiting in the other networks (applications, invitations: one
    # query each, grouped by network)
    # The decisions' panel and work counter (decisions/parts.py) add a fixed few,
    # the reports' panel of failed builds (reports/parts.py) one.
    with django_assert_max_num_queries(22):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert response.context["waiting"]["applications_count"] == LARGE
    assert len(response.context["waiting"]["applications"]) == 10


def test_home_for_chair_keeps_its_budget(
    client, chair, network, agency_a, current_term, django_assert_max_num_queries
):
    """The chair's dashboard lists the current terms of every network its
    agency chairs: the same cost when agency A chairs 10 networks and 500,
    with as many members in the current network."""
    client.force_login(chair)
    url = reverse("home")
    today = timezone.localdate()

    def grow(n: int) -> None:
        _members(network, n)
        ChairTerm.objects.bulk_create(
            ChairTerm(
                network=nw, organization=agency_a, start=today, end=today + timedelta(days=90)
            )
            for nw in _networks(n)
        )

    grow(SMALL - 1)  # with `network`, agency A chairs 10
    _, small = _get(client, url)

    grow(LARGE - SMALL)
    # 1 session, 2 the current network, 3-7 the network page, 8 user, 9
    # grants, 10 person records, 11 the actor's current chair terms, 12 the
    # actor's coordinated networks, 13 the current terms of the chaired
    # networks, 14 own person records, 15 own applications, 16 the
    # switcher's networks, 17 the networks the actor's agencies belong to,
    # 18 next meetings, 19 invitations to answer, 20-21 the activities due
    # this quarter without an update (and their count), then the work
    # waiting in the other networks, grouped by network (invitations,
    # activities) and the coordinated networks, less what is cached, and
    # the agency's follow-up actions still to do (one query)
    # The decisions' panel and work counter (decisions/parts.py) add a fixed
    # few, the documents' drafts panel two.
    # The reports' panel of the chair's summary (reports/parts.py): the
    # current term and its latest build, two.
    with django_assert_max_num_queries(31):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["waiting"]["chair_terms"]) == LARGE


def test_home_for_focal_point_keeps_its_budget(
    client, focal_b, network, agency_a, current_term, django_assert_max_num_queries
):
    """A focal point's dashboard lists the agencies the person speaks for:
    the same cost with 10 and 500 person records linked to the account."""
    client.force_login(focal_b)
    url = reverse("home")

    def grow(n: int) -> None:
        members = _members(network, n)
        Person.objects.bulk_create(
            Person(
                organization=m.organization,
                name="Focal B",
                level=PersonLevel.FOCAL_POINT,
                email=focal_b.email,
                user=focal_b,
            )
            for m in members
        )

    grow(SMALL - 1)  # with agency B, 10 records
    _, small = _get(client, url)

    grow(LARGE - SMALL)
    # As for the chair, less the chaired networks' terms (not a chair): 22
    # The decisions' panel and work counter (decisions/parts.py) add a fixed
    # few, the documents' drafts panel two.
    with django_assert_max_num_queries(26):
        response, large = _get(client, url)

    assert len(large) == len(small), _sqls(large)
    assert len(response.context["waiting"]["my_people"]) == LARGE
