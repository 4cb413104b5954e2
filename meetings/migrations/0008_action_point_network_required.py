"""Every action point has its network (filled by 0007), in a migration of its
own: PostgreSQL does not alter a table with row updates pending in the same
transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_action_points_follow_up")]

    operations = [
        migrations.AlterField(
            model_name="actionpoint",
            name="network",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="action_points",
                to="members.network",
            ),
        ),
    ]
