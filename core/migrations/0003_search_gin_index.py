"""The GIN index of the search vectors, on PostgreSQL only (SQLite searches
with a simpler match and has no such index)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS core_searchentry_vector_gin "
    "ON core_searchentry USING gin (search_vector)"
)
DROP = "DROP INDEX IF EXISTS core_searchentry_vector_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_entry")]

    operations = [migrations.RunPython(create, drop)]
