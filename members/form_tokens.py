"""The public application form's anti-automation token (the signed start
time of ApplicationForm.started) is good for one submission: a replayed
POST, by a script or by the back button, is refused.

The token's id is a hash of the signed token itself: the payload holds the
time the form was shown, to the microsecond, so no two forms share one.
Used ids sit in the cache (local memory, or Redis when REDIS_URL is set)
until the token would have expired anyway. With the local-memory cache each
web process keeps its own list, so run one process, or Redis, to make the
rule hold across processes."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

log = logging.getLogger(__name__)

# Longer than the token's own life (7 days, ApplicationForm.clean_started).
USED_FOR_SECONDS = 8 * 24 * 3600


def _key(token: str) -> str:
    return "apply-token:" + hashlib.sha256(token.encode()).hexdigest()[:40]


def claim(token: str) -> bool:
    """Mark the token used; False if it was used already. cache.add is atomic
    (a lock in local memory, SET NX on Redis), so of two submissions racing
    with one token only one gets True. A cache outage lets it through, as
    the rate limit does: it must not close the form."""
    try:
        return cache.add(_key(token), 1, timeout=USED_FOR_SECONDS)
    except Exception:
        log.warning("Cache unavailable; application form token not checked", exc_info=True)
        return True


def release(token: str) -> None:
    """Give the token back when the submission it carried saved nothing."""
    try:
        cache.delete(_key(token))
    except Exception:
        log.warning("Cache unavailable; application form token not released", exc_info=True)
