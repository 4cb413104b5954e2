"""The members app's data migrations, run on rows as they stood before."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests import factories as f

pytestmark = pytest.mark.django_db

time_zones = importlib.import_module("members.migrations.0008_known_network_time_zones")


def test_the_known_networks_get_their_time_zone_where_it_was_the_default():
    """GMG and UNNM meet in Geneva, Asia-Pacific in Bangkok; a time zone
    chosen since, and any other network, are kept."""
    gmg = f.NetworkFactory(slug="gmg", time_zone="UTC")
    unnm = f.NetworkFactory(slug="unnm", time_zone="")
    asia = f.NetworkFactory(slug="asia-pacific", time_zone="UTC")
    chosen = f.NetworkFactory(slug="gmg-chosen", time_zone="America/New_York")
    other = f.NetworkFactory(slug="other", time_zone="UTC")

    time_zones.set_known_time_zones(apps, None)
    time_zones.set_known_time_zones(apps, None)  # twice: the same

    for network in (gmg, unnm, asia, chosen, other):
        network.refresh_from_db()
    assert gmg.time_zone == unnm.time_zone == "Europe/Zurich"
    assert asia.time_zone == "Asia/Bangkok"
    assert chosen.time_zone == "America/New_York"
    assert other.time_zone == "UTC"


def test_a_known_network_whose_time_zone_was_chosen_keeps_it():
    unnm = f.NetworkFactory(slug="unnm", time_zone="Africa/Nairobi")
    time_zones.set_known_time_zones(apps, None)
    unnm.refresh_from_db()
    assert unnm.time_zone == "Africa/Nairobi"
