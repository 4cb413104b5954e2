"""New terms of reference documents are stored under a name the server makes (core.files.UploadTo);
the sender's name is kept in `tor_document_name` for the download. Files stored
before keep their path; their name is taken from it."""

import core.files
from django.db import migrations, models


def names_from_paths(apps, schema_editor):
    Model = apps.get_model("taskteams", "TaskTeam")
    for row in Model.objects.exclude(tor_document="").only("pk", "tor_document").iterator():
        Model.objects.filter(pk=row.pk).update(
            tor_document_name=core.files.upload_display_name(row.tor_document.name)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('taskteams', '0002_text_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltaskteam',
            name='tor_document_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='terms of reference file name'),
        ),
        migrations.AddField(
            model_name='taskteam',
            name='tor_document_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='terms of reference file name'),
        ),
        migrations.AlterField(
            model_name='taskteam',
            name='tor_document',
            field=models.FileField(blank=True, upload_to=core.files.UploadTo('taskteams/{instance.network_id}'), verbose_name='terms of reference (document)'),
        ),
        migrations.RunPython(names_from_paths, migrations.RunPython.noop),
    ]
