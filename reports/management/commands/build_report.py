"""Build a report now, in this process, with the same code as the worker:

    python manage.py build_report chair-summary --network gmg --term 2007-01-01
    python manage.py build_report membership-update --network unnm --year 2026 --output ec.pdf
    python manage.py build_report workplan-progress --network asia-pacific --workplan 1 \
        --period 2026-10-01 2026-12-31

The build is recorded like one asked for on the page (its snapshot, pages,
checksum), so it appears on the network's reports page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.models import Network
from reports import builder
from reports.chair_summary import term_starting
from reports.kinds import ReportProblem
from reports.models import BuildStatus, Language, ReportKind
from reports.workplan_progress import workplan_of


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Build a report now (KIND: " + ", ".join(ReportKind.values) + ")."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--network", required=True, help="The network's slug.")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--term", help="The chair term's first day (YYYY-MM-DD).")
        when.add_argument("--year", type=int)
        when.add_argument("--period", nargs=2, metavar=("START", "END"))
        parser.add_argument(
            "--workplan", type=int, metavar="PK", help="The workplan of a progress report."
        )
        parser.add_argument("--language", default="en", choices=Language.values)
        parser.add_argument("--output", help="Also write the PDF to this path.")

    def handle(self, *args, **options) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network has the slug {options['network']!r}.")
        kind = options["kind"]
        subject = None
        try:
            if kind == ReportKind.CHAIR_SUMMARY:
                if not options["term"]:
                    raise CommandError("A chair's summary needs --term START-DATE.")
                term = term_starting(network, _day(options["term"]))
                start, end, subject = term.start, term.end, term.pk
            elif options["year"]:
                start, end = date(options["year"], 1, 1), date(options["year"], 12, 31)
            elif options["period"]:
                start, end = (_day(d) for d in options["period"])
            else:
                raise CommandError("Give the period: --year YYYY or --period START END.")
            if kind == ReportKind.WORKPLAN_PROGRESS:
                if not options["workplan"]:
                    raise CommandError("A workplan progress report needs --workplan PK.")
                subject = workplan_of(network, options["workplan"]).pk
            build, created = builder.request_build(
                builder.Request(kind, network, start, end, options["language"], subject),
                hand_over=False,
            )
        except ReportProblem as exc:
            raise CommandError(str(exc)) from None
        if not created:
            raise CommandError(
                f"This report is already being built (build {build.pk}, {build.status})."
            )
        built = builder.run_build(build.pk)
        if built is None or built.status != BuildStatus.READY:
            raise CommandError(f"The build failed: {built.error if built else 'not run'}")
        for hint in built.missing:
            self.stdout.write(f"Missing: {hint['what']}")
        for line in built.changes:
            self.stdout.write(f"Changed since the last build: {line}")
        if options["output"]:
            with built.file.open("rb") as stored:
                Path(options["output"]).write_bytes(stored.read())
        self.stdout.write(
            f"Built {built.title}: {built.pages} pages, {built.size} bytes, "
            f"{built.duration:.1f} s (render {built.render_seconds:.1f} s)"
            + (f", written to {options['output']}" if options["output"] else "")
            + f". sha256 {built.checksum}"
        )
