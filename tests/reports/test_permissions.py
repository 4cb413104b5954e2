"""The permission matrix of the reports pages: every URL, every persona
(the public and another network's secretariat among them), on a ready build
of the network, a failed one, the chair's summary of the current term, and
a ready build of another network.

A build the persona may not see answers 404 (its page, its status, its
PDF, its retry); a page of the network they may not read 403; the public is
sent to sign in; a refused POST builds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from reports import builder
from reports.models import BuildStatus, ReportBuild, ReportKind
from reports.views import DOCX
from tests import factories as f

from .conftest import chair_summary_request, membership_request

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "secretariat",
    "other_secretariat",
    "admin_user",
    "chair",
    "focal_b",
]
MANAGERS = {"secretariat", "admin_user"}
READERS = MANAGERS | {"chair", "focal_b"}


@pytest.fixture
def other_secretariat(other_network):
    user = f.UserFactory(email="secretariat@other.example.org")
    f.grant(user, Role.SECRETARIAT, other_network)
    return user


@pytest.fixture
def world(network, other_network, current_term, agency_b, monkeypatch):
    # The PDF itself is not the point here: a one-page stand-in.
    monkeypatch.setattr(builder, "html_to_pdf", lambda html, **kw: _tiny_pdf())

    def built(req, **kw):
        build, _ = builder.request_build(req, hand_over=False, **kw)
        return builder.run_build(build.pk)

    ready = built(membership_request(network))
    failed, _ = builder.request_build(membership_request(network, 2025), hand_over=False)
    ReportBuild.objects.filter(pk=failed.pk).update(status=BuildStatus.FAILED, error="boom")
    chair_summary = built(chair_summary_request(network, current_term))
    elsewhere = built(membership_request(other_network))
    return {
        "network": network,
        "ready": ready,
        "failed": ReportBuild.objects.get(pk=failed.pk),
        "chair_summary": chair_summary,
        "elsewhere": elsewhere,
    }


def _tiny_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# build -> who sees it
SEES = {
    "ready": READERS,
    "failed": MANAGERS,
    "chair_summary": READERS,
    "elsewhere": {"other_secretariat", "admin_user"},
}


def _login(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def _expect_login(response):
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("which", sorted(SEES))
@pytest.mark.parametrize("view", ["detail", "status", "download", "docx"])
def test_a_build_is_seen_by_whom_it_should_be(client, request, world, persona, which, view):
    _login(client, request, persona)
    build = world[which]
    response = client.get(reverse(f"reports:{view}", args=[build.pk]))
    if persona == "anonymous":
        return _expect_login(response)
    if persona not in SEES[which]:
        assert response.status_code == 404
    elif view in ("download", "docx") and build.status != BuildStatus.READY:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        if view == "download":
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        if view == "docx":
            assert response["Content-Type"] == DOCX
            assert b"".join(response.streaming_content).startswith(b"PK")  # a zip


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reports_page_of_the_network(client, request, world, persona):
    _login(client, request, persona)
    response = client.get(reverse("reports:list", args=["gtn"]))
    if persona == "anonymous":
        return _expect_login(response)
    if persona not in READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    for which in ("ready", "failed", "chair_summary", "elsewhere"):
        shown = f'data-build="{world[which].pk}"' in html
        # Another network's builds are on that network's page only.
        assert shown == (persona in SEES[which] and which != "elsewhere"), which
    assert ('action="/networks/gtn/reports/build/"' in html) == (persona in MANAGERS | {"chair"})


# persona -> the kinds they may build
BUILDS = {
    "secretariat": set(ReportKind.values),
    "admin_user": set(ReportKind.values),
    "chair": {ReportKind.CHAIR_SUMMARY},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", [ReportKind.CHAIR_SUMMARY, ReportKind.MEMBERSHIP_UPDATE])
def test_who_may_ask_for_a_build(client, request, world, persona, kind):
    _login(client, request, persona)
    before = ReportBuild.objects.count()
    term = world["chair_summary"].subject_id
    response = client.post(
        reverse("reports:build", args=["gtn"]),
        {"kind": kind, "term": term, "year": 2024, "language": "fr"},
    )
    if persona == "anonymous":
        _expect_login(response)
    elif kind in BUILDS.get(persona, set()):
        build = ReportBuild.objects.order_by("-pk").first()
        assert response.status_code == 302 and response["Location"] == build.get_absolute_url()
        assert ReportBuild.objects.count() == before + 1 and build.language == "fr"
        return
    elif persona in BUILDS:
        assert response.status_code == 400  # a kind the form does not offer them
    else:
        assert response.status_code == 403
    assert ReportBuild.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_retry_a_failed_build(client, request, world, persona):
    _login(client, request, persona)
    before = ReportBuild.objects.count()
    response = client.post(reverse("reports:retry", args=[world["failed"].pk]))
    if persona == "anonymous":
        _expect_login(response)
    elif persona in MANAGERS:
        assert response.status_code == 302
        assert ReportBuild.objects.count() == before + 1
        return
    else:
        assert response.status_code == 404
    assert ReportBuild.objects.count() == before


def test_a_ready_build_is_not_retried(client, world, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("reports:retry", args=[world["ready"].pk]), follow=True)
    assert "Only a build that failed can be tried again." in response.content.decode()
    assert ReportBuild.objects.filter(key=world["ready"].key).count() == 1


def test_get_on_the_post_urls_changes_nothing(client, world, secretariat):
    client.force_login(secretariat)
    before = ReportBuild.objects.count()
    assert client.get(reverse("reports:build", args=["gtn"])).status_code == 405
    assert client.get(reverse("reports:retry", args=[world["failed"].pk])).status_code == 405
    assert ReportBuild.objects.count() == before
