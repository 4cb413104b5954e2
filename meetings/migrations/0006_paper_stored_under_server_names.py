"""New agenda papers are stored under a name the server makes (core.files.UploadTo);
the sender's name is kept in `paper_name` for the download. Files stored
before keep their path; their name is taken from it."""

import core.files
from django.db import migrations, models


def names_from_paths(apps, schema_editor):
    Model = apps.get_model("meetings", "AgendaItem")
    for row in Model.objects.exclude(paper="").only("pk", "paper").iterator():
        Model.objects.filter(pk=row.pk).update(
            paper_name=core.files.upload_display_name(row.paper.name)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0005_text_limits_and_change_reasons'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='paper_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="paper's file name"),
        ),
        migrations.AddField(
            model_name='historicalagendaitem',
            name='paper_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="paper's file name"),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='paper',
            field=models.FileField(blank=True, upload_to=core.files.UploadTo('meetings/{instance.meeting_id}/papers'), verbose_name='paper'),
        ),
        migrations.RunPython(names_from_paths, migrations.RunPython.noop),
    ]
