"""Time the search (core.search) over the data loaded, for a set of queries
and the kinds of reader whose permission filters differ: the public, a focal
point (their agency's drafts, the networks they belong to), a network's
secretariat and an admin (everything). Prints, per query, the median and the
worst of `--runs` runs for each reader, then the median and worst of all.

A measurement, not a test: run it over the synthetic data set
(`seed_scale`, which indexes what it builds) on PostgreSQL, e.g.

    python manage.py seed_demo && python manage.py seed_scale
    python manage.py bench_search --runs 20
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import F

from accounts.models import Role, RoleGrant, User
from core import search
from core.models import SearchEntry
from members.models import Person
from members.roles import actor_for

QUERIES = (
    "migration",
    "labour migration corridors",
    "climate displacement",
    '"regular pathways"',
    "remittances -detention",
    "GFMD statement",
    "Brussels",
    "déclaration",
    "zzzz-nothing-matches",
)


def _readers() -> list[tuple[str, object]]:
    readers: list[tuple[str, object]] = [("public", AnonymousUser())]
    focal = (
        User.objects.filter(
            pk__in=Person.objects.filter(user__isnull=False).values("user_id"), is_active=True
        )
        .exclude(role_grants__isnull=False)
        .order_by("pk")
        .first()
    )
    if focal is not None:
        readers.append((f"member ({focal.email})", focal))
    grant = (
        # A network's secretariat if there is one, else one of every network.
        RoleGrant.objects.filter(role=Role.SECRETARIAT)
        .select_related("user")
        .order_by(F("network_id").asc(nulls_last=True), "pk")
        .first()
    )
    if grant is not None:
        readers.append((f"secretariat ({grant.user.email})", grant.user))
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is not None:
        readers.append((f"admin ({admin.email})", admin))
    return readers


class Command(BaseCommand):
    help = "Time the search over the loaded data: median and worst per query and reader."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument(
            "--query", action="append", dest="queries", help="A query (repeatable)."
        )

    def handle(self, *args, **options) -> None:
        runs = options["runs"]
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        queries = options["queries"] or list(QUERIES)
        entries = SearchEntry.objects.count()
        if not entries:
            raise CommandError(
                "The search index is empty: load data (seed_demo, seed_scale) or run "
                "rebuild_search_index first."
            )
        self.stdout.write(
            f"Search over {entries} entries on {connection.vendor} "
            f"({'full text' if search.is_postgres() else 'simple match'}), {runs} runs each."
        )
        readers = _readers()
        everything: list[float] = []
        width = max(len(q) for q in queries) + 2
        self.stdout.write(
            f"{'query':{width}}{'reader':44}{'hits':>7}{'median ms':>11}{'worst ms':>10}"
        )
        for q in queries:
            for label, user in readers:
                actor = actor_for(user)
                times, hits = [], 0
                for _ in range(runs + 1):
                    started = time.perf_counter()
                    results = search.search(actor, q, per_kind=5)
                    elapsed = (time.perf_counter() - started) * 1000
                    times.append(elapsed)
                    hits = sum(r.count for r in results)
                times = times[1:]  # the first run warms the caches
                everything.extend(times)
                self.stdout.write(
                    f"{q:{width}}{label[:42]:44}{hits:>7}"
                    f"{statistics.median(times):>11.1f}{max(times):>10.1f}"
                )
        self.stdout.write(
            f"All queries: median {statistics.median(everything):.1f} ms, "
            f"worst {max(everything):.1f} ms."
        )
