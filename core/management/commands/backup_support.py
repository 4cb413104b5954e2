"""The database half of scripts/backup and scripts/restore (the scripts
handle the archive and the media folder). Not meant to be run by hand.

    backup_support describe                 # the settings the scripts need, as shell assignments
    backup_support dump WORKDIR             # WORKDIR/database.{dump,sqlite3} + WORKDIR/manifest.json
    backup_support prepare-target [--force] # create the target database if missing; refuse a non-empty one
    backup_support load WORKDIR [--force]   # restore WORKDIR/database.* into DATABASE_URL
    backup_support verify WORKDIR           # row counts of the restored database == the manifest's

PostgreSQL is dumped with `pg_dump -Fc` inside a REPEATABLE READ snapshot
that the row counts of the manifest are taken in too, so on a live system
the counts describe exactly what the dump holds. SQLite is copied with its
online backup API (consistent while the app writes), and counted from the
copy. Every table of every installed model is counted (history and
many-to-many tables included).
"""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

FORMAT_VERSION = 1
NOT_EMPTY_EXIT = 3


def model_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables | {"django_migrations"})


def _counts(execute) -> dict[str, int]:
    counts = {}
    for table in model_tables():
        counts[table] = execute(f'SELECT COUNT(*) FROM "{table}"')
    return counts


def _db() -> dict:
    return settings.DATABASES["default"]


def engine() -> str:
    vendor = _db()["ENGINE"].rsplit(".", 1)[-1]
    if vendor.startswith("postgres"):
        return "postgresql"
    if vendor == "sqlite3":
        return "sqlite"
    raise CommandError(f"Backups support PostgreSQL and SQLite, not {_db()['ENGINE']}.")


