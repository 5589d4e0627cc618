"""Two more indexes on Wagtail's page table, for the district-wide lists of the home page at the
size of a real district (37,525 pages at N = 500 communities, where each was a full scan):

- ``depth``: the live communities counted per township (``HomePage.get_context``);
- ``depth`` of unpublished pages only (a partial index, a handful of rows): the subtrees no resident
  can reach (``home.visibility.hidden_q``).

Plain SQL because the table is Wagtail's; the statements work on SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("home", "0003_page_url_path_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS gongzhi_page_depth ON wagtailcore_page (depth)",
            "DROP INDEX IF EXISTS gongzhi_page_depth",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS gongzhi_page_unpublished ON wagtailcore_page (depth) "
            "WHERE NOT live",
            "DROP INDEX IF EXISTS gongzhi_page_unpublished",
        ),
    ]
