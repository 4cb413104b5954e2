"""The restore drill: the demo data is backed up with scripts/backup,
restored with scripts/restore into a scratch database (a new SQLite file; a
new PostgreSQL database when DATABASE_URL is PostgreSQL), and the restored
copy has the same row counts in its main tables, the same media files, and
serves a page. A non-empty target is refused without --force.

Everything runs in subprocesses, as an operator would run it, against
scratch databases of the test's own (never the test database); the
PostgreSQL ones carry a random name and are dropped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MAIN_MODELS = (
    "accounts.User",
    "members.Network",
    "members.Organization",
    "members.Membership",
    "members.Person",
    "members.ChairTerm",
    "members.MembershipApplication",
    "meetings.Meeting",
    "meetings.AgendaItem",
    "meetings.Participant",
    "workplans.Workplan",
    "workplans.Activity",
    "workplans.ProgressUpdate",
    "taskteams.TaskTeam",
)
# Counts the main tables and, with a page wanted, signs in as the demo
# secretariat and reads a meeting's page from the database in DATABASE_URL.
PROBE = """
import json, os, sys
import django
django.setup()
from django.apps import apps
from django.test import Client
from accounts.models import User
from meetings.models import Meeting
out = {"counts": {label: apps.get_model(label).objects.count() for label in sys.argv[1].split(",")}}
if len(sys.argv) > 2:
    client = Client()
    client.force_login(User.objects.get(email="secretariat@demo.example.org"))
    meeting = Meeting.objects.order_by("-start").first()
    response = client.get(f"/meetings/{meeting.pk}/", secure=True)
    out["page"] = {"status": response.status_code, "shows_a_meeting": meeting.title in response.content.decode()}
print(json.dumps(out))
"""


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


def _environment(tmp_path: Path, database_url: str, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHON=sys.executable,
        PYTHONUNBUFFERED="1",
        STATIC_MANIFEST="false",  # the probe renders a page; nothing was collected
    )
    return env


def _run(args: list[str], env: dict[str, str], *, ok: bool = True):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if ok and result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def _probe(env: dict[str, str], *, page: bool = False) -> dict:
    args = [sys.executable, "-c", PROBE, ",".join(MAIN_MODELS)] + (["page"] if page else [])
    return json.loads(_run(args, env).stdout.strip().splitlines()[-1])


class _Postgres:
    """Scratch databases on the server of DATABASE_URL, dropped at the end."""

    def __init__(self, url: str):
        self.config = dj_database_url.parse(url)
        self.names: list[str] = []

    def _admin(self):
        import psycopg

        params = {
            "host": self.config.get("HOST") or None,
            "port": self.config.get("PORT") or None,
            "user": self.config.get("USER") or None,
            "password": self.config.get("PASSWORD") or None,
        }
        return psycopg.connect(
            dbname="postgres",
            autocommit=True,
            **{k: v for k, v in params.items() if v},
        )

    def url(self, name: str) -> str:
        self.names.append(name)
        c = self.config
        auth = c["USER"] + (f":{c['PASSWORD']}" if c.get("PASSWORD") else "")
        return f"postgres://{auth}@{c['HOST'] or 'localhost'}:{c['PORT'] or 5432}/{name}"

    def create(self, name: str) -> str:
        url = self.url(name)
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return url

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """(source URL, target URL) for one engine: the target does not exist yet."""
    tag = uuid.uuid4().hex[:10]
    if request.param == "sqlite":
        yield (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        )
        return
    url = _postgres_url()
    if url is None:
        pytest.skip("the PostgreSQL drill runs when DATABASE_URL is a postgres:// URL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("the PostgreSQL drill needs pg_dump and pg_restore (postgresql-client)")
    server = _Postgres(url)
    try:
        yield server.create(f"sec_drill_{tag}_src"), server.url(f"sec_drill_{tag}_dst")
    finally:
        server.drop_all()


def test_the_demo_data_survives_a_backup_and_a_restore(tmp_path, databases):
    """Back up the demo data and a media file, restore into a new database
    and media folder: same row counts in every main table (and in all
    tables, checked by the restore itself against the manifest), the media
    file back, a page served from the restored copy; a second restore into
    the now non-empty database is refused and changes nothing, unless
    --force is given."""
    source_url, target_url = databases
    source = _environment(tmp_path, source_url, tmp_path / "media")
    target = _environment(tmp_path, target_url, tmp_path / "media-restored")
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "--noinput", "-v", "0"], source)
    _run([*manage, "seed_demo"], source)
    evidence = tmp_path / "media" / "workplans" / "evidence" / "2026" / "report.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    before = _probe(source)["counts"]
    assert all(before[label] > 0 for label in MAIN_MODELS), before

    archive = tmp_path / "backups" / "secretariat.tar.gz"
    _run(["bash", "scripts/backup", str(archive)], source)
    assert archive.exists() and archive.stat().st_mode & 0o077 == 0  # private to its owner
    listing = _run(["tar", "-tzf", str(archive)], source).stdout.split()
    assert "manifest.json" in listing and "media/workplans/evidence/2026/report.pdf" in listing
    manifest = json.loads(_run(["tar", "-xzOf", str(archive), "manifest.json"], source).stdout)
    assert manifest["app"] == "secretariat" and manifest["app_version"]
    assert manifest["row_counts"]["meetings_meeting"] == before["meetings.Meeting"]

    restored = _run(["bash", "scripts/restore", str(archive)], target)
    assert "Verified:" in restored.stdout
    after = _probe(target, page=True)
    assert after["counts"] == before
    assert after["page"] == {"status": 200, "shows_a_meeting": True}
    copy = tmp_path / "media-restored" / "workplans" / "evidence" / "2026" / "report.pdf"
    assert copy.read_bytes() == b"%PDF-1.4 evidence"

    refused = _run(["bash", "scripts/restore", str(archive)], target, ok=False)
    assert refused.returncode == 3
    assert "not empty" in refused.stderr
    assert _probe(target)["counts"] == before

    forced = _run(["bash", "scripts/restore", str(archive), "--force"], target)
    assert "Verified:" in forced.stdout
    assert _probe(target)["counts"] == before


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path):
    """An archive that is not a backup is refused before anything is written."""
    env = _environment(tmp_path, f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "m")
    bogus = tmp_path / "bogus.tar.gz"
    (tmp_path / "notes.txt").write_text("not a backup")
    subprocess.run(["tar", "-czf", str(bogus), "-C", str(tmp_path), "notes.txt"], check=True)
    result = _run(["bash", "scripts/restore", str(bogus)], env, ok=False)
    assert result.returncode != 0
    assert "not a Secretariat backup" in result.stderr
    assert not (tmp_path / "target.sqlite3").exists()
