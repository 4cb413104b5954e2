"""/healthz: 200 with the state of the database, the broker and the workers;
503 only when the database is gone (the app cannot serve without it)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from config.celery import app as celery_app
from core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def real_broker(settings):
    """/healthz as in production: not the eager mode the suite runs tasks in."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


@pytest.fixture
def broker_url():
    """Point the Celery app (not only Django's settings) at a Redis broker."""
    keys = ("broker_url", "broker_transport", "broker_transport_options")
    previous = {key: celery_app.conf[key] for key in keys}

    def set_url(url: str) -> None:
        celery_app.conf.broker_url = url
        # The URL's scheme decides the transport, not the embedded broker's.
        celery_app.conf.broker_transport = None
        celery_app.conf.broker_transport_options = {}

    yield set_url
    for key, value in previous.items():
        celery_app.conf[key] = value


@pytest.fixture
def fresh_heartbeat(db):
    return WorkerHeartbeat.objects.create(hostname="worker-1", seen_at=timezone.now())


def get_health(client):
    response = client.get("/healthz")
    assert response["Content-Type"].startswith("application/json")
    return response, response.json()


def test_healthz_answers_json_with_each_part(client):
    response, body = get_health(client)

    assert response.status_code == 200
    assert {"status", "time", "database", "broker", "workers"} <= body.keys()
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_needs_no_sign_in(client):
    # A load balancer or monitor calls it anonymously: no redirect to the login page.
    response = client.get("/healthz", follow=False)
    assert response.status_code == 200


def test_workers_ok_with_a_fresh_heartbeat(client, fresh_heartbeat):
    response, body = get_health(client)

    assert response.status_code == 200
    assert body["workers"]["ok"] is True
    assert body["workers"]["alive"] == ["worker-1"]
    assert body["status"] == "ok"


def test_no_heartbeat_at_all_is_degraded(client):
    response, body = get_health(client)

    assert response.status_code == 200
    assert body["workers"] == {"ok": False, "alive": [], "last_seen": None}
    assert body["status"] == "degraded"


def test_stale_heartbeat_is_degraded_but_still_200(client, settings):
    seen = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS + 5)
    WorkerHeartbeat.objects.create(hostname="worker-old", seen_at=seen)

    response, body = get_health(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["workers"]["ok"] is False
    assert body["workers"]["alive"] == []
    assert body["workers"]["last_seen"] == seen.isoformat()


def test_one_fresh_worker_among_stale_ones_is_enough(client, settings):
    stale = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS + 60)
    WorkerHeartbeat.objects.create(hostname="worker-old", seen_at=stale)
    WorkerHeartbeat.objects.create(hostname="worker-new", seen_at=timezone.now())

    _, body = get_health(client)

    assert body["workers"]["ok"] is True
    assert body["workers"]["alive"] == ["worker-new"]


def test_database_down_is_503(client):
    down = {"ok": False, "vendor": "postgresql", "error": "OperationalError"}
    with mock.patch("core.health.database_state", return_value=down):
        response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["database"] == down
    assert body["workers"]["ok"] is False


def test_database_raising_on_query_is_503(client, fresh_heartbeat):
    """The real database_state, with a connection whose cursor fails."""
    broken = mock.Mock(vendor="postgresql")
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("core.health.connection", broken):
        response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["database"] == {"ok": False, "vendor": "postgresql", "error": "OperationalError"}
    # The workers' heartbeats live in that database: not read, reported unknown.
    assert body["workers"]["ok"] is False


def test_broker_down_is_degraded_still_200_and_quick(
    client, real_broker, broker_url, fresh_heartbeat
):
    real_broker.REDIS_URL = UNREACHABLE_REDIS
    broker_url(UNREACHABLE_REDIS)
    started = time.monotonic()
    response, body = get_health(client)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is False
    assert body["broker"]["transport"] == "redis"
    assert body["database"]["ok"] is True
    assert body["workers"]["ok"] is True
    assert elapsed < 3, f"/healthz took {elapsed:.1f}s with the broker down"


def test_filesystem_broker_is_ok(client, real_broker, fresh_heartbeat, tmp_path):
    real_broker.REDIS_URL = ""
    real_broker.CELERY_BROKER_DIR = tmp_path / "celery-broker"

    _, body = get_health(client)

    assert body["broker"] == {"ok": True, "transport": "filesystem"}
    assert body["status"] == "ok"


def test_filesystem_broker_path_taken_by_a_file_is_not_ok(client, real_broker, tmp_path):
    blocked = tmp_path / "celery-broker"
    blocked.write_text("not a folder")
    real_broker.REDIS_URL = ""
    real_broker.CELERY_BROKER_DIR = blocked

    response, body = get_health(client)

    assert response.status_code == 200
    assert body["broker"]["ok"] is False
    assert body["status"] == "degraded"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis")
def test_redis_broker_up_is_ok(client, real_broker, broker_url, fresh_heartbeat):
    url = os.environ["REDIS_URL"]
    real_broker.REDIS_URL = url
    broker_url(url)
    _, body = get_health(client)

    assert body["broker"] == {"ok": True, "transport": "redis"}
    assert body["status"] == "ok"


@pytest.mark.parametrize("heartbeats", [0, 1, 12])
def test_healthz_uses_a_fixed_number_of_queries(client, heartbeats, django_assert_num_queries):
    now = timezone.now()
    WorkerHeartbeat.objects.bulk_create(
        WorkerHeartbeat(hostname=f"worker-{i}", seen_at=now - timedelta(seconds=i))
        for i in range(heartbeats)
    )
    # One `SELECT 1` for the database, one read of the latest heartbeats.
    with django_assert_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
