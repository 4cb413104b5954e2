"""seed_demo, composed from each app's loader (core.registry), loads the same
data as before the apps brought their own loaders: the row count of every
model of the product, history tables included, as recorded in
seed_demo_counts.json on the last commit before the restructuring.

When an app adds demo data on purpose, update the file with it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

EXPECTED = json.loads((Path(__file__).with_name("seed_demo_counts.json")).read_text())


def _counts() -> dict[str, int]:
    labels = {label.split(".")[0] for label in EXPECTED}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


@pytest.mark.django_db
def test_seed_demo_loads_the_same_rows_per_model():
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == EXPECTED


@pytest.mark.django_db
def test_seed_demo_prints_every_apps_accounts_and_counts():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    for heading in ("Organizations", "Meetings", "Task teams", "Workplans", "Progress updates"):
        assert heading in text
    for email in ("admin@demo.example.org", "focal@demo.example.org", "applicant@demo.example.org"):
        assert email in text
    assert "All demo accounts use the password: demo-password-2026" in text
