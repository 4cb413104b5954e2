"""Time the building of each kind of report, with the worker's code
(`builder.request_build(..., hand_over=False)`, then `builder.run_build`),
over the data loaded:

    python manage.py seed_demo && python manage.py seed_scale
    python manage.py bench_reports --runs 3 --network unnm --network scale-000
    python manage.py bench_reports --kind annual --kind biennial

For each network and kind it prints the median and the worst build time,
the share of the build spent collecting the snapshot, in the template and
in WeasyPrint (the rest is claiming, counting the pages, storing the PDF
and saving the build), the SQL queries of the collect step, the pages and
the size of the PDF. Without --network: the network with the most members.

The period of each kind is the newest one the network has data for: the
chair's summary of its latest chair term that has begun (else its latest),
the annual report and the membership update of the latest year with records
(meetings, decisions, documents, engagements, memberships, progress updates,
up to this year), the biennial report of that year and the one before, the
workplan progress report of the latest workplan for its latest year up to
this one. A kind the network has nothing for (no chair term, no workplan)
is said to be skipped.

A measurement, not a test: figures are printed, never asserted. The builds
it makes are deleted with their PDFs when it is done, even when it fails,
so it can run against a real database. A build of the same report already
in flight there is left alone and the kind skipped."""

from __future__ import annotations

import contextlib
import logging
import statistics
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from decisions.models import Decision
from documents.models import Document, Engagement
from meetings.models import Meeting, MeetingStatus
from members.models import Membership, Network
from reports import builder
from reports.kinds import ReportProblem, spec_for
from reports.models import BuildStatus, ReportBuild, ReportKind
from workplans.models import ProgressUpdate, Workplan


class Skip(Exception):
    """The network has nothing this kind reports on."""


@dataclass
class Run:
    seconds: float
    timings: dict[str, float]
    pages: int
    size: int


