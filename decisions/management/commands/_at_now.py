"""The decisions' jobs by hand, with the code beat runs (decisions/tasks.py),
now or as if at --now; safe to run any number of times."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError


class JobCommand(BaseCommand):
    task = None  # the Celery task whose code the command runs, in this process

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", type=str, default=None, help="an ISO date-time (default: now)")

    def handle(self, *args, now: str | None, **options) -> None:
        if now:
            try:
                datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(
                    f"--now must be a date and time like 2026-12-06T18:00, got {now!r}"
                ) from exc
        count = type(self).task(now)
        self.stdout.write(f"{type(self).task.__name__}: {count}")
