"""The life of a build: asked for once (a second request while one is in
flight gets that one), built with its snapshot, pages and checksum, a
rebuild saying what changed, a beat occasion built once, a render past its
time limit stopped and recorded as failed, then retried; the requester told
by e-mail; build_report on the command line."""

from __future__ import annotations

import time
from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import pdf as meetings_pdf
from notifications.models import OutboundEmail
from reports import builder
from reports.kinds import ReportProblem
from reports.models import BuildStatus, ReportBuild, ReportKind

from .conftest import chair_summary_request, membership_request

pytestmark = pytest.mark.django_db


def test_a_second_request_while_one_is_queued_gets_that_one(network, secretariat, current_term):
    first, created = builder.request_build(
        chair_summary_request(network, current_term), by=secretariat, hand_over=False
    )
    again, created_again = builder.request_build(
        chair_summary_request(network, current_term), by=secretariat, hand_over=False
    )
    assert created and not created_again and again.pk == first.pk
    # Another language is another report.
    french, created_fr = builder.request_build(
        chair_summary_request(network, current_term, "fr"), hand_over=False
    )
    assert created_fr and french.pk != first.pk
    # The database refuses a second build in flight even when a race skips the check.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(
            kind=first.kind,
            network=network,
            period_start=first.period_start,
            period_end=first.period_end,
            title="x",
            key=first.key,
        )
    assert ReportBuild.objects.count() == 2


def test_the_request_is_handed_to_a_worker_after_the_commit(
    network, current_term, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(builder, "queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        build, _ = builder.request_build(chair_summary_request(network, current_term))
        assert not queue.called  # not before the commit
    queue.assert_called_once_with(build.pk)


def test_a_build_records_its_pdf_and_a_rebuild_says_what_changed(
    network, secretariat, current_term, agency_b
):
    build, _ = builder.request_build(membership_request(network), by=secretariat, hand_over=False)
    built = builder.run_build(build.pk)
    assert built.status == BuildStatus.READY, built.error
    assert built.pages >= 3 and built.size == built.file.size and len(built.checksum) == 64
    assert built.started_at <= built.finished_at and built.duration >= 0
    assert built.snapshot["members"] == 2 and built.snapshot["committee"] == []
    assert built.changes == [] and built.previous is None
    # Run again (a message delivered twice): nothing happens.
    assert builder.run_build(build.pk) is None

    agency_b.memberships.update(executive_committee=True)
    again, created = builder.request_build(
        membership_request(network), by=secretariat, hand_over=False
    )
    assert created
    rebuilt = builder.run_build(again.pk)
    assert rebuilt.previous == built
    assert rebuilt.changes == ["The Executive Committee: 1 added"]
    assert rebuilt.checksum != built.checksum
    # The requester is told, once per outcome.
    mails = OutboundEmail.objects.filter(to=secretariat.email)
    assert mails.count() == 2
    assert rebuilt.get_absolute_url() in mails.order_by("pk").last().body


def test_a_beat_occasion_is_built_once(network, current_term):
    one, created = builder.request_build(
        membership_request(network), occasion="membership-update:gtn:2026", hand_over=False
    )
    builder.run_build(one.pk)
    two, created_two = builder.request_build(
        membership_request(network), occasion="membership-update:gtn:2026", hand_over=False
    )
    assert created and not created_two and two.pk == one.pk
    assert ReportBuild.objects.count() == 1


def test_a_slow_render_is_stopped_and_the_build_fails_then_retries(
    network, secretariat, current_term
):
    build, _ = builder.request_build(membership_request(network), by=secretariat, hand_over=False)
    with mock.patch.object(meetings_pdf, "html_to_pdf_now", lambda html: time.sleep(30)):
        started = time.monotonic()
        failed = builder.run_build(build.pk, timeout=1)
        assert time.monotonic() - started < 10
    assert failed.status == BuildStatus.FAILED
    assert "longer than 1 seconds" in failed.error and not failed.file
    assert "could not be built" in OutboundEmail.objects.get(to=secretariat.email).body
    retried = builder.retry(failed, by=secretariat)
    assert retried.pk != failed.pk and retried.status == BuildStatus.QUEUED
    assert builder.run_build(retried.pk).status == BuildStatus.READY


def test_a_build_whose_worker_died_is_failed_and_asked_for_again(network, current_term):
    build, _ = builder.request_build(membership_request(network), hand_over=False)
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.RUNNING, requested_at=timezone.now() - builder.stale_after() * 2
    )
    again, created = builder.request_build(membership_request(network), hand_over=False)
    assert created and again.pk != build.pk
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and "worker stopped" in build.error


def test_bad_requests_say_why(network, other_network, current_term):
    with pytest.raises(ReportProblem):
        builder.request_build(
            builder.Request(
                ReportKind.MEMBERSHIP_UPDATE, network, date(2026, 12, 31), date(2026, 1, 1)
            ),
            hand_over=False,
        )
    # A chair term of another network.
    foreign = chair_summary_request(other_network, current_term)
    with pytest.raises(ReportProblem):
        builder.request_build(foreign, hand_over=False)


def test_changes_between_snapshots_in_words():
    before = {
        "meetings": [{"id": 1, "day": "2007-01-22"}, {"id": 2}],
        "term": {"theme": "a"},
        "members": 3,
    }
    after = {
        "meetings": [{"id": 1, "day": "2007-01-23"}, {"id": 3}],
        "term": {"theme": "a"},
        "members": 4,
    }
    assert builder.changes_between(before, after) == [
        "Meetings: 1 added, 1 removed, 1 changed",
        "Number of members: changed",
    ]


def test_build_report_builds_in_the_foreground(network, current_term, tmp_path):
    out = StringIO()
    target = tmp_path / "update.pdf"
    call_command(
        "build_report",
        "membership-update",
        "--network",
        "gtn",
        "--year",
        "2026",
        "--output",
        str(target),
        stdout=out,
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert (
        "Built Membership of the Executive Committee of Global Test Network, 2026" in out.getvalue()
    )
    assert ReportBuild.objects.get().status == BuildStatus.READY
    call_command(
        "build_report",
        "chair-summary",
        "--network",
        "gtn",
        "--term",
        current_term.start.isoformat(),
        stdout=out,
    )
    assert "Missing: The chair's narrative has no achievements yet." in out.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["chair-summary", "--network", "nope", "--year", "2026"], "No network has the slug"),
        (["chair-summary", "--network", "gtn", "--year", "2026"], "needs --term"),
        (
            ["chair-summary", "--network", "gtn", "--term", "1999-01-01"],
            "no chair term starting on 1999-01-01",
        ),
        (["annual", "--network", "gtn"], "Give the period"),
        (
            ["membership-update", "--network", "gtn", "--period", "2026-01-01", "soon"],
            "is not a date",
        ),
        (["workplan-progress", "--network", "gtn", "--year", "2026"], "needs --workplan PK"),
    ],
)
def test_build_report_says_what_is_wrong(network, current_term, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, stdout=StringIO())
    assert not ReportBuild.objects.exists()
