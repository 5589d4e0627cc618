"""The yearly 民主评议 items of the disclosure catalogue (village 2025 §38, urban 2025 §37)."""

from django.db import migrations

from community.disclosure.catalogue import sync_catalogue


def add_evaluation_items(apps, schema_editor):
    sync_catalogue(apps.get_model("community", "DisclosureItem"))


class Migration(migrations.Migration):
    dependencies = [("community", "0021_evaluation")]

    operations = [migrations.RunPython(add_evaluation_items, migrations.RunPython.noop)]