def latest_year(network: Network, today: date) -> int:
    """The latest year, up to this one, in which the network has records."""
    days = [
        Meeting.objects.filter(network=network, start__date__lte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .aggregate(d=Max("start__date"))["d"],
        Decision.objects.filter(network=network, decided_on__lte=today).aggregate(
            d=Max("decided_on")
        )["d"],
        Document.objects.filter(network=network, date__lte=today).aggregate(d=Max("date"))["d"],
        Engagement.objects.filter(network=network, start__lte=today).aggregate(d=Max("start"))["d"],
        Membership.objects.filter(network=network, joined__lte=today).aggregate(d=Max("joined"))[
            "d"
        ],
    ]
    years = [d.year for d in days if d]
    reported = ProgressUpdate.objects.filter(
        activity__objective__workplan__network=network, year__lte=today.year
    ).aggregate(y=Max("year"))["y"]
    if reported:
        years.append(reported)
    if not years:
        raise Skip("no records")
    return max(years)


def request_for(kind: str, network: Network, today: date) -> builder.Request:
    """The newest report of this kind the network has data for."""
    if kind == ReportKind.CHAIR_SUMMARY:
        terms = network.chair_terms.order_by("-start", "-pk")
        term = terms.filter(start__lte=today).first() or terms.first()
        if term is None:
            raise Skip("no chair term")
        return builder.Request(kind, network, term.start, term.end, "en", term.pk)
    if kind == ReportKind.WORKPLAN_PROGRESS:
        workplan = Workplan.objects.filter(network=network).order_by("-start_year", "-pk").first()
        if workplan is None:
            raise Skip("no workplan")
        year = min(workplan.end_year, max(workplan.start_year, today.year))
        return builder.Request(
            kind, network, date(year, 1, 1), date(year, 12, 31), "en", workplan.pk
        )
    year = latest_year(network, today)
    first = year - 1 if kind == ReportKind.BIENNIAL else year
    return builder.Request(kind, network, date(first, 1, 1), date(year, 12, 31))


def period_label(req: builder.Request) -> str:
    if (req.start.month, req.start.day, req.end.month, req.end.day) == (1, 1, 12, 31):
        years = (req.start.year, req.end.year)
        return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
    return f"{req.start.isoformat()} – {req.end.isoformat()}"


def collect_queries(req: builder.Request) -> int:
    """The queries of the collect step, counted on a collect of its own (the
    same call as run_build's, so the count is the build's)."""
    spec = spec_for(req.kind)
    with translation.override(req.language), CaptureQueriesContext(connection) as queries:
        spec.collect(req.network, req.start, req.end, req.subject_id)
    return len(queries)


@contextlib.contextmanager
def quiet_weasyprint():
    """WeasyPrint logs each step of each render at INFO: not the figures."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def no_new_folders():
    """The folders of the PDFs ("reports/2026") that storing a build makes
    on a local disk, taken away again when they are left empty."""
    storage = ReportBuild._meta.get_field("file").storage
    folder = timezone.now().strftime(ReportBuild._meta.get_field("file").upload_to.folder)
    parts = Path(folder).parts
    try:
        paths = [Path(storage.path("/".join(parts[: i + 1]))) for i in range(len(parts))]
    except NotImplementedError:  # a bucket: no folders
        paths = []
    absent = [p for p in paths if not p.exists()]
    try:
        yield
    finally:
        for path in reversed(absent):
            with contextlib.suppress(OSError):  # not empty: something else was stored
                path.rmdir()


def discard(build_id: int) -> None:
    """A build this command made, gone with its PDF."""
    build = ReportBuild.objects.filter(pk=build_id).first()
    if build is None:
        return
    if build.file:
        build.file.delete(save=False)
    build.delete()


class Command(BaseCommand):
    help = (
        "Time the building of each kind of report: median and worst seconds, the share of "
        "collect, template and WeasyPrint, the collect step's queries, pages and size."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument(
            "--network",
            action="append",
            dest="networks",
            metavar="SLUG",
            help="A network's slug (repeatable); the default is the one with most members.",
        )
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            choices=ReportKind.values,
            help="A kind of report (repeatable); the default is every kind.",
        )

    def handle(self, *args, **options) -> None:
        runs = options["runs"]
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        kinds = options["kinds"] or list(ReportKind.values)
        networks = self._networks(options["networks"])
        today = timezone.localdate()
        self.stdout.write(f"Report builds on {connection.vendor}, {runs} runs each.")
        with quiet_weasyprint(), no_new_folders():
            for network in networks:
                self._bench_network(network, kinds, today, runs)

    def _bench_network(self, network: Network, kinds: list[str], today: date, runs: int) -> None:
        self.stdout.write(f"\n{network.name} ({network.slug})")
        self.stdout.write(
            f"  {'kind':19}{'period':25}{'median s':>9}{'worst s':>9}{'collect':>9}"
            f"{'template':>10}{'weasyprint':>12}{'queries':>9}{'pages':>7}{'KiB':>8}"
        )
        for kind in kinds:
            self._bench(kind, network, today, runs)

    def _networks(self, slugs: list[str] | None) -> list[Network]:
        if not slugs:
            biggest = (
                Network.objects.annotate(
                    members=Count("memberships", filter=Q(memberships__left__isnull=True))
                )
                .order_by("-members", "slug")
                .first()
            )
            if biggest is None:
                raise CommandError("There is no network: load data (seed_demo, seed_scale).")
            return [biggest]
        found = {n.slug: n for n in Network.objects.filter(slug__in=slugs)}
        unknown = [s for s in slugs if s not in found]
        if unknown:
            raise CommandError(f"No network has the slug {', '.join(map(repr, unknown))}.")
        return [found[s] for s in dict.fromkeys(slugs)]

    def _bench(self, kind: str, network: Network, today: date, runs: int) -> None:
        try:
            req = request_for(kind, network, today)
        except Skip as why:
            self.stdout.write(f"  {kind:19}skipped: {why}")
            return
        results: list[Run] = []
        try:
            queries = collect_queries(req)
            for _ in range(runs):
                build, created = builder.request_build(req, hand_over=False)
                if not created:
                    self.stdout.write(
                        f"  {kind:19}skipped: build {build.pk} of this report is {build.status}"
                    )
                    return
                try:
                    started = time.perf_counter()
                    built = builder.run_build(build.pk)
                    seconds = time.perf_counter() - started
                finally:
                    # Deleted before the next run, so that no run compares
                    # itself with the one before (a rebuild says what changed).
                    discard(build.pk)
                if built is None or built.status != BuildStatus.READY:
                    self.stdout.write(f"  {kind:19}failed: {built.error if built else 'not run'}")
                    return
                results.append(Run(seconds, dict(built.timings), built.pages, built.size))
        except ReportProblem as exc:
            self.stdout.write(f"  {kind:19}skipped: {exc}")
            return
        times = [r.seconds for r in results]
        total = sum(times)

        def share(step: str) -> str:
            return f"{100 * sum(r.timings.get(step, 0) for r in results) / total:.0f} %"

        last = results[-1]
        self.stdout.write(
            f"  {kind:19}{period_label(req):25}{statistics.median(times):>9.2f}{max(times):>9.2f}"
            f"{share('collect'):>9}{share('template'):>10}{share('render'):>12}"
            f"{queries:>9}{last.pages:>7}{last.size / 1024:>8.0f}"
        )
