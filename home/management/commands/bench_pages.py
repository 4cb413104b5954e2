"""Measure the main pages on the current database: time per request (median
and worst of N), queries per request and peak Python memory. Prints figures;
asserts nothing. The pages are those each app registers (core.registry, in
its `parts.py`), the dashboard first, then the apps ground first. Run after
`seed_scale` to see the pages at size:

    python manage.py seed_scale && python manage.py bench_pages --runs 20
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from core.registry import registry


class Command(BaseCommand):
    help = "Time the main pages (median/max ms, queries, peak memory) on the current data."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=10)

    def handle(self, *args, runs: int, **options) -> None:
        admin = User.objects.filter(is_superuser=True).first()
        if admin is None:
            self.stderr.write(
                "Load data first: seed_demo and/or seed_scale (an admin user is needed)."
            )
            return
        parts = registry.by_floor(registry.bench)
        parts.sort(key=lambda part: part.app != "home")  # the dashboard first
        pages = [page for part in parts for page in part.pages()]
        counts = {name: n for part in parts for name, n in part.counts().items()}
        self.stdout.write("Data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        self.stdout.write(
            f"{'page':30} {'median ms':>10} {'max ms':>8} {'queries':>8} {'peak KiB':>9}"
        )
        with override_settings(SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["*"]):
            for page in pages:
                label, url = page.label, page.url
                client = Client()
                if page.signed_in:
                    client.force_login(admin)
                client.get(url)  # warm caches and templates
                timings = []
                for _ in range(runs):
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                queries: list[str] = []

                def count(execute, sql, params, many, context, queries=queries):
                    queries.append(sql)
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(count):
                    client.get(url)
                tracemalloc.start()
                client.get(url)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                status = "" if response.status_code == 200 else f"  (HTTP {response.status_code})"
                self.stdout.write(
                    f"{label:30} {statistics.median(timings):10.1f} {max(timings):8.1f} "
                    f"{len(queries):8d} {peak / 1024:9.0f}{status}"
                )
