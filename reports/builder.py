"""Asking for a report and building it: the same code for the page, beat
and `build_report`.

- `request_build` records the build (queued) and hands it to a worker after
  the commit. A second request for the same report (kind, network, period,
  language, subject) while one is queued or running gets that one back: a
  partial unique index makes it so even when two requests race. A beat
  occasion ("annual:unnm:2026") is built once, however often beat fires.
- `run_build` (the task, or `build_report` in the foreground) claims the
  build, collects the snapshot, renders the PDF in a child process killed at
  REPORT_RENDER_TIMEOUT_SECONDS, stores it through the storage API with its
  size, pages and checksum, says what changed since the previous ready
  build of the same report, and e-mails the requester the link. A failure
  is recorded with its reason; the build can be retried.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.pdf import PdfRenderError, PdfTimeout, html_to_pdf
from members.models import Network

from .kinds import ReportProblem, spec_for
from .models import IN_FLIGHT, BuildStatus, ReportBuild

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    kind: str
    network: Network
    start: date
    end: date
    language: str = "en"
    subject_id: int | None = None

    @property
    def key(self) -> str:
        return ":".join(
            str(p)
            for p in (
                self.kind,
                self.network.pk,
                self.start.isoformat(),
                self.end.isoformat(),
                self.language,
                self.subject_id or "",
            )
        )


def stale_after() -> timedelta:
    """A build in flight for longer than the worker's hard limit (plus the
    broker's redelivery time for a queued one) was lost: its worker died."""
    return timedelta(seconds=settings.REPORT_BUILD_TIMEOUT_SECONDS + 120)


def fail_stale(now=None) -> int:
    now = now or timezone.now()
    lost = ReportBuild.objects.filter(status__in=IN_FLIGHT, requested_at__lt=now - stale_after())
    return lost.update(
        status=BuildStatus.FAILED,
        finished_at=now,
        error=_("The build did not finish: the worker stopped before it was done. Try again."),
    )


def request_build(
    req: Request, *, by=None, occasion: str = "", hand_over: bool = True
) -> tuple[ReportBuild, bool]:
    """The build of this report: a new one queued (True) or the one already
    queued or running, or the occasion's (False). `hand_over=False` leaves
    it to the caller to run (`build_report` builds it in the foreground)."""
    spec = spec_for(req.kind)
    if req.end < req.start:
        raise ReportProblem(_("The period ends before it starts."))
    if occasion:
        done = ReportBuild.objects.filter(occasion=occasion).first()
        if done is not None:
            return done, False
    fail_stale()
    existing = ReportBuild.objects.filter(key=req.key, status__in=IN_FLIGHT).first()
    if existing is not None:
        return existing, False
    with translation.override(req.language):
        title = spec.title(req.network, req.start, req.end, req.subject_id)
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                kind=req.kind,
                network=req.network,
                period_start=req.start,
                period_end=req.end,
                language=req.language,
                subject_id=req.subject_id,
                title=title[:300],
                key=req.key,
                occasion=occasion,
                requested_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError:  # a racing request made it first
        found = ReportBuild.objects.filter(key=req.key, status__in=IN_FLIGHT).first()
        if found is None and occasion:
            found = ReportBuild.objects.filter(occasion=occasion).first()
        if found is None:
            raise
        return found, False
    if hand_over:
        transaction.on_commit(lambda: queue(build.pk))
    return build, True


def queue(build_id: int) -> bool:
    from core.publish import publish_once

    from .tasks import build_report

    return publish_once(build_report, args=[build_id], what=f"report build {build_id} later")


def retry(build: ReportBuild, *, by=None) -> ReportBuild:
    """A failed build asked for again: a new build of the same report."""
    new, _created = request_build(
        Request(
            build.kind,
            build.network,
            build.period_start,
            build.period_end,
            build.language,
            build.subject_id,
        ),
        by=by or build.requested_by,
    )
    return new


# --- building ---------------------------------------------------------------------------


