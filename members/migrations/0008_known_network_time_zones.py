"""Networks created before 0007 got its default time zone, UTC. The known
networks (those of the demo, which a secretariat may have started from)
meet in Geneva or Bangkok: set theirs where it is still the default. A time
zone anyone chose since is kept; other networks are left alone (a network's
page shows its time zone, and its secretariat sets it there)."""

from django.db import migrations

DEFAULT = "UTC"  # members 0007's default
KNOWN = {
    "gmg": "Europe/Zurich",
    "unnm": "Europe/Zurich",
    "asia-pacific": "Asia/Bangkok",
}


def set_known_time_zones(apps, schema_editor):
    Network = apps.get_model("members", "Network")
    for slug, time_zone in KNOWN.items():
        Network.objects.filter(slug=slug, time_zone__in=[DEFAULT, ""]).update(time_zone=time_zone)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_network_time_zone"),
    ]

    # Reversed, nothing to undo: 0007's reversal drops the field.
    operations = [migrations.RunPython(set_known_time_zones, migrations.RunPython.noop)]
