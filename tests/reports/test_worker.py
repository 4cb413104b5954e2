"""A report built by a real Celery worker: the page's request queues the
build after its commit, a worker (in a thread of this process, on the
embedded filesystem broker, and on Redis where REDIS_URL names one) claims
and builds it, the PDF is stored and read back with pdftotext, and the
requester's e-mail carries the link. A message delivered twice builds once.
The worker's time limit stops a render that hangs and the build says so."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import transaction

from meetings import pdf as meetings_pdf
from notifications.models import OutboundEmail
from reports import builder
from reports.models import BuildStatus, ReportBuild
from reports.tasks import build_report
from tests.core.test_celery import filesystem_worker, redis_worker  # noqa: F401 - fixtures

from .conftest import membership_request, needs_pdftotext, pdf_text

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True), needs_pdftotext]

TASK = build_report.name


@pytest.fixture(params=["filesystem_worker", "redis_worker"])
def worker(request):
    return request.getfixturevalue(request.param)


def test_a_real_worker_builds_the_report_asked_for(worker, network, secretariat, agency_a):
    agency_a.memberships.update(executive_committee=True)
    with transaction.atomic():
        build, created = builder.request_build(membership_request(network), by=secretariat)
        assert created
    assert worker.wait_for(TASK) == ("SUCCESS", BuildStatus.READY)
    build.refresh_from_db()
    assert build.status == BuildStatus.READY and build.started_at and build.finished_at
    text = pdf_text(build)
    assert "Membership of the Executive Committee of Global Test Network, 2026" in text
    assert "Agency A" in text
    # The same message again (a redelivery): the build is not made twice.
    build_report.delay(build.pk)
    assert worker.wait_for(TASK) == ("SUCCESS", "skipped")
    assert ReportBuild.objects.count() == 1
    mail = OutboundEmail.objects.get(to=secretariat.email)
    assert build.get_absolute_url() in mail.body


def test_the_worker_stops_a_render_that_hangs(filesystem_worker, network, secretariat, settings):  # noqa: F811
    settings.REPORT_RENDER_TIMEOUT_SECONDS = 1
    with mock.patch.object(meetings_pdf, "html_to_pdf_now", lambda html: time.sleep(60)):
        with transaction.atomic():
            build, _ = builder.request_build(membership_request(network), by=secretariat)
        started = time.monotonic()
        assert filesystem_worker.wait_for(TASK) == ("SUCCESS", BuildStatus.FAILED)
        assert time.monotonic() - started < 20
    build.refresh_from_db()
    assert "longer than 1 seconds" in build.error
