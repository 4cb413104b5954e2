from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class HomeConfig(AppConfig):
    """The roof: the home page and dashboard, the menu, and the commands that
    load or measure every app (seed_demo, seed_scale, bench_pages). It is the
    only app that knows every other; what it shows comes from the parts each
    app registers in its `parts.py` (core.registry)."""

    name = "home"
    verbose_name = "Home"

    def ready(self) -> None:
        autodiscover_modules("parts")
