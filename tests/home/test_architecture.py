"""The floors of the code (ARCHITECTURE.md): the import contracts hold, the
apps are installed in the order of the floors, and each app brings its own
parts of the shared pages through the registry."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from core.registry import RegistryError, registry

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = [
    "core",
    "notifications",
    "accounts",
    "members",
    "meetings",
    "taskteams",
    "workplans",
    "decisions",
    "documents",
    "reports",
    "home",
]


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def test_the_import_contracts_hold():
    """lint-imports (import-linter's layers and forbidden contracts): no app
    imports from a floor above it, core imports no app, the dashboard names
    no app's models. scripts/test runs the same command."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_installed_apps_follow_the_floors():
    """INSTALLED_APPS lists the product's apps ground first, the reverse of
    the layers contract (whose top is config): loaders and builders run in
    this order."""
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    installed = [c.label for c in apps.get_app_configs() if c.label in PRODUCT_APPS]
    assert installed == PRODUCT_APPS
    assert [layer for layer in reversed(layers) if layer != "config"] == PRODUCT_APPS


def test_core_is_the_ground():
    """core is the lowest layer: the contract would refuse any import of an app."""
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    assert layers[-1] == "core"


def test_every_app_registers_its_parts():
    """Each app's parts.py was found: the dashboard, the menu, the demo and
    the benchmarks are made of what the apps registered."""
    assert {p.app for p in registry.panels} == {
        "members",
        "meetings",
        "workplans",
        "decisions",
        "documents",
        "notifications",
        "reports",
    }
    assert {e.app for e in registry.menu} >= {
        "home",
        "accounts",
        "members",
        "meetings",
        "taskteams",
        "workplans",
        "decisions",
        "documents",
    }
    assert [d.app for d in registry.by_floor(registry.demo)] == [
        "members",
        "meetings",
        "taskteams",
        "workplans",
        "decisions",
        "documents",
    ]
    assert [s.app for s in registry.by_floor(registry.scale)] == ["members", "documents"]
    assert {s.app for s in registry.sitemap} >= {"members"}
    assert {b.app for b in registry.bench} == {
        "home",
        "members",
        "meetings",
        "taskteams",
        "workplans",
        "decisions",
        "documents",
    }


def test_every_menu_entry_and_panel_template_exists():
    """A registered link reverses, and each panel's template loads."""
    from django.template.loader import get_template

    for entry in registry.menu:
        assert reverse(entry.url_name)
    for panel in registry.panels:
        assert get_template(panel.template)


def test_a_part_registered_twice_is_refused():
    with pytest.raises(RegistryError, match="twice"):
        registry.menu_entry(
            "members", "Members", "members:directory", order=1, visible=lambda a, u: True
        )


def test_a_part_of_an_unknown_app_is_refused():
    with pytest.raises(RegistryError, match="not an installed app"):
        registry.demo_loader("minutes", lambda demo: None)


def test_an_unknown_section_is_refused():
    with pytest.raises(RegistryError, match="section"):
        registry.menu_entry(
            "home", "Elsewhere", "home", order=1, visible=lambda a, u: True, section="footer"
        )
    with pytest.raises(RegistryError, match="section"):
        registry.dashboard_panel("home", order=1, template="x.html", section="sidebar")


@pytest.mark.django_db
def test_two_panels_giving_one_key_are_refused(client, monkeypatch):
    """The dashboard merges a section's panel data by key; a second panel
    giving a key another already gave would silently replace its figures."""
    from core.registry import DashboardPanel
    from tests.factories import NetworkFactory, UserFactory

    NetworkFactory()
    panels = [
        DashboardPanel("home", f"clash_{n}", "home/home.html", lambda r, a, n: {"count": 1}, n)
        for n in (1, 2)
    ]
    monkeypatch.setattr(registry, "panels", [*registry.panels, *panels])
    client.force_login(UserFactory())
    with pytest.raises(RegistryError, match="'clash_1' and 'clash_2' both give 'count'"):
        client.get(reverse("home"))
