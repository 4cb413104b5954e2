"""What each app contributes to the pages and commands that show every app.

The dashboard, the menu, `seed_demo`, `seed_scale` and `bench_pages` belong to
the roof (the `home` app); none of them names an app's models. Each app says
what it brings in its own `parts.py`, which the roof imports at start-up (as
Django's admin imports every `admin.py`):

    from core import registry

    @registry.dashboard_panel(
        "meetings", order=40, template="meetings/panels/next_meetings.html"
    )
    def next_meetings(request, actor, network) -> dict | None: ...

    registry.menu_entry("meetings", _("Meetings"), "meetings:list", order=30,
                        visible=lambda actor, user: user.is_authenticated)
    registry.demo_loader("meetings", load_meetings)

    @registry.page_section("decisions", place="meetings.minutes", order=10,
                           template="decisions/parts/minutes.html")
    def minutes_decisions(request, actor, meeting) -> dict | None: ...

Everything is kept in order: dashboard panels and menu entries by `order`,
demo loaders, scale builders and benchmark pages by the floor of their app
(`INSTALLED_APPS`, ground first), so a loader always finds the rows of the
apps below it. This module imports no app: what it holds is callables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps


class RegistryError(Exception):
    """A part registered twice under one name, or by an app that is not installed."""


@dataclass(frozen=True)
class DashboardPanel:
    """A part of the dashboard. `data(request, actor, network)` returns what
    its template shows (as `data`), or None when it has nothing for this user.

    `section` "network" is shown to everyone under the current network's name
    (never called without a network); "for_you" is what waits for a signed-in
    user (never called for an anonymous one), given the network the dashboard
    shows, or None for all the user's networks: a panel about a network's
    records keeps to it, one about the user (their chair terms) need not. Each section's data is also
    merged, by key, into one dict of the page (`network_data`, `waiting`), so
    panel names are unique (checked here) and so are the keys of a section's
    data (checked by the dashboard, which refuses two panels giving one key)."""

    app: str
    name: str
    template: str
    data: Callable[[Any, Any, Any], dict | None]
    order: int
    section: str = "for_you"


@dataclass(frozen=True)
class MenuEntry:
    """A link of the header. `section` is "main" (the menu bar) or "account"
    (the user's dropdown); `visible(actor, user)` says who sees it, and must
    only say yes to a user who may open the page."""

    app: str
    label: Any  # a lazy translation
    url_name: str
    order: int
    visible: Callable[[Any, Any], bool]
    section: str = "main"


@dataclass(frozen=True)
class WorkCounter:
    """How much waits for a user in each network (`count(actor)` ->
    {network id: count}): the items of this app that the dashboard's panels
    would list. It picks the network a user starts on at sign-in and tells
    the dashboard where else work waits; one or two queries, no more."""

    app: str
    count: Callable[[Any], dict[int, int]]


@dataclass(frozen=True)
class DemoLoader:
    """Loads an app's part of the demo. `load(demo)` reads what the apps
    below put on the `core.seeding.DemoData` and adds its own. `accounts`
    are rows (role, e-mail, password, what to try) printed at the end."""

    app: str
    load: Callable[[Any], None]
    accounts: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class ScaleBuilder:
    """An app's part of the synthetic data set (`seed_scale`).

    `add_arguments(parser)` adds its options; `check(options)` returns what is
    wrong with them (messages; called for every builder before anything is
    deleted or written); `loaded()` says whether any of its rows exist; `delete()` removes them and returns counts by name (called top
    floor first); `build(options)` writes them (ground first) and returns
    counts by name. Each builder marks its rows (a prefix in a natural key),
    so the builders above find the rows below them by those marks."""

    app: str
    add_arguments: Callable[[Any], None]
    loaded: Callable[[], bool]
    delete: Callable[[], dict[str, int]]
    build: Callable[[dict], dict[str, int]]
    describe: str = ""
    check: Callable[[dict], list[str]] = lambda options: []


@dataclass(frozen=True)
class BenchPage:
    label: str
    url: str
    signed_in: bool


@dataclass(frozen=True)
class BenchPages:
    """The pages `bench_pages` times for this app: `pages()` picks them from
    the current data (none when there is nothing to show), `counts()` says
    how much data there is."""

    app: str
    pages: Callable[[], Iterable[BenchPage]]
    counts: Callable[[], dict[str, int]] = lambda: {}


@dataclass(frozen=True)
class PageSection:
    """A part that an app adds to a page of an app below it, at a named
    `place` of that page ("meetings.minutes"): `data(request, actor, obj)`
    returns what `template` shows (as `part`), or None when it has nothing
    for this user. The page asks `registry.page_sections(place, ...)` and
    includes what comes back; it never names the app above it."""

    app: str
    place: str
    name: str
    template: str
    data: Callable[[Any, Any, Any], dict | None]
    order: int


@dataclass(frozen=True)
class SitemapSection:
    """What an app lists in /sitemap.xml: a django.contrib.sitemaps Sitemap
    of the pages anyone may open, under a section name."""

    app: str
    name: str
    sitemap: Any


@dataclass(frozen=True)
class ShownSection:
    template: str
    data: dict


@dataclass
class Registry:
    panels: list[DashboardPanel] = field(default_factory=list)
    menu: list[MenuEntry] = field(default_factory=list)
    demo: list[DemoLoader] = field(default_factory=list)
    scale: list[ScaleBuilder] = field(default_factory=list)
    bench: list[BenchPages] = field(default_factory=list)
    work: list[WorkCounter] = field(default_factory=list)
    sections: list[PageSection] = field(default_factory=list)
    search: list = field(default_factory=list)
    sitemap: list[SitemapSection] = field(default_factory=list)
    _keys: set[tuple] = field(default_factory=set, repr=False)

    def _add(self, kind: list, item, key: tuple) -> None:
        if item.app not in _labels():
            raise RegistryError(f"{item.app!r} is not an installed app")
        if key in self._keys:
            raise RegistryError(f"{key!r} is registered twice")
        self._keys.add(key)
        kind.append(item)

    # --- registering ------------------------------------------------------------
    def dashboard_panel(
        self, app: str, *, order: int, template: str, section: str = "for_you", name: str = ""
    ):
        """Decorator: the function gives the panel's data."""
        if section not in ("network", "for_you"):
            raise RegistryError(f"unknown dashboard section {section!r}")

        def register(func: Callable[[Any, Any, Any], dict | None]):
            panel = DashboardPanel(app, name or func.__name__, template, func, order, section)
            self._add(self.panels, panel, ("panel", panel.name))
            return func

        return register

    def menu_entry(
        self,
        app: str,
        label,
        url_name: str,
        *,
        order: int,
        visible: Callable[[Any, Any], bool],
        section: str = "main",
    ) -> None:
        if section not in ("main", "account"):
            raise RegistryError(f"unknown menu section {section!r}")
        entry = MenuEntry(app, label, url_name, order, visible, section)
        self._add(self.menu, entry, ("menu", url_name))

    def page_section(self, app: str, *, place: str, order: int, template: str, name: str = ""):
        """Decorator: the function gives the section's data for one object."""

        def register(func: Callable[[Any, Any, Any], dict | None]):
            section = PageSection(app, place, name or func.__name__, template, func, order)
            self._add(self.sections, section, ("section", place, section.name))
            return func

        return register

    def page_sections(self, place: str, request, actor, obj) -> list[ShownSection]:
        """The sections of `place` that have something for this user, in order."""
        shown = []
        for section in sorted(
            (s for s in self.sections if s.place == place), key=lambda s: (s.order, s.name)
        ):
            data = section.data(request, actor, obj)
            if data is not None:
                shown.append(ShownSection(section.template, data))
        return shown

    def search_source(self, source) -> None:
        """A kind of record the search finds (core.search.SearchSource); its
        entries are kept current from here on."""
        from .search import connect

        self._add(self.search, source, ("search", source.kind))
        connect(source)

    def search_sources(self) -> list:
        return sorted(self.search, key=lambda s: (s.order, s.kind))

    def sitemap_section(self, app: str, name: str, sitemap) -> None:
        """Public pages of the app for /sitemap.xml (a Sitemap class)."""
        self._add(self.sitemap, SitemapSection(app, name, sitemap), ("sitemap", name))

    def sitemaps(self) -> dict:
        return {s.name: s.sitemap for s in self.by_floor(self.sitemap)}

    def work_counter(self, app: str, count: Callable[[Any], dict[int, int]]) -> None:
        self._add(self.work, WorkCounter(app, count), ("work", app))

    def work_by_network(self, actor) -> dict[int, int]:
        """Every app's waiting items for this user, added up per network."""
        total: dict[int, int] = {}
        for counter in self.by_floor(self.work):
            for network_id, n in counter.count(actor).items():
                if n:
                    total[network_id] = total.get(network_id, 0) + n
        return total

    def demo_loader(self, app: str, load: Callable[[Any], None], *, accounts=()) -> None:
        self._add(self.demo, DemoLoader(app, load, tuple(accounts)), ("demo", app))

    def scale_builder(self, builder: ScaleBuilder) -> None:
        self._add(self.scale, builder, ("scale", builder.app))

    def bench_pages(self, app: str, pages, *, counts=None) -> None:
        extra = {} if counts is None else {"counts": counts}
        self._add(self.bench, BenchPages(app, pages, **extra), ("bench", app))

    # --- reading, in order ------------------------------------------------------------
    def ordered_panels(self, section: str) -> list[DashboardPanel]:
        return sorted(
            (p for p in self.panels if p.section == section), key=lambda p: (p.order, p.name)
        )

    def menu_entries(self, section: str) -> list[MenuEntry]:
        return sorted((e for e in self.menu if e.section == section), key=lambda e: e.order)

    def by_floor(self, kind: list) -> list:
        """Ground first: in the order of INSTALLED_APPS (the floors)."""
        order = _labels()
        return sorted(kind, key=lambda item: order.index(item.app))


def _labels() -> list[str]:
    return [config.label for config in apps.get_app_configs()]


registry = Registry()

dashboard_panel = registry.dashboard_panel
menu_entry = registry.menu_entry
work_counter = registry.work_counter
demo_loader = registry.demo_loader
scale_builder = registry.scale_builder
bench_pages = registry.bench_pages
page_section = registry.page_section
page_sections = registry.page_sections
search_source = registry.search_source
sitemap_section = registry.sitemap_section
sitemaps = registry.sitemaps
