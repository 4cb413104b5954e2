"""The embedded default under load: a real Celery worker (two processes) and
two web-side processes writing at once to one SQLite file, mail going to a
real SMTP server that counts what each recipient got.

Before: the worker sent a message, then could not record it ("database is
locked": its read transaction could not become a write one while the web side
wrote), rolled back and its retry sent the message again. Now the message is
claimed before it is sent and SQLite runs in WAL with immediate transactions
and a busy timeout: every recipient gets exactly one message.

pytest-django's SQLite test database lives in memory, in this process; the
worker and the web side here are processes of their own, as in production, so
they share a migrated database file under tmp_path (the settings' own default,
VAR_DIR/secretariat.sqlite3) and the embedded filesystem broker beside it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.notifications.conftest import running_smtp_server

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 2
MESSAGES_PER_WRITER = 30

WEB_SIDE = """
import sys, django
django.setup()
from django.db import transaction
from django.utils import timezone
from core.models import WorkerHeartbeat
from notifications.outbox import email_queue

writer, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    # A request that reads, then writes, then queues a mail: the pattern that
    # cannot upgrade its lock when another process wrote in between.
    with transaction.atomic():
        beat, _ = WorkerHeartbeat.objects.get_or_create(
            hostname=f"web-{writer}", defaults={"seen_at": timezone.now()}
        )
        beat.seen_at = timezone.now()
        beat.save(update_fields=["seen_at"])
        email_queue(
            to=f"person{i}@writer{writer}.example.org",
            subject=f"Agenda {i}",
            body="The agenda is attached.",
            dedupe_key=f"load:{writer}:{i}",
        )
    # Other writes between requests, outside any transaction.
    WorkerHeartbeat.objects.filter(hostname=f"web-{writer}").update(seen_at=timezone.now())
print("done", writer)
"""


def _environment(var_dir: Path, smtp_port: int) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=str(var_dir),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="10",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


def _states(db_path: Path) -> Counter:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=20) as db:
        rows = db.execute("SELECT status, COUNT(*) FROM notifications_outboundemail GROUP BY 1")
        return Counter(dict(rows.fetchall()))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.celery_worker
def test_a_real_worker_and_web_writers_on_one_sqlite_file_send_each_message_once(tmp_path):
    """60 messages queued by two web processes, each in a request that also
    reads and writes another table, while a worker of two processes sends:
    every message SENT after one attempt, each recipient received exactly one
    message, and no process died of "database is locked"."""
    var_dir = tmp_path / "var"
    db_path = var_dir / "secretariat.sqlite3"
    total = WRITERS * MESSAGES_PER_WRITER
    # A slow mail server keeps the worker busy while the web side writes.
    with running_smtp_server(delay=0.05) as (port, smtp):
        env = _environment(var_dir, port)
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert migrate.returncode == 0, migrate.stderr

        worker_log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        writers = []
        try:
            writers = [
                subprocess.Popen(
                    [sys.executable, "-c", WEB_SIDE, str(n), str(MESSAGES_PER_WRITER)],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for n in range(WRITERS)
            ]
            for writer in writers:
                out, err = writer.communicate(timeout=300)
                assert writer.returncode == 0, err[-3000:]

            deadline = time.monotonic() + 240
            while _states(db_path)["sent"] < total and time.monotonic() < deadline:
                time.sleep(0.5)
            # Anything that would arrive twice (a retry) has had time to.
            time.sleep(3)
        finally:
            for process in [*writers, worker]:
                _stop(process)
            worker_log.close()

    log = (tmp_path / "worker.log").read_text()
    assert _states(db_path) == Counter({"sent": total}), log[-3000:]
    expected = Counter(
        {
            f"person{i}@writer{w}.example.org": 1
            for w in range(WRITERS)
            for i in range(MESSAGES_PER_WRITER)
        }
    )
    assert smtp.received == expected, log[-3000:]
    assert "database is locked" not in log
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        attempts = db.execute("SELECT DISTINCT attempts FROM notifications_outboundemail")
        assert attempts.fetchall() == [(1,)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
