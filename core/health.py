"""The state of the parts the app depends on, for /healthz."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    from celery import current_app as app  # config.celery's app, current once Django started

    transport = "redis" if settings.REDIS_URL else "filesystem"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "transport": "eager"}
    if transport == "filesystem":
        folder = settings.CELERY_BROKER_DIR
        return {"ok": folder.is_dir() or not folder.exists(), "transport": transport}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}
    return {"ok": True, "transport": transport}


def workers_state() -> dict:
    from core.models import WorkerHeartbeat

    try:
        beats = list(WorkerHeartbeat.objects.order_by("-seen_at")[:10])
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    fresh_after = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    alive = [b for b in beats if b.seen_at >= fresh_after]
    return {
        "ok": bool(alive),
        "alive": [b.hostname for b in alive],
        "last_seen": beats[0].seen_at.isoformat() if beats else None,
    }


def health() -> tuple[int, dict]:
    db = database_state()
    broker = broker_state()
    workers = workers_state() if db["ok"] else {"ok": False, "error": "database unavailable"}
    status = (
        "ok"
        if db["ok"] and broker["ok"] and workers["ok"]
        else ("degraded" if db["ok"] else "down")
    )
    # The app can serve as long as its database answers: queued work waits
    # in the database for the broker and workers to come back.
    return (200 if db["ok"] else 503), {
        "status": status,
        "time": timezone.now().isoformat(),
        "database": db,
        "broker": broker,
        "workers": workers,
    }
