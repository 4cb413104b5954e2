"""Load the demo data of every app: each app's loader (core.registry, from its
`parts.py`) runs in the order of the floors, ground first, in one transaction,
so a loader finds the agencies, networks and accounts of the apps below it.

Idempotent: every loader looks rows up by their natural key and writes only
what differs, so a second run changes nothing (not even the history tables).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from core import search
from core.registry import registry
from core.seeding import DemoData, Tally


class Command(BaseCommand):
    help = "Load the demo data of the source documents and one demo account per role."

    def handle(self, *args, **options) -> None:
        loaders = registry.by_floor(registry.demo)
        demo = DemoData(tally=Tally())
        with search.paused(), transaction.atomic():
            for loader in loaders:
                loader.load(demo)
        # What the search finds, written once for the whole demo.
        indexed = search.rebuild()
        self.print_counts(demo.tally)
        self.print_accounts([row for loader in loaders for row in loader.accounts])
        # After the accounts: the summary above is the table of what changed.
        self.stdout.write(f"Search: {sum(indexed.values())} records indexed.")

    def print_counts(self, tally: Tally) -> None:
        out = self.stdout
        out.write(self.style.MIGRATE_HEADING("Demo data"))
        out.write(f"  {'':28} {'created':>8} {'updated':>8} {'unchanged':>10}")
        for label, (created, updated, unchanged) in tally.rows.items():
            out.write(f"  {label:28} {created:>8} {updated:>8} {unchanged:>10}")

    def print_accounts(self, rows: list[tuple[str, str, str, str]]) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.MIGRATE_HEADING("Demo accounts"))
        out.write(f"  {'role':12} {'e-mail':30} {'password':20} what to try")
        for role, email, password, hint in rows:
            out.write(f"  {role:12} {email:30} {password:20} {hint}")
        passwords = {password for _, _, password, _ in rows}
        if len(passwords) == 1:
            out.write("")
            out.write(f"All demo accounts use the password: {passwords.pop()}")
