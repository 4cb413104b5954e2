"""bench_reports builds each kind of report with the worker's code, prints
its figures, and leaves nothing behind: no build, no PDF. A build of the
same report already in flight is left alone; a kind the network has
nothing for is said to be skipped."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports import builder
from reports.models import BuildStatus, ReportBuild, ReportKind
from workplans.models import Workplan, WorkplanStatus

from .conftest import membership_request

pytestmark = pytest.mark.django_db

# kind, period, median s, worst s, collect %, template %, weasyprint %, queries, pages, KiB
FIGURES = re.compile(
    r"^  (?P<kind>[a-z-]+) +(?P<period>\S.*?) +(?P<median>\d+\.\d\d) +(?P<worst>\d+\.\d\d)"
    r" +(?P<collect>\d+) % +(?P<template>\d+) % +(?P<weasyprint>\d+) %"
    r" +(?P<queries>\d+) +(?P<pages>\d+) +(?P<kib>\d+)$"
)


def _bench(*args: str) -> str:
    out = StringIO()
    call_command("bench_reports", "--runs", "1", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def workplan(network):
    year = timezone.localdate().year
    return Workplan.objects.create(
        network=network,
        title="Workplan",
        start_year=year,
        end_year=year,
        status=WorkplanStatus.APPROVED,
    )


def test_it_times_every_kind_and_leaves_no_build(network, current_term, agency_b, workplan):
    """Every kind is built once and printed with its figures; the builds and
    their PDFs (and the folders made for them) are gone afterwards."""
    year = timezone.localdate().year
    output = _bench("--network", "gtn")
    rows = {m["kind"]: m for m in map(FIGURES.match, output.splitlines()) if m}
    assert set(rows) == set(ReportKind.values), output
    # The memberships (joined 2020) are the newest records of the small world.
    assert rows["annual"]["period"] == "2020"
    assert rows["biennial"]["period"] == "2019–2020"
    assert rows["membership-update"]["period"] == "2020"
    assert rows["workplan-progress"]["period"] == str(year)
    assert rows["chair-summary"]["period"] == (
        f"{current_term.start.isoformat()} – {current_term.end.isoformat()}"
    )
    for row in rows.values():
        assert int(row["pages"]) >= 1 and int(row["kib"]) >= 1
        assert int(row["weasyprint"]) > 0 and int(row["queries"]) >= 1
        assert int(row["collect"]) + int(row["template"]) + int(row["weasyprint"]) <= 101
    assert float(rows["annual"]["median"]) > 0
    assert not ReportBuild.objects.exists()
    # Nor the folder the PDFs were stored in, which the run made.
    assert not (settings.MEDIA_ROOT / "reports").exists()


def test_it_skips_what_the_network_lacks_and_what_is_in_flight(network, agency_a):
    """No chair term, no workplan: said. A build of the same report queued
    in the database is neither run nor deleted."""
    queued, _ = builder.request_build(membership_request(network, 2020), hand_over=False)
    output = _bench(
        "--network", "gtn", "--kind", "chair-summary", "--kind", "workplan-progress",
        "--kind", "membership-update",
    )  # fmt: skip
    assert "  chair-summary      skipped: no chair term" in output
    assert "  workplan-progress  skipped: no workplan" in output
    assert f"  membership-update  skipped: build {queued.pk} of this report is queued" in output
    assert "annual" not in output
    assert list(ReportBuild.objects.values_list("pk", "status")) == [
        (queued.pk, BuildStatus.QUEUED)
    ]


def test_it_refuses_an_unknown_network(network):
    with pytest.raises(CommandError, match="'nowhere'"):
        _bench("--network", "nowhere")
    assert not ReportBuild.objects.exists()
