"""Run the decisions' `send_decision_reminders` job by hand, with the code beat runs:

    python manage.py send_decision_reminders [--now 2026-12-06T18:00:00+01:00]

Safe to run any number of times.
"""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from decisions.tasks import send_decision_reminders


class Command(BaseCommand):
    help = "Run the send_decision_reminders job now, or as if at --now."

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
        # Called, not sent: the task's own code, in this process.
        count = send_decision_reminders(now)
        self.stdout.write(f"send_decision_reminders: {count}")