def _claim(build_id: int) -> ReportBuild | None:
    now = timezone.now()
    claimed = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, started_at=now
    )
    if not claimed:
        return None
    build = ReportBuild.objects.select_related("network", "requested_by").get(pk=build_id)
    ReportBuild.objects.filter(pk=build_id).update(attempts=build.attempts + 1)
    return build


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _section_labels() -> dict[str, str]:
    return {
        "network": _("The network"),
        "term": _("The chair term"),
        "previous": _("The previous chair"),
        "next": _("The next chair"),
        "members_at_end": _("Number of members"),
        "members": _("Number of members"),
        "attendance": _("Attendance"),
        "meetings": _("Meetings"),
        "decisions": _("Decisions"),
        "admitted": _("New members"),
        "applications": _("Membership applications"),
        "engagements": _("Engagements"),
        "briefings": _("Briefings"),
        "outputs": _("Joint documents and other outputs"),
        "statements": _("Statements"),
        "narrative": _("The chair's narrative"),
        "committee": _("The Executive Committee"),
        "joined": _("Members who joined"),
        "left": _("Members who left"),
        "coordinator": _("The coordinator"),
        "documents": _("Documents"),
        "follow_up": _("Follow-up of decisions"),
        "leads": _("Progress by lead agency"),
        "objectives": _("Objectives and activities"),
        "not_reported": _("Who has not reported"),
        "task_teams": _("Task teams"),
        "workplan": _("The workplan"),
        "workplans": _("Workplans"),
        "updates": _("Progress updates"),
        "quarters": _("Quarters"),
        "period": _("The period"),
        "percent_before": _("Progress at the start"),
        "activities": _("Activities"),
        "gcm": _("Implementation by GCM objective"),
        "gcm_served": _("GCM objectives served"),
        "gcm_total": _("GCM objectives"),
        "gcm_without": _("Activities without a GCM objective"),
        "sdg": _("Sustainable Development Goals"),
        "agencies": _("Activities by agency"),
        "institutional": _("Institutional arrangements"),
        "regions": _("Regional input"),
    }


def changes_between(previous: dict, current: dict) -> list[str]:
    """What differs between two snapshots of one report, section by section,
    in words: lists by the records added and removed, the rest by a change."""
    lines = []
    labels = _section_labels()
    for key in sorted(set(previous) | set(current)):
        old, new = previous.get(key), current.get(key)
        if old == new:
            continue
        if isinstance(old, list) or isinstance(new, list):
            old, new = old or [], new or []
            ids_old = [_identity(x) for x in old]
            ids_new = [_identity(x) for x in new]
            added = sum(1 for i in ids_new if i not in ids_old)
            removed = sum(1 for i in ids_old if i not in ids_new)
            changed = len(new) - added - sum(1 for x in new if _identity(x) in ids_old and x in old)
            parts = []
            if added:
                parts.append(_("%(n)s added") % {"n": added})
            if removed:
                parts.append(_("%(n)s removed") % {"n": removed})
            if changed > 0:
                parts.append(_("%(n)s changed") % {"n": changed})
            lines.append(f"{labels.get(key, key)}: {', '.join(parts) or _('changed')}")
        else:
            lines.append(f"{labels.get(key, key)}: {_('changed')}")
    return lines


def _identity(item) -> str:
    if isinstance(item, dict):
        for field in ("id", "acronym", "org"):
            if field in item:
                return repr(item[field])
    return repr(item)


@functools.cache
def report_css() -> str:
    """The reports' style, put into the HTML itself: the PDF does not depend
    on collected static files and their manifest. The fonts it names are
    read through the static-only fetcher under their plain names."""
    path = finders.find("css/report-pdf.css")
    css = Path(path).read_text(encoding="utf-8")
    static = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    return css.replace('url("../fonts/', f'url("{static}fonts/')


def render_html(build: ReportBuild, snapshot: dict) -> str:
    spec = spec_for(build.kind)
    with translation.override(build.language):
        return render_to_string(
            spec.template,
            {
                "build": build,
                "report": snapshot,
                # The day the build was made, however often it is shown again.
                "generated": build.finished_at or build.started_at or timezone.now(),
                "network": build.network,
                "css": report_css(),
            },
        )


