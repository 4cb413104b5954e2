from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from core.net import client_ip

from .middleware import session_start
from .models import SignInEvent


def _record(kind: str, request, user) -> None:
    if user is None or request is None:
        return
    SignInEvent.objects.create(
        user=user,
        kind=kind,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:255],
    )


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs) -> None:
    _record(SignInEvent.Kind.SIGN_IN, request, user)
    if request is not None and hasattr(request, "session"):
        session_start(request)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs) -> None:
    _record(SignInEvent.Kind.SIGN_OUT, request, user)
