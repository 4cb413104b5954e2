"""The executive-committee star: wherever it marks an agency, the page has
a visible key to it, and the star says what it means to a screen reader."""

import pytest
from django.urls import reverse

from members.models import Membership

pytestmark = pytest.mark.django_db

LEGEND = '<p class="committee-legend'
STAR_WORDS = '<span class="visually-hidden">member of the executive committee</span>'


@pytest.fixture
def committee(network, agency_a, agency_b):
    Membership.objects.filter(network=network, organization=agency_a).update(
        executive_committee=True
    )
    return agency_a


@pytest.mark.parametrize("where", ["home", "network"])
def test_the_star_has_a_legend_and_words(client, network, committee, agency_b, where):
    """Issue 9: the chips on the dashboard and the network page's members
    mark AAA (on the committee) with the star, its words and a key; BBB
    (not on it) has neither."""
    url = reverse("home") if where == "home" else network.get_absolute_url()
    page = client.get(url).content.decode()

    assert page.count(LEGEND) == 1
    assert "Member of the executive committee</p>" in page
    assert page.count(STAR_WORDS) == 1
    assert 'aria-hidden="true" title="Member of the executive committee"' in page


@pytest.mark.parametrize("where", ["home", "network"])
def test_no_legend_without_a_committee(client, network, agency_a, agency_b, where):
    url = reverse("home") if where == "home" else network.get_absolute_url()
    page = client.get(url).content.decode()

    assert LEGEND not in page
    assert STAR_WORDS not in page


def test_the_directory_star_stands_beside_its_word(client, secretariat, network, committee):
    """In the directory's column the word "yes" says it; the star is only
    for the eye."""
    client.force_login(secretariat)
    page = client.get(reverse("members:directory"), {"network": network.pk}).content.decode()
    assert '<i class="bi bi-star-fill text-primary" aria-hidden="true"></i> yes' in page
