"""Print the search recall table (docs/search.md) for the database in DATABASE_URL.

DATABASE_URL=... python manage.py quickstart --no-serve
DATABASE_URL=... python bench/search_recall.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from bench.recall_set import measure, table  # noqa: E402

if __name__ == "__main__":
    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = connection.cursor().connection.info.server_version
    print(table(measure(), f"{connection.vendor} {version}"))
