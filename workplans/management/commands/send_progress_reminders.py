"""Run the progress-reporting jobs by hand, with the code beat runs:

    python manage.py send_progress_reminders request|missing|all [--today YYYY-MM-DD]

Safe to run any number of times: a message already in the outbox is not
queued again. The messages go out through the workers (or the outbox flush
when the workers are down), as they do when beat runs the job.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from workplans.tasks import TASKS


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise CommandError(f"--today must be a date like 2030-04-01, got {value!r}") from exc


class Command(BaseCommand):
    help = "Queue the progress requests or reminders (or both) for today, or for --today."

    def add_arguments(self, parser) -> None:
        parser.add_argument("job", choices=[*TASKS, "all"])
        parser.add_argument("--today", type=str, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, job: str, today: str | None, **options) -> None:
        day = _iso_date(today) if today else None
        for name in TASKS if job == "all" else [job]:
            # Called, not sent: the task's own code, in this process.
            count = TASKS[name](day)
            self.stdout.write(f"{name}: {count} message(s) queued")
