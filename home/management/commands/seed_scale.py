"""Build a large synthetic data set for benchmarks: each app's builder
(core.registry, from its `parts.py`) adds its options, and runs in the order
of the floors, ground first, in one transaction. `--reset` deletes the
synthetic rows first, top floor first. Every builder marks its rows (see its
module) and is deterministic."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import search
from core.registry import registry


class Command(BaseCommand):
    help = "Build a large synthetic data set (organizations SC-*, networks scale-*) for benchmarks."

    def add_arguments(self, parser) -> None:
        for builder in registry.by_floor(registry.scale):
            builder.add_arguments(parser)
        parser.add_argument(
            "--reset", action="store_true", help="Delete the synthetic rows first, then rebuild."
        )

    def handle(self, *args, **options) -> None:
        builders = registry.by_floor(registry.scale)
        problems = [problem for builder in builders for problem in builder.check(options)]
        if problems:
            raise CommandError(" ".join(problems) + " Nothing was changed.")
        started = time.monotonic()
        if not options["reset"]:
            loaded = [b for b in builders if b.loaded()]
            if loaded:
                marks = "; ".join(b.describe or b.app for b in loaded)
                self.stdout.write(
                    f"The synthetic data set is already loaded ({marks}); "
                    "nothing to do. Use --reset to rebuild it."
                )
                return
        built: dict[str, dict[str, int]] = {}
        with transaction.atomic():
            if options["reset"]:
                deleted: dict[str, int] = {}
                for builder in reversed(builders):
                    deleted.update(builder.delete())
                summary = ", ".join(f"{v} {k}" for k, v in deleted.items())
                self.stdout.write(f"Deleted the synthetic rows: {summary}.")
            for builder in builders:
                built[builder.app] = builder.build(options)
        # Rows written in bulk send no signals: the search entries are written
        # once for everything here.
        indexed = search.rebuild()
        counts = [f"{n} {name}" for result in built.values() for name, n in result.items()]
        elapsed = time.monotonic() - started
        summary = (
            ", ".join(counts[:-1]) + f" and {counts[-1]}" if len(counts) > 1 else "".join(counts)
        )
        self.stdout.write(self.style.SUCCESS(f"Created {summary} in {elapsed:.1f}s."))
        self.stdout.write(f"Search: {sum(indexed.values())} records indexed.")
