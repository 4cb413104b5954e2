"""Chair terms: overlap refused in the service, in the form and in the
database; the troika derived from the dates; rotation planning."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from members import services
from members.models import ChairTerm, Governance
from members.selectors import troika_from_terms
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_refuses_an_overlapping_term_in_the_service(network, agency_a, agency_b):
    """A term that overlaps another term of the same network is refused with
    a message naming the other term, and nothing is saved."""
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2007, 1, 1), end=date(2007, 6, 30)
    )
    term = ChairTerm(
        network=network, organization=agency_b, start=date(2007, 6, 1), end=date(2007, 12, 31)
    )
    with pytest.raises(DomainError) as err:
        services.chair_term_save(term=term)
    assert "AAA" in err.value.message
    assert ChairTerm.objects.count() == 1


def test_it_allows_adjacent_terms_and_terms_in_other_networks(
    network, other_network, agency_a, agency_b
):
    """Back-to-back terms and the same dates in another network are fine."""
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2007, 1, 1), end=date(2007, 6, 30)
    )
    services.chair_term_save(
        term=ChairTerm(
            network=network, organization=agency_b, start=date(2007, 7, 1), end=date(2007, 12, 31)
        )
    )
    services.chair_term_save(
        term=ChairTerm(
            network=other_network,
            organization=agency_b,
            start=date(2007, 1, 1),
            end=date(2007, 6, 30),
        )
    )
    assert ChairTerm.objects.count() == 3


def test_the_database_refuses_an_overlap_that_skips_the_service(network, agency_a, agency_b):
    """The constraint holds even when code bypasses the service (a race)."""
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2007, 1, 1), end=date(2007, 6, 30)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairTerm.objects.create(
            network=network, organization=agency_b, start=date(2007, 3, 1), end=date(2007, 9, 30)
        )
    assert ChairTerm.objects.count() == 1


def test_the_database_refuses_an_update_into_overlap(network, agency_a, agency_b):
    """Moving an existing term onto another is refused too."""
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2007, 1, 1), end=date(2007, 6, 30)
    )
    second = f.ChairTermFactory(
        network=network, organization=agency_b, start=date(2007, 7, 1), end=date(2007, 12, 31)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairTerm.objects.filter(pk=second.pk).update(start=date(2007, 6, 15))
    second.refresh_from_db()
    assert second.start == date(2007, 7, 1)


def test_the_database_refuses_a_term_ending_before_it_starts(network, agency_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairTerm.objects.create(
            network=network, organization=agency_a, start=date(2007, 6, 1), end=date(2007, 1, 1)
        )


def test_the_form_shows_the_overlap_and_keeps_the_input(
    client, secretariat, network, agency_a, agency_b
):
    """The secretariat sees the clash on the form, with its typed theme kept."""
    f.ChairTermFactory(
        network=network, organization=agency_a, start=date(2007, 1, 1), end=date(2007, 6, 30)
    )
    client.force_login(secretariat)
    response = client.post(
        reverse("members:chair_term_create", args=[network.slug]),
        {
            "organization": agency_b.pk,
            "start": "2007-05-01",
            "end": "2007-10-31",
            "theme": "Data for development",
        },
    )
    assert response.status_code == 200
    assert "overlaps the term of AAA" in response.content.decode()
    assert 'value="Data for development"' in response.content.decode()
    assert ChairTerm.objects.count() == 1


def test_the_form_refuses_an_end_before_the_start(client, secretariat, network, agency_a):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:chair_term_create", args=[network.slug]),
        {"organization": agency_a.pk, "start": "2007-05-01", "end": "2007-04-01"},
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert ChairTerm.objects.count() == 0


def test_troika_is_previous_current_and_next(network, agency_a, agency_b):
    """With three consecutive terms, today's is current, its neighbours are
    previous and next; between terms there is no current chair."""
    today = timezone.localdate()
    prev = f.ChairTermFactory(
        network=network,
        organization=agency_a,
        start=today - timedelta(days=400),
        end=today - timedelta(days=200),
    )
    cur = f.ChairTermFactory(
        network=network,
        organization=agency_b,
        start=today - timedelta(days=199),
        end=today + timedelta(days=10),
    )
    nxt = f.ChairTermFactory(
        network=network,
        organization=agency_a,
        start=today + timedelta(days=11),
        end=today + timedelta(days=190),
    )
    troika = troika_from_terms([prev, cur, nxt])
    assert (troika.previous, troika.current, troika.next) == (prev, cur, nxt)
    gap = troika_from_terms([prev, nxt])
    assert (gap.previous, gap.current, gap.next) == (prev, None, nxt)


def test_planning_follows_the_rotation_and_the_term_length(network, agency_a, agency_b):
    """Planning two terms after an IOM-like term takes the next agencies in
    the rotation order, each six months long, back to back."""
    agency_c = f.OrganizationFactory(acronym="CCC", slug="ccc")
    f.MembershipFactory(network=network, organization=agency_c)
    services.rotation_set(network=network, organizations=[agency_a, agency_b, agency_c])
    f.ChairTermFactory(
        network=network, organization=agency_b, start=date(2007, 1, 1), end=date(2007, 6, 30)
    )
    planned = services.chair_terms_plan(network=network, count=3)
    assert [(t.organization.acronym, t.start, t.end) for t in planned] == [
        ("CCC", date(2007, 7, 1), date(2007, 12, 31)),
        ("AAA", date(2008, 1, 1), date(2008, 6, 30)),
        ("BBB", date(2008, 7, 1), date(2008, 12, 31)),
    ]


def test_planning_needs_a_rotation_and_a_rotating_chair(network, other_network):
    with pytest.raises(DomainError, match="rotation order"):
        services.chair_terms_plan(network=network, count=1)
    other_network.governance = Governance.COORDINATOR
    other_network.save()
    with pytest.raises(DomainError, match="coordinator"):
        services.chair_terms_plan(network=other_network, count=1)


def test_the_plan_page_saves_the_rotation_and_plans(
    client, secretariat, network, agency_a, agency_b
):
    client.force_login(secretariat)
    url = reverse("members:chair_plan", args=[network.slug])
    response = client.post(url, {"save_rotation": "1", "order": "BBB\naaa\n"})
    assert response.status_code == 302
    assert [r.organization.acronym for r in network.rotation.all()] == ["BBB", "AAA"]
    response = client.post(url, {"plan": "1", "count": "2"})
    assert response.status_code == 302
    assert [t.organization.acronym for t in network.chair_terms.order_by("start")] == ["BBB", "AAA"]


def test_the_plan_page_refuses_unknown_agencies_and_bad_counts(
    client, secretariat, network, agency_a
):
    """An acronym that is not a member, or a count out of range, is shown on
    the form and nothing is saved."""
    client.force_login(secretariat)
    url = reverse("members:chair_plan", args=[network.slug])
    response = client.post(url, {"save_rotation": "1", "order": "AAA\nZZZ"})
    assert "Not current members of this network: ZZZ" in response.content.decode()
    assert not network.rotation.exists()
    response = client.post(url, {"plan": "1", "count": "40"})
    assert response.status_code == 200
    assert "less than or equal to 12" in response.content.decode()
    assert not network.chair_terms.exists()
