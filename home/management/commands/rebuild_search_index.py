"""Write every search entry again from the records: after loading data in
bulk (seed_scale, a restore), or to repair the index. Records changed
through the app keep their entries current by themselves."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core import search


class Command(BaseCommand):
    help = "Rebuild the search entries of every kind (or of --kind KIND)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="Only this kind (repeatable).")

    def handle(self, *args, kind=None, **options):
        counts = search.rebuild(kind)
        for name, n in counts.items():
            self.stdout.write(f"  {name:20} {n:>8}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} search entries written."))
