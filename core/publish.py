"""Publishing a Celery task from a web request without waiting on a broker
that is down. Every product app that hands work to a worker from a request
uses `publish_once`: one connection attempt, no publish retry, never raises.
The caller decides what happens when it returns False (the outbox flush picks
the work up, or the request does it itself)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def publish_once(
    task: Any, *, args: list | tuple = (), kwargs: dict | None = None, what: str = ""
) -> bool:
    """Send `task` with one connection attempt. True when the broker took it.

    Kombu's default retries the connection for the whole connect timeout and
    then retries the publish; a request in a broker outage would wait seconds
    per call. In eager mode (tests, a bare debug run) it runs the task inline."""
    from celery import current_app as app  # config.celery's app, current once Django started

    kwargs = kwargs or {}
    try:
        if app.conf.task_always_eager:
            task.apply_async(args=args, kwargs=kwargs)
            return True
        with app.pool.acquire(block=True, timeout=2) as connection:
            connection.ensure_connection(max_retries=0)
            task.apply_async(args=args, kwargs=kwargs, connection=connection, retry=False)
    except Exception as exc:  # broker down: the caller's fallback takes over
        log.warning("Broker unavailable (%s); %s", exc, what or f"{task.name} not published")
        return False
    return True
