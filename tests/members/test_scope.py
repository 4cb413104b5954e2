"""The network a page shows (members.scope): where a user starts, and how a
list says which network it shows and where the user's rows are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from members.middleware import CHOSEN_KEY, SESSION_KEY
from members.models import ApplicationStatus, NetworkLevel, PersonLevel
from members.roles import build_actor
from members.scope import start_network_id
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    first = f.NetworkFactory(level=NetworkLevel.GLOBAL, short_name="First")
    second = f.NetworkFactory(level=NetworkLevel.REGIONAL, short_name="Second")
    return first, second


def _focal_in(*networks):
    agency = f.OrganizationFactory()
    for network in networks:
        f.MembershipFactory(network=network, organization=agency)
    user = f.UserFactory()
    f.PersonFactory(organization=agency, level=PersonLevel.FOCAL_POINT, user=user, email=user.email)
    return user


def test_a_user_with_one_network_starts_on_it(two):
    first, second = two
    user = _focal_in(second)
    assert start_network_id(build_actor(user)) == second.pk


def test_nobody_in_particular_starts_on_the_first_network(two):
    first, _ = two
    assert start_network_id(build_actor(f.UserFactory())) == first.pk


def test_several_networks_start_on_the_first_with_work_waiting(two, monkeypatch):
    from core.registry import registry

    first, second = two
    user = _focal_in(first, second)
    assert start_network_id(build_actor(user)) == first.pk  # nothing waits: the first
    monkeypatch.setattr(registry, "work_by_network", lambda actor: {second.pk: 3})
    assert start_network_id(build_actor(user)) == second.pk


def test_sign_in_sets_the_start_network_unless_one_was_chosen(client, two):
    first, second = two
    user = _focal_in(second)
    client.force_login(user)
    assert client.session[SESSION_KEY] == second.pk

    client.logout()
    client.post(reverse("members:switch_network"), {"network": first.pk})
    assert client.session[CHOSEN_KEY] is True
    client.force_login(user)
    assert client.session[SESSION_KEY] == first.pk


def test_switching_the_header_drops_the_list_network_filter(client, two):
    first, second = two
    response = client.post(
        reverse("members:switch_network"),
        {"network": second.pk, "next": f"/workplans/?network={first.pk}&status=draft&page=3"},
    )
    assert response["Location"] == "/workplans/?status=draft"


def test_an_empty_list_says_where_the_users_rows_are(client, two):
    from workplans.models import Workplan

    first, second = two
    secretariat = f.UserFactory()
    f.grant(secretariat, Role.SECRETARIAT, None)
    Workplan.objects.create(network=second, title="Regional plan", start_year=2025, end_year=2026)
    client.force_login(secretariat)
    session = client.session
    session[SESSION_KEY] = first.pk
    session.save()

    page = client.get(reverse("workplans:list")).content.decode()
    assert "data-empty-list" in page and "data-elsewhere" in page
    assert f"?network={second.pk}" in page and "1 workplan" in page
    assert "Showing <strong>" in page and "All my networks" in page

    everywhere = client.get(reverse("workplans:list") + "?network=").content.decode()
    assert "Regional plan" in everywhere and "data-elsewhere" not in everywhere


def test_the_dashboard_follows_the_header_and_says_where_else_work_waits(client, two, monkeypatch):
    from core.registry import registry

    first, second = two
    user = _focal_in(first, second)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = first.pk
    session.save()
    monkeypatch.setattr(registry, "work_by_network", lambda actor: {first.pk: 1, second.pk: 2})
    page = client.get(reverse("home")).content.decode()
    assert "data-elsewhere" in page and "Second: 2 items" in page
    assert "First: 1" not in page  # the network shown is not "elsewhere"
    assert "data-elsewhere" not in client.get(reverse("home") + "?all=1").content.decode()


def test_the_coordinator_is_told_on_the_dashboard(client, two):
    first, _ = two
    agency = f.OrganizationFactory(acronym="IOM")
    first.governance = "coordinator"
    first.coordinator = agency
    first.save()
    user = f.UserFactory()
    f.PersonFactory(organization=agency, level=PersonLevel.FOCAL_POINT, user=user, email=user.email)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert f"You coordinate {first.name}, for IOM." in page


def test_odd_network_values_on_the_year_view_are_ignored(client, two):
    client.force_login(f.UserFactory())
    for value in ["abc", "%C2%B2", "99999", "-1", "99999999999999999999"]:
        assert client.get(f"/meetings/year/?network={value}").status_code == 200, value


def test_an_invalid_other_filter_does_not_hide_the_network_shown(client, two):
    first, _ = two
    secretariat = f.UserFactory()
    f.grant(secretariat, Role.SECRETARIAT, None)
    client.force_login(secretariat)
    response = client.get(reverse("meetings:list") + f"?network={first.pk}&year=99999")
    assert response.context["scope"].network == first


def test_switching_the_header_on_a_task_team_list_opens_the_new_networks_list(client, two):
    first, second = two
    response = client.post(
        reverse("members:switch_network"),
        {"network": second.pk, "next": reverse("taskteams:list", args=[first.slug])},
    )
    assert response["Location"] == reverse("taskteams:index")


def _on(client, network) -> None:
    session = client.session
    session[SESSION_KEY] = network.pk
    session.save()


def test_my_activities_show_the_header_network_and_say_where_the_others_are(client, two):
    """A focal point of an agency in two networks sees the activities of the
    header's network; where it has none, the page says which network has
    them, and "All my networks" lists them all."""
    from tests.workplans import make_activity, make_objective, make_workplan
    from workplans.models import WorkplanStatus

    first, second = two
    user = _focal_in(first, second)
    from members.models import Person

    agency = Person.objects.get(user=user).organization
    plan = make_workplan(second, status=WorkplanStatus.APPROVED, title="Regional plan")
    make_activity(make_objective(plan), "1.1", leads=[agency])
    client.force_login(user)
    _on(client, first)

    page = client.get(reverse("workplans:mine")).content.decode()
    assert "data-network-scope" in page and "data-empty-list" in page
    assert "data-elsewhere" in page and "1 activity" in page and f"?network={second.pk}" in page
    assert "Regional plan" not in page

    _on(client, second)
    page = client.get(reverse("workplans:mine")).content.decode()
    assert "Regional plan" in page and "data-elsewhere" not in page
    assert "All my networks" in page

    everywhere = client.get(reverse("workplans:mine") + "?network=").content.decode()
    assert "Regional plan" in everywhere and "data-elsewhere" not in everywhere


def test_the_applications_list_shows_the_header_network(client, two):
    """The reviewer's list of applications follows the header; empty there, it
    says where the applications are."""
    first, second = two
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    f.ApplicationFactory(
        network=second, org_name="Applicant Agency", status=ApplicationStatus.SUBMITTED
    )
    client.force_login(admin)
    _on(client, first)

    page = client.get(reverse("members:application_list")).content.decode()
    assert "data-network-scope" in page and "data-empty-list" in page
    assert "data-elsewhere" in page and "1 application" in page
    assert "Applicant Agency" not in page

    everywhere = client.get(reverse("members:application_list") + "?network=").content.decode()
    assert "Applicant Agency" in everywhere and "data-elsewhere" not in everywhere


def test_the_public_directory_says_where_members_are_listed_not_yours(client, two):
    """The public has no rows of its own: the directory's hint says where
    the members are listed."""
    first, second = two
    agency = f.OrganizationFactory(acronym="ZZZ", name="Zeta Agency")
    f.MembershipFactory(network=second, organization=agency)
    _on(client, first)

    page = client.get(reverse("members:directory") + "?q=Zeta").content.decode()
    assert "data-elsewhere" in page
    assert "Nothing here in First. Members are listed in:" in page
    assert "Yours are in" not in page
    assert "All networks" in page and "All my networks" not in page


@pytest.mark.parametrize("page", ["members:network_detail", "documents:list", "decisions:network"])
def test_a_networks_own_pages_show_it_in_the_header_and_keep_the_choice(client, two, page):
    first, second = two
    client.post(reverse("members:switch_network"), {"network": first.pk, "next": "/"})
    html = client.get(reverse(page, args=[second.slug])).content.decode()
    assert f'<option value="{second.pk}" selected>' in html
    assert f'<option value="{first.pk}" selected>' not in html
    assert client.session[SESSION_KEY] == first.pk
    home = client.get(reverse("members:directory")).content.decode()
    assert f'<option value="{first.pk}" selected>' in home
