from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_on_your_network

        user_logged_in.connect(start_on_your_network, dispatch_uid="members.start_network")