def pg_env() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: no password on a command line."""
    db = _db()
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = db["NAME"]
    return env


def app_version() -> str:
    try:
        version = metadata.version("secretariat")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version}+{commit}" if commit else version


def latest_migrations(execute_rows) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in execute_rows("SELECT app, name FROM django_migrations ORDER BY app, name"):
        latest[app] = name
    return latest


class Command(BaseCommand):
    help = "Database steps of scripts/backup and scripts/restore."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action", choices=["describe", "dump", "prepare-target", "load", "verify"]
        )
        parser.add_argument("workdir", nargs="?")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, action: str, workdir: str | None, force: bool, **options) -> None:
        if action == "describe":
            return self.describe()
        if action == "prepare-target":
            return self.prepare_target(force=force)
        if not workdir:
            raise CommandError(f"{action} needs a working folder")
        work = Path(workdir)
        if action == "dump":
            return self.dump(work)
        if action == "load":
            return self.load(work, force=force)
        return self.verify(work)

    # --- describe -------------------------------------------------------------------

    def describe(self) -> None:
        values = {
            "ENGINE": engine(),
            "DB_NAME": str(_db()["NAME"]),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "VAR_DIR": str(settings.VAR_DIR),
        }
        for key, value in values.items():
            self.stdout.write(f"{key}={shlex.quote(value)}")

    # --- backup ---------------------------------------------------------------------

    def dump(self, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        kind = engine()
        if kind == "postgresql":
            database, counts, migrations = self._dump_postgresql(work)
        else:
            database, counts, migrations = self._dump_sqlite(work)
        manifest = {
            "format_version": FORMAT_VERSION,
            "app": "secretariat",
            "app_version": app_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": kind,
            "database_file": database,
            "source_database": Path(str(_db()["NAME"])).name,
            "migrations": migrations,
            "row_counts": counts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        total = sum(counts.values())
        self.stdout.write(f"Database: {kind}, {len(counts)} tables, {total} rows.")

    def _dump_postgresql(self, work: Path):
        target = work / "database.dump"
        with transaction.atomic(), connection.cursor() as cursor:
            # The counts and pg_dump read the same snapshot of the database.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]

            def one(sql):
                cursor.execute(sql)
                return cursor.fetchone()[0]

            def rows(sql):
                cursor.execute(sql)
                return cursor.fetchall()

            counts = _counts(one)
            migrations = latest_migrations(rows)
            result = subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 "-f", str(target)],
                env=pg_env(),
                capture_output=True,
                text=True,
            )  # fmt: skip
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return target.name, counts, migrations

    def _dump_sqlite(self, work: Path):
        source_path = Path(str(_db()["NAME"]))
        if not source_path.exists():
            raise CommandError(f"No SQLite database at {source_path}")
        target = work / "database.sqlite3"
        source = sqlite3.connect(source_path, timeout=30)  # read only by the backup
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one step: a consistent copy while others write
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            counts = _counts(lambda sql: copy.execute(sql).fetchone()[0])
            migrations = latest_migrations(lambda sql: copy.execute(sql).fetchall())
        finally:
            copy.close()
            source.close()
        return target.name, counts, migrations

    # --- restore --------------------------------------------------------------------

    def _table_count(self) -> int:
        return len(connection.introspection.table_names())

    def prepare_target(self, *, force: bool) -> None:
        """Create a missing PostgreSQL database; exit NOT_EMPTY_EXIT when the
        target already has tables and --force was not given."""
        if engine() == "postgresql":
            self._create_pg_database_if_missing()
        else:
            Path(str(_db()["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        tables = self._table_count()
        if tables and not force:
            self.stderr.write(
                f"The target database {_db()['NAME']} is not empty ({tables} tables). "
                "Restore into an empty database, or give --force to replace its content."
            )
            sys.exit(NOT_EMPTY_EXIT)
        if tables:
            self.stdout.write(f"The target has {tables} tables: --force, replacing them.")

    def _create_pg_database_if_missing(self) -> None:
        import psycopg
        from psycopg import sql

        db = _db()
        params = {
            k: v
            for k, v in {
                "host": db.get("HOST"),
                "port": db.get("PORT"),
                "user": db.get("USER"),
                "password": db.get("PASSWORD"),
            }.items()
            if v
        }
        try:
            psycopg.connect(dbname=db["NAME"], connect_timeout=5, **params).close()
        except psycopg.OperationalError as exc:
            if "does not exist" not in str(exc):
                raise CommandError(f"Cannot connect to the target database: {exc}") from exc
            with psycopg.connect(
                dbname="postgres", autocommit=True, connect_timeout=5, **params
            ) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            self.stdout.write(f"Created the PostgreSQL database {db['NAME']}.")

    def _manifest(self, work: Path) -> dict:
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"The archive has no readable manifest.json: {exc}") from exc
        if manifest.get("format_version") != FORMAT_VERSION or manifest.get("app") != "secretariat":
            raise CommandError("This archive is not a Secretariat backup this version can read.")
        if manifest["engine"] != engine():
            raise CommandError(
                f"The backup is of a {manifest['engine']} database; DATABASE_URL points at "
                f"{engine()}. Restore into the same kind of database."
            )
        return manifest

    def load(self, work: Path, *, force: bool) -> None:
        manifest = self._manifest(work)
        source = work / manifest["database_file"]
        if engine() == "postgresql":
            command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction"]
            if force:
                command += ["--clean", "--if-exists"]
            connection.close()  # no session of ours in the way
            result = subprocess.run(
                [*command, "-d", str(_db()["NAME"]), str(source)],
                env=pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            connection.close()
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            target = sqlite3.connect(str(_db()["NAME"]), timeout=30)
            try:
                backup.backup(target)  # replaces the target's whole content
            finally:
                target.close()
                backup.close()
        self.stdout.write(f"Database restored from a backup of {manifest['created_at']}.")

    def verify(self, work: Path) -> None:
        manifest = self._manifest(work)
        present = set(connection.introspection.table_names())
        missing = sorted(set(manifest["row_counts"]) - present)
        if missing:
            raise CommandError(f"Tables missing after the restore: {', '.join(missing)}")
        with connection.cursor() as cursor:

            def one(sql):
                cursor.execute(sql)
                return cursor.fetchone()[0]

            counts = {
                table: one(f'SELECT COUNT(*) FROM "{table}"') for table in manifest["row_counts"]
            }
        wrong = {
            table: (expected, counts[table])
            for table, expected in manifest["row_counts"].items()
            if counts[table] != expected
        }
        if wrong:
            lines = [f"  {t}: {e} in the backup, {g} restored" for t, (e, g) in wrong.items()]
            raise CommandError("Row counts differ after the restore:\n" + "\n".join(lines))
        total = sum(counts.values())
        self.stdout.write(f"Verified: {len(counts)} tables, {total} rows, as in the backup.")
