from django.db import migrations

# The controlled list as it stood when themes were introduced (community.models.experience.THEMES).
THEMES = [
    ("yishi-xieshang", "议事协商"),
    ("jifen-zhi", "积分制"),
    ("hongbai-lishihui", "红白理事会"),
    ("wangge-zhili", "网格治理"),
    ("zhiyuan-fuwu", "志愿服务"),
    ("shilaohua", "适老化"),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("community", "ExperienceTheme")
    for order, (slug, name) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("community", "0004_notices_and_experiences")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
