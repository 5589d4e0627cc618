"""0014 for the forms' saved revisions: a draft or a scheduled revision holds its fields in the
revision's content, where a consent field saved as 选填 would show 选填 again in the editor and,
scheduled, be refused at publication (publication_problem), stopping publish_scheduled. Only the
consent fields' `required` changes; labels and answers are untouched. Reversing changes nothing."""

from django.db import migrations


def consent_is_required_in_revisions(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    form_type = content_types.objects.filter(
        app_label="consultation", model="communityformpage"
    ).first()
    if form_type is None:
        return
    revisions = apps.get_model("wagtailcore", "Revision").objects.filter(content_type=form_type)
    for revision in revisions.iterator():
        content = revision.content or {}
        changed = False
        for field in content.get("form_fields") or []:
            if field.get("field_type") == "consent" and not field.get("required"):
                field["required"] = True
                changed = True
        if changed:
            revision.content = content
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0014_consent_required"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(consent_is_required_in_revisions, migrations.RunPython.noop)]
