"""Remind the secretariat of task team reviews falling due, with the code beat runs:

    python manage.py send_taskteam_reminders [--today YYYY-MM-DD]

Safe to run any number of times: a reminder already in the outbox is not
queued again.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from taskteams.tasks import send_review_reminders


class Command(BaseCommand):
    help = "Queue the reminders of task team reviews falling due, for today or --today."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=str, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today: str | None, **options) -> None:
        if today:
            try:
                today = date.fromisoformat(today).isoformat()
            except ValueError as exc:
                raise CommandError(
                    f"--today must be a date like 2030-04-01, got {today!r}"
                ) from exc
        # Called, not sent: the task's own code, in this process.
        count = send_review_reminders(today)
        self.stdout.write(f"reviews: {count} reminder(s) queued")
