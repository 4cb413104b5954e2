"""The kinds of document every network starts with (the admin adds more)."""

from django.db import migrations

KINDS = (
    ("joint-document", "Joint document or publication"),
    ("statement", "Statement"),
    ("briefing-note", "Briefing note"),
    ("terms-of-reference", "Terms of reference"),
    ("report", "Report"),
    ("correspondence", "Correspondence"),
    ("background-paper", "Background paper"),
)


def add_kinds(apps, schema_editor):
    DocumentKind = apps.get_model("documents", "DocumentKind")
    for order, (slug, name) in enumerate(KINDS, 1):
        DocumentKind.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
