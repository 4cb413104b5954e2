from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        # Approved minutes record their decisions in the register.
        from meetings.signals import minutes_approved

        from .services.minutes import on_minutes_approved

        minutes_approved.connect(on_minutes_approved, dispatch_uid="decisions.from_minutes")
