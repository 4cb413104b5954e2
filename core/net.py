from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person, not of our own reverse proxy, or None when
    the request carries no usable address (a Unix socket).

    The one answer for sign-in lockouts (axes calls it through
    AXES_CLIENT_IP_CALLABLE), the sign-in log and the per-address rate limits.

    Without BEHIND_TLS_PROXY only the socket address counts: anyone can send
    an X-Forwarded-For header, so it is ignored. Behind our TLS proxy, the
    proxy appends the address it saw to X-Forwarded-For; whatever a client
    wrote there itself sits to the left of it. So the right-most entry is
    the client (django-ipware's proxy_count=0: no other proxy of ours in
    the chain), and anything the client forged is never read. A request
    that reached the app without the header falls back to the socket.
    """
    if settings.BEHIND_TLS_PROXY:
        # strict=False: a longer chain (a client's forged entries, or its own
        # office proxy) is expected; strict would drop the header instead.
        address, _routable = get_client_ip(
            request,
            proxy_count=0,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address
