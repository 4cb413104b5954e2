"""Refuse overlapping chair terms in one network in the database itself, so a
race between two requests cannot slip past the check in the service."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE members_chairterm ADD CONSTRAINT chairterm_no_overlap
       EXCLUDE USING gist (network_id WITH =, daterange(start, "end", '[]') WITH &&)""",
]
PG_BACKWARD = ["ALTER TABLE members_chairterm DROP CONSTRAINT IF EXISTS chairterm_no_overlap"]

_SQLITE_BODY = """
BEGIN
  SELECT RAISE(ABORT, 'chairterm_no_overlap')
  WHERE EXISTS (
    SELECT 1 FROM members_chairterm t
    WHERE t.network_id = NEW.network_id AND t.id != NEW.id
      AND t.start <= NEW."end" AND t."end" >= NEW.start
  );
END"""
SQLITE_FORWARD = [
    "CREATE TRIGGER chairterm_no_overlap_insert BEFORE INSERT ON members_chairterm" + _SQLITE_BODY.replace("t.id != NEW.id", "1"),
    "CREATE TRIGGER chairterm_no_overlap_update BEFORE UPDATE ON members_chairterm" + _SQLITE_BODY,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS chairterm_no_overlap_insert",
    "DROP TRIGGER IF EXISTS chairterm_no_overlap_update",
]


def forward(apps, schema_editor):
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