@functools.cache
def warm_weasyprint() -> None:
    """WeasyPrint imported and run once in this process (the worker), on a
    fixed page of our own: the render's forked child then starts with it
    loaded, its default stylesheets parsed and the system fonts found,
    rather than doing all of that again for every build (a second and more
    of each, whatever its size)."""
    from weasyprint import HTML

    HTML(string="<p>.</p>").write_pdf()


def run_build(build_id: int, *, timeout: float | None = None) -> ReportBuild | None:
    """Build a queued report (None when it is not queued: another worker has
    it, or it is done)."""
    build = _claim(build_id)
    if build is None:
        return None
    spec = spec_for(build.kind)
    started = timezone.now()
    # How long each step took, in seconds, on the returned object only (not
    # stored): for bench_reports. `render` is also kept as render_seconds.
    timings: dict[str, float] = {}
    build.timings = timings
    try:
        clock = time.perf_counter()
        with translation.override(build.language):
            snapshot, missing = spec.collect(
                build.network, build.period_start, build.period_end, build.subject_id
            )
        timings["collect"] = time.perf_counter() - clock
        clock = time.perf_counter()
        html = render_html(build, snapshot)
        timings["template"] = time.perf_counter() - clock
        limit = settings.REPORT_RENDER_TIMEOUT_SECONDS if timeout is None else timeout
        render_started = timezone.now()
        warm_weasyprint()
        pdf = html_to_pdf(html, timeout=limit)
        render_seconds = (timezone.now() - render_started).total_seconds()
        timings["render"] = render_seconds
    except PdfTimeout:
        return _failed(
            build,
            _("The PDF took longer than %(s)s seconds to make and was stopped.")
            % {"s": settings.REPORT_RENDER_TIMEOUT_SECONDS if timeout is None else timeout},
        )
    except (PdfRenderError, ReportProblem) as exc:
        return _failed(build, str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded on the build, shown to the secretariat
        log.exception("report build %s failed", build_id)
        return _failed(build, f"{type(exc).__name__}: {exc}")
    previous = (
        ReportBuild.objects.filter(key=build.key, status=BuildStatus.READY)
        .exclude(pk=build.pk)
        .order_by("-finished_at", "-pk")
        .first()
    )
    build.snapshot = snapshot
    build.missing = [m.as_json() for m in missing]
    build.previous = previous
    build.changes = changes_between(previous.snapshot, snapshot) if previous else []
    build.size = len(pdf)
    build.pages = page_count(pdf)
    build.checksum = hashlib.sha256(pdf).hexdigest()
    build.render_seconds = render_seconds
    build.file.save(build.download_name(), ContentFile(pdf), save=False)
    build.status = BuildStatus.READY
    build.error = ""
    build.started_at = started
    build.finished_at = timezone.now()
    build.save()
    _tell_requester(build)
    return build


def _failed(build: ReportBuild, reason: str) -> ReportBuild:
    build.status = BuildStatus.FAILED
    build.error = reason[:2000]
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "error", "finished_at"])
    _tell_requester(build)
    return build


def _tell_requester(build: ReportBuild) -> None:
    user = build.requested_by
    if user is None or not user.email:
        return
    from notifications.outbox import email_queue

    link = f"{settings.SITE_URL}{build.get_absolute_url()}"
    if build.status == BuildStatus.READY:
        subject = _("Ready: %(title)s") % {"title": build.title}
        body = _(
            "The report you asked for is ready:\n\n%(title)s\n%(pages)s pages\n\n%(link)s\n"
        ) % {"title": build.title, "pages": build.pages, "link": link}
    else:
        subject = _("Not built: %(title)s") % {"title": build.title}
        body = _(
            "The report you asked for could not be built:\n\n%(title)s\n%(error)s\n\n"
            "You can try again from its page:\n%(link)s\n"
        ) % {"title": build.title, "error": build.error, "link": link}
    email_queue(
        to=user.email,
        subject=subject,
        body=body,
        dedupe_key=f"report-build:{build.pk}:{build.status}",
    )
