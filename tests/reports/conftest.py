from __future__ import annotations

import importlib
import os
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from members.models import ChairTerm, Network
from reports import builder
from reports.models import ReportKind

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"
)


def pdf_text(build) -> str:
    """The text of a build's PDF, as pdftotext reads it, on one line."""
    with build.file.open("rb") as stored:
        data = stored.read()
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def demo(db):
    """seed_demo's world (the reference rows a data migration loads first,
    which an earlier transactional test may have flushed)."""
    importlib.import_module("workplans.migrations.0002_framework_objectives").load(
        django_apps, None
    )
    importlib.import_module("documents.migrations.0002_standard_kinds").add_kinds(django_apps, None)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    return {n.slug: n for n in Network.objects.all()}


def chair_summary_request(network, term: ChairTerm, language="en") -> builder.Request:
    return builder.Request(
        ReportKind.CHAIR_SUMMARY, network, term.start, term.end, language, term.pk
    )


def membership_request(network, year=2026) -> builder.Request:
    return builder.Request(
        ReportKind.MEMBERSHIP_UPDATE, network, date(year, 1, 1), date(year, 12, 31)
    )


@pytest.fixture
def past_term(network, agency_b):
    """A finished term of agency B, so the network has two."""
    from tests import factories as f

    return f.ChairTermFactory(
        network=network,
        organization=agency_b,
        start=date.today() - timedelta(days=400),
        end=date.today() - timedelta(days=220),
        theme="Regular pathways",
    )
