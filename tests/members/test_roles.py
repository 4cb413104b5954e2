"""Roles come from grants and from the data, never from hand-kept flags."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from members.models import Governance, PersonLevel
from members.roles import build_actor
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_chair_follows_the_current_term(network, agency_a, agency_b, focal_a, focal_b):
    """Agency A's focal point chairs while A holds the term; when B's term
    starts, B's focal point chairs and A's no longer does."""
    today = timezone.localdate()
    f.ChairTermFactory(
        network=network,
        organization=agency_a,
        start=today - timedelta(days=10),
        end=today + timedelta(days=10),
    )
    f.ChairTermFactory(
        network=network,
        organization=agency_b,
        start=today + timedelta(days=11),
        end=today + timedelta(days=200),
    )
    assert build_actor(focal_a).is_chair(network.pk)
    assert not build_actor(focal_b).is_chair(network.pk)
    later = today + timedelta(days=20)
    assert not build_actor(focal_a, on=later).is_chair(network.pk)
    assert build_actor(focal_b, on=later).is_chair(network.pk)


def test_the_coordinator_chairs_a_network_without_rotation(network, agency_a, focal_a, focal_b):
    network.governance = Governance.COORDINATOR
    network.coordinator = agency_a
    network.save()
    assert build_actor(focal_a).is_chair(network.pk)
    assert not build_actor(focal_b).is_chair(network.pk)


def test_a_contact_scoped_to_another_network_does_not_chair_here(
    network, other_network, agency_a, current_term
):
    user = f.UserFactory()
    f.PersonFactory(organization=agency_a, user=user, network=other_network)
    assert not build_actor(user).is_chair(network.pk)


def test_a_former_contact_has_no_role(agency_a, current_term):
    user = f.UserFactory()
    f.PersonFactory(organization=agency_a, user=user, is_active=False)
    actor = build_actor(user)
    assert not actor.is_focal_point() and not actor.is_chair() and not actor.is_member_user


def test_levels_give_focal_point_and_principal(agency_a, focal_a, principal_a):
    assert build_actor(focal_a).is_focal_point(agency_a.pk)
    assert not build_actor(focal_a).is_principal()
    assert build_actor(principal_a).is_principal(agency_a.pk)
    assert not build_actor(principal_a).is_focal_point()


def test_secretariat_is_scoped_to_its_network(network, other_network, secretariat):
    actor = build_actor(secretariat)
    assert actor.manages(network.pk)
    assert not actor.manages(other_network.pk)
    everywhere = f.UserFactory()
    f.grant(everywhere, Role.SECRETARIAT, None)
    assert build_actor(everywhere).manages(other_network.pk)


def test_a_superuser_is_admin_everywhere(admin_user, network, other_network):
    actor = build_actor(admin_user)
    assert actor.is_admin and actor.manages(network.pk) and actor.manages(other_network.pk)


def test_an_outsider_has_no_role(outsider):
    actor = build_actor(outsider)
    assert actor.is_authenticated and actor.role_labels() == [] and not actor.is_member_user


def test_actor_costs_three_queries(django_assert_num_queries, focal_a, current_term):
    """Grants, person records, chaired networks (terms + coordinated)."""
    with django_assert_num_queries(4):
        build_actor(focal_a)


def test_alternate_counts_as_focal_point(agency_a):
    user = f.UserFactory()
    f.PersonFactory(organization=agency_a, user=user, level=PersonLevel.ALTERNATE)
    assert build_actor(user).is_focal_point(agency_a.pk)
