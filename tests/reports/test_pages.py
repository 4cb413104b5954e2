"""The reports pages as a user meets them: the list and a build's page keep
a fixed number of queries with 10 or 500 builds; a build in flight is
followed by the page itself (htmx asks for its status again) and a finished
one is not; bad input on the build form is a message that builds nothing;
the chair sees the summary of their term on the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import builder
from reports.models import BuildStatus, ReportBuild, ReportKind

from .conftest import membership_request

pytestmark = pytest.mark.django_db

# The session and user, the network, the actor (grants, person records,
# chaired networks), the switcher's networks, then the page's own: a count
# and a page of builds, and the chair terms and workplans of the build form.
LIST_QUERIES = 11
DETAIL_QUERIES = 7


def _builds(network, secretariat, n: int, offset: int = 0) -> None:
    ReportBuild.objects.bulk_create(
        ReportBuild(
            kind=ReportKind.MEMBERSHIP_UPDATE,
            network=network,
            period_start=date(2000 + offset + i, 1, 1),
            period_end=date(2000 + offset + i, 12, 31),
            title=f"Update {offset + i}",
            key=f"bulk:{offset + i}",
            status=BuildStatus.READY if i % 2 else BuildStatus.FAILED,
            requested_by=secretariat,
            pages=3,
        )
        for i in range(n)
    )


def _count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_list_costs_the_same_with_10_or_500_builds(client, network, secretariat, current_term):
    client.force_login(secretariat)
    url = reverse("reports:list", args=[network.slug])
    _builds(network, secretariat, 10)
    small, _ = _count(client, url)
    _builds(network, secretariat, 490, offset=10)
    large, response = _count(client, url)
    assert small == large == LIST_QUERIES
    assert response.content.decode().count("data-build=") == 25  # a page of them
    # The filters narrow the list and keep the cost.
    filtered, response = _count(client, url + "?kind=membership-update&year=2050")
    assert filtered == LIST_QUERIES
    assert response.content.decode().count("data-build=") == 1


def test_a_build_page_costs_the_same_whatever_the_history(
    client, network, secretariat, current_term
):
    client.force_login(secretariat)
    build, _ = builder.request_build(membership_request(network), by=secretariat, hand_over=False)
    url = reverse("reports:detail", args=[build.pk])
    small, _ = _count(client, url)
    _builds(network, secretariat, 200)
    large, _ = _count(client, url)
    assert small == large == DETAIL_QUERIES


def test_a_build_in_flight_is_followed_and_a_finished_one_is_not(
    client, network, secretariat, current_term
):
    client.force_login(secretariat)
    build, _ = builder.request_build(membership_request(network), by=secretariat, hand_over=False)
    page = client.get(build.get_absolute_url()).content.decode()
    status_url = reverse("reports:status", args=[build.pk])
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 2s"' in page
    assert 'http-equiv="refresh"' in page  # without JavaScript, the page reloads itself
    builder.run_build(build.pk)
    part = client.get(status_url).content.decode()
    assert "hx-trigger" not in part and 'data-status="ready"' in part
    assert reverse("reports:download", args=[build.pk]) in part
    page = client.get(build.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page and 'http-equiv="refresh"' not in page
    assert build.checksum[:12] in page or ReportBuild.objects.get(pk=build.pk).checksum in page


def test_a_failed_build_says_why_to_the_secretariat(client, network, secretariat, current_term):
    build, _ = builder.request_build(membership_request(network), hand_over=False)
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.FAILED, error="The PDF took too long."
    )
    client.force_login(secretariat)
    page = client.get(build.get_absolute_url()).content.decode()
    assert "The report could not be built." in page and "The PDF took too long." in page
    assert reverse("reports:retry", args=[build.pk]) in page
    home = client.get(reverse("home")).content.decode()
    assert "data-failed-reports-panel" in home


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"kind": "chair-summary", "language": "en"},
            "term",
            "Choose the chair term the report covers.",
        ),
        (
            {"kind": "membership-update", "language": "en"},
            "year",
            "Give the year the report covers.",
        ),
        (
            {"kind": "membership-update", "language": "en", "year": "twenty"},
            "year",
            "Enter a whole number.",
        ),
        (
            {"kind": "membership-update", "language": "xx", "year": "2026"},
            "language",
            "Select a valid choice.",
        ),
        ({"kind": "nope", "language": "en", "year": "2026"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_message_on_the_form_and_builds_nothing(
    client, network, secretariat, current_term, data, field, message
):
    client.force_login(secretariat)
    response = client.post(reverse("reports:build", args=[network.slug]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_another_networks_chair_term_is_refused(
    client, network, other_network, secretariat, current_term
):
    from tests import factories as f

    foreign = f.ChairTermFactory(network=other_network, organization=current_term.organization)
    client.force_login(secretariat)
    response = client.post(
        reverse("reports:build", args=[network.slug]),
        {"kind": "chair-summary", "term": foreign.pk, "language": "en"},
    )
    assert response.status_code == 400 and not ReportBuild.objects.exists()


def test_the_chair_sees_the_summary_of_their_term_on_the_dashboard(
    client, network, chair, current_term
):
    client.force_login(chair)
    session = client.session
    session["current_network_id"] = network.pk
    session.save()
    home = client.get(reverse("home")).content.decode()
    assert "data-chair-summary-panel" in home
    assert "Still to write in the narrative:" in home
    assert reverse("members:chair_term_narrative", args=[current_term.pk]) in home
    current_term.achievements = "Done."
    current_term.challenges = "Some."
    current_term.recommendations = "More."
    current_term.save()
    home = client.get(reverse("home")).content.decode()
    assert "The narrative is written." in home


def test_the_network_page_leads_to_its_reports(client, network, focal_b):
    client.force_login(focal_b)
    html = client.get(network.get_absolute_url()).content.decode()
    assert reverse("reports:list", args=[network.slug]) in html
    client.logout()
    assert (
        reverse("reports:list", args=[network.slug])
        not in client.get(network.get_absolute_url()).content.decode()
    )
