"""A consent field stored as 选填 was asked as required all along (the form builder forces it):
the stored choice now says so, so that the editor shows what residents see. No answer changes."""

from django.db import migrations


def consent_is_required(apps, schema_editor):
    field = apps.get_model("consultation", "CommunityFormField")
    field.objects.filter(field_type="consent", required=False).update(required=True)


class Migration(migrations.Migration):
    dependencies = [("consultation", "0013_timestamps_verbose_names")]

    operations = [migrations.RunPython(consent_is_required, migrations.RunPython.noop)]
