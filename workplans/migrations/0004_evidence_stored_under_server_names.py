"""New evidence files are stored under a name the server makes (core.files.UploadTo);
the sender's name is kept in `evidence_file_name` for the download. Files stored
before keep their path; their name is taken from it."""

import core.files
from django.db import migrations, models


def names_from_paths(apps, schema_editor):
    Model = apps.get_model("workplans", "ProgressUpdate")
    for row in Model.objects.exclude(evidence_file="").only("pk", "evidence_file").iterator():
        Model.objects.filter(pk=row.pk).update(
            evidence_file_name=core.files.upload_display_name(row.evidence_file.name)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('workplans', '0003_progress_history_and_text_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprogressupdate',
            name='evidence_file_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='evidence file name'),
        ),
        migrations.AddField(
            model_name='progressupdate',
            name='evidence_file_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='evidence file name'),
        ),
        migrations.AlterField(
            model_name='progressupdate',
            name='evidence_file',
            field=models.FileField(blank=True, upload_to=core.files.UploadTo('workplans/evidence/%Y'), verbose_name='evidence (file)'),
        ),
        migrations.RunPython(names_from_paths, migrations.RunPython.noop),
    ]
