"""Fixed-window request counters in the cache (local memory or Redis)."""

from __future__ import annotations

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def within_limit(key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one request against `key`: True while this window (which opens at
    the first request) holds at most `limit` of them. add and incr are atomic
    on both caches, so parallel requests cannot both take the last place. A
    cache outage lets the request through: it must not close a form."""
    try:
        if cache.add(key, 1, timeout=window_seconds):
            return limit >= 1
        try:
            return cache.incr(key) <= limit
        except ValueError:  # the window closed between add and incr
            cache.add(key, 1, timeout=window_seconds)
            return limit >= 1
    except Exception:
        log.warning("Cache unavailable; rate limit %s not applied", key, exc_info=True)
        return True
