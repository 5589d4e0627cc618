"""An index on wagtailcore_page.url_path, which Wagtail leaves unindexed: the site root routes a URL
with one lookup of the pages along its path (cms/routing.py), which must not scan every page of the
district. Plain SQL because the table is Wagtail's; the same statement works on SQLite and
PostgreSQL."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_homepage"), ("wagtailcore", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS gongzhi_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS gongzhi_page_url_path",
        )
    ]
