"""Notices the first catalogue migration meant to file under items but did not (a
ParentalManyToManyField's add() waits for a save that never came): filed now, once."""

from django.db import migrations

from community.disclosure.catalogue import file_notices


def file_unfiled(apps, schema_editor):
    file_notices(
        apps.get_model("community", "NoticePage"),
        apps.get_model("community", "DisclosureItem"),
        apps.get_model("community", "CommunityPage"),
        only_unfiled=True,
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0019_notifications_for_any_event")]

    operations = [migrations.RunPython(file_unfiled, migrations.RunPython.noop)]
