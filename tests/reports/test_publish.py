"""A ready report published by the secretariat becomes a document of the
register (kind "report") with the build's PDF: a public one reaches the
public's register and the network's page, a members' one the members only;
publishing twice gives the same document; only the network's managers may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Document, DocumentStatus
from reports import builder
from reports.models import BuildStatus, ReportBuild

from .conftest import membership_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(network, agency_a, current_term):
    agency_a.memberships.update(executive_committee=True)
    build, _ = builder.request_build(membership_request(network), hand_over=False)
    return builder.run_build(build.pk)


def test_the_secretariat_publishes_a_report_for_the_public(client, network, secretariat, ready):
    client.force_login(secretariat)
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Publish in the register" in page
    response = client.post(reverse("reports:publish", args=[ready.pk]), {"access": "public"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.kind.slug == "report" and document.status == DocumentStatus.PUBLISHED
    assert document.title == ready.title and document.network == network
    version = document.files.get()
    assert version.checksum == ready.checksum and version.language == "en"
    ready.refresh_from_db()
    assert ready.document == document
    # Twice: the same document.
    client.post(reverse("reports:publish", args=[ready.pk]), {"access": "public"})
    assert Document.objects.count() == 1
    assert "In the register:" in client.get(ready.get_absolute_url()).content.decode()
    # The public finds it in the register and on the network's page.
    client.logout()
    assert (
        ready.title in client.get(reverse("documents:list", args=[network.slug])).content.decode()
    )
    assert ready.title in client.get(network.get_absolute_url()).content.decode()
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_members_report_stays_with_the_members(client, network, secretariat, focal_b, ready):
    client.force_login(secretariat)
    client.post(reverse("reports:publish", args=[ready.pk]), {"access": "members"})
    document = Document.objects.get()
    client.force_login(focal_b)
    assert client.get(document.get_absolute_url()).status_code == 200
    client.logout()
    assert (
        ready.title
        not in client.get(reverse("documents:list", args=[network.slug])).content.decode()
    )
    assert client.get(document.get_absolute_url()).status_code in (302, 404)


@pytest.mark.parametrize("persona, status", [("chair", 403), ("focal_b", 403), ("outsider", 404)])
def test_only_the_managers_publish(client, request, ready, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("reports:publish", args=[ready.pk]), {"access": "public"})
    assert response.status_code == status
    assert not Document.objects.exists()


def test_a_failed_build_or_a_bad_choice_publishes_nothing(client, network, secretariat, ready):
    client.force_login(secretariat)
    response = client.post(
        reverse("reports:publish", args=[ready.pk]), {"access": "everyone"}, follow=True
    )
    assert "Choose who may read the report in the register." in response.content.decode()
    ReportBuild.objects.filter(pk=ready.pk).update(status=BuildStatus.FAILED)
    response = client.post(
        reverse("reports:publish", args=[ready.pk]), {"access": "public"}, follow=True
    )
    assert "Only a report that is ready can be published." in response.content.decode()
    assert not Document.objects.exists()
