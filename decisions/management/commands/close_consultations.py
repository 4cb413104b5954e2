"""python manage.py close_consultations [--now 2026-12-06T18:00:00+01:00]:
close every open decision whose deadline has passed."""

from decisions.tasks import close_consultations

from ._at_now import JobCommand


class Command(JobCommand):
    help = "Close the open decisions whose deadline has passed, now or as if at --now."
    task = close_consultations
