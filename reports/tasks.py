"""The reports' background work, thin: each task calls the builder.

`build_report` builds one queued report under soft and hard time limits
(the render itself also runs in a child process killed at
REPORT_RENDER_TIMEOUT_SECONDS). It is safe to deliver twice: only a queued
build is claimed. `sweep_reports` (beat) marks builds whose worker died as
failed and hands queued builds the broker never delivered to a worker.
`schedule_reports` (beat, daily) asks for the reports the calendar makes
due (reports/schedule.py), each occasion once, however often it runs."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BuildStatus, ReportBuild


@shared_task(
    soft_time_limit=settings.REPORT_BUILD_TIMEOUT_SECONDS,
    time_limit=settings.REPORT_BUILD_TIMEOUT_SECONDS + 30,
)
def build_report(build_id: int) -> str:
    from .builder import run_build

    try:
        build = run_build(build_id)
    except SoftTimeLimitExceeded:
        ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING).update(
            status=BuildStatus.FAILED,
            finished_at=timezone.now(),
            error=_("The build took longer than %(s)s seconds and was stopped.")
            % {"s": settings.REPORT_BUILD_TIMEOUT_SECONDS},
        )
        return "failed"
    return build.status if build else "skipped"


@shared_task
def sweep_reports() -> int:
    from datetime import timedelta

    from .builder import fail_stale, queue

    failed = fail_stale()
    # Queued for a while and never started: the publish after the commit
    # did not reach the broker.
    waiting = ReportBuild.objects.filter(
        status=BuildStatus.QUEUED, requested_at__lt=timezone.now() - timedelta(minutes=2)
    ).values_list("pk", flat=True)[:20]
    for pk in list(waiting):
        queue(pk)
    return failed


@shared_task
def schedule_reports() -> int:
    from .schedule import schedule_reports as due

    return len(due())
