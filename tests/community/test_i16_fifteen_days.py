"""Issue 16 item 2: a 村务/居务公开 notice stays on the board at least fifteen days (village 2025
第三十五条, urban 2025 第三十四条; long-term allowed). The 2018 texts set no minimum, so an older
notice is judged by the law in force on its first day; 党务公开 and 政务公开 follow their own rules."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from community.models import NoticePage

pytestmark = pytest.mark.django_db

D = datetime.date


def _clean(start, days, category="affairs"):
    until = None if days is None else start + datetime.timedelta(days=days - 1)
    NoticePage(title="公示", slug="x", category=category, display_from=start,
               display_until=until).clean()  # fmt: skip


def test_fourteen_days_are_refused_with_the_article():
    with pytest.raises(ValidationError) as error:
        _clean(D(2026, 11, 1), 14)
    message = str(error.value)
    assert "公示期至少15天，现为14天" in message and "不得少于十五日" in message
    assert "2026-11-15" in message  # the first end date that would do


@pytest.mark.parametrize("days", [15, 30, None])
def test_fifteen_days_or_more_and_long_term_are_accepted(days):
    _clean(D(2026, 11, 1), days)


def test_a_2025_notice_of_ten_days_is_accepted_the_2018_text_had_no_minimum():
    _clean(D(2025, 6, 1), 10)


@pytest.mark.parametrize("category", ["party", "government"])
def test_party_and_government_notices_follow_their_own_rules(category):
    _clean(D(2026, 11, 1), 7, category)


@pytest.mark.parametrize("category", ["finance", "other"])
def test_finance_and_other_notices_keep_the_fifteen_days(category):
    with pytest.raises(ValidationError):
        _clean(D(2026, 11, 1), 14, category)


def test_every_demo_notice_keeps_the_rule():
    for notice in NoticePage.objects.all():
        notice.clean()


def test_the_catalogue_migration_files_existing_notices_under_items(xinghua, yinxing):
    """Notices that existed before the catalogue: each gets the quarter of its 公示开始 and an item
    by its category (finance: the accounts or funds item; 村务/居务公开: other matters)."""
    migration = import_module("community.migrations.0020_file_notices_under_items")
    village_finance = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    urban_affairs = NoticePage.objects.descendant_of(yinxing).get(slug="hongbai")
    for notice in (village_finance, urban_affairs):
        # Through the table: a ParentalManyToManyField's clear() stays in memory until a save.
        NoticePage.disclosure_items.through.objects.filter(noticepage=notice).delete()
        NoticePage.objects.filter(pk=notice.pk).update(period="")
    migration.file_unfiled(apps, None)
    for notice, key in ((village_finance, "village-accounts"), (urban_affairs, "urban-other")):
        notice.refresh_from_db()
        day = notice.display_from
        assert notice.period == f"{day.year}Q{(day.month - 1) // 3 + 1}"
        assert notice.disclosure_item_keys == [key]
