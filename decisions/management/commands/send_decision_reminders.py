"""python manage.py send_decision_reminders [--now 2026-12-06T18:00:00+01:00]:
remind the agencies that have not stated a position, 72 and 24 hours before."""

from decisions.tasks import send_decision_reminders

from ._at_now import JobCommand


class Command(JobCommand):
    help = "Remind the agencies without a position on open decisions, now or as if at --now."
    task = send_decision_reminders
