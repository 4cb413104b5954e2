from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the person, not of our own reverse proxy. Behind a TLS
    proxy (BEHIND_TLS_PROXY=true) the proxy appends the client's address to
    X-Forwarded-For; the last entry is the one our proxy saw, so trust it."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")
