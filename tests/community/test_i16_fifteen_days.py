"""Issue 16 item 2: a 村务/居务公开 notice stays on the board at least fifteen days (village 2025
第三十五条, urban 2025 第三十四条; long-term allowed). The 2018 texts set no minimum, so an older
notice is judged by the law in force on its first day; 党务公开 and 政务公开 follow their own rules
unless they name a catalogue item. Published for the first time, a notice must leave residents the
fifteen days from that day, not only on paper."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.disclosure.catalogue import ITEM_OF_CATEGORY, guessed_period
from community.models import DisclosureItem, NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db

D = datetime.date


def _clean(start, days, category="affairs", items=()):
    until = None if days is None else start + datetime.timedelta(days=days - 1)
    notice = NoticePage(title="公示", slug="x", category=category, display_from=start,
                        display_until=until)  # fmt: skip
    notice.disclosure_items = list(DisclosureItem.objects.filter(key__in=items))
    notice.clean()


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
    """Notices that existed before the catalogue: each gets a guessed quarter (finance: the one
    its accounts are most likely about) and an item by its category (finance: the accounts or
    funds item; 村务/居务公开: other matters)."""
    migration = import_module("community.migrations.0020_file_notices_under_items")
    village_finance = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    urban_affairs = NoticePage.objects.descendant_of(yinxing).get(slug="hongbai")
    for notice in (village_finance, urban_affairs):
        # Through the table: a ParentalManyToManyField's clear() stays in memory until a save.
        NoticePage.disclosure_items.through.objects.filter(noticepage=notice).delete()
        NoticePage.objects.filter(pk=notice.pk).update(period="")
    NoticePage.objects.filter(pk=village_finance.pk).update(display_from=D(2026, 11, 3))
    migration.file_unfiled(apps, None)
    village_finance.refresh_from_db()
    assert village_finance.period == "2026Q3"
    assert village_finance.disclosure_item_keys == ["village-accounts"]
    urban_affairs.refresh_from_db()
    day = urban_affairs.display_from
    assert urban_affairs.period == f"{day.year}Q{(day.month - 1) // 3 + 1}"
    assert urban_affairs.disclosure_item_keys == ["urban-other"]


@pytest.mark.parametrize(
    "category, day, period",
    [
        ("finance", D(2026, 10, 5), "2026Q3"),  # accounts are disclosed after the quarter
        ("finance", D(2026, 11, 30), "2026Q3"),
        ("finance", D(2026, 12, 1), "2026Q4"),  # the quarter's last month: its own accounts
        ("finance", D(2026, 2, 10), "2025Q4"),
        ("affairs", D(2026, 10, 5), "2026Q4"),
        ("government", D(2026, 2, 10), "2026Q1"),
    ],
)
def test_an_existing_notices_period_is_guessed_by_its_category(category, day, period):
    assert guessed_period(category, day) == period


def test_a_government_notice_naming_a_catalogue_item_keeps_the_fifteen_days():
    """Labelling a notice 政务公开 does not shorten the disclosure of an item it names."""
    with pytest.raises(ValidationError) as error:
        _clean(D(2026, 11, 1), 7, "government", items=["village-assistance"])
    assert "公示期至少15天" in str(error.value)
    with pytest.raises(ValidationError):
        _clean(D(2026, 11, 1), 7, "party", items=["village-other"])


def test_government_and_party_notices_are_filed_under_no_item():
    assert not [key for key in ITEM_OF_CATEGORY if key[0] in ("government", "party")]
    low_income = NoticePage.objects.filter(category="government")
    assert low_income.exists()
    assert not NoticePage.disclosure_items.through.objects.filter(noticepage__in=low_income)


def _draft(community, start, until, category="affairs", slug="late-notice"):
    """A notice saved as a draft, with its 公示期 `start` and `until` days from today."""
    today = timezone.localdate()
    notice = NoticePage(
        title="迟发的公示",
        slug=slug,
        category=category,
        display_from=today + datetime.timedelta(days=start),
        display_until=today + datetime.timedelta(days=until),
        live=False,
    )
    notice.disclosure_items = list(DisclosureItem.objects.filter(key="village-other"))
    NoticeIndexPage.objects.child_of(community).get().add_child(instance=notice)
    return notice


def test_a_notice_first_published_after_its_period_is_over_is_refused(xinghua):
    """Twenty days on paper (20 days ago to yesterday), none for residents: refused on
    revision.publish(), and the notice stays unpublished."""
    notice = _draft(xinghua, -20, -1)
    with pytest.raises(ValidationError) as error:
        notice.save_revision().publish()
    message = str(error.value)
    assert "公示期自发布之日起至少15天" in message and "第三十五条" in message
    expected = timezone.localdate() + datetime.timedelta(days=14)
    assert f"{expected:%Y-%m-%d}" in message
    assert not NoticePage.objects.get(pk=notice.pk).live


def test_a_notice_first_published_needs_fifteen_days_from_that_day(xinghua):
    short = _draft(xinghua, -5, 13, slug="short")
    with pytest.raises(ValidationError):
        short.save_revision().publish()
    enough = _draft(xinghua, -5, 14, slug="enough")
    enough.save_revision().publish()
    assert NoticePage.objects.get(pk=enough.pk).live


def test_a_notice_added_live_for_the_first_time_is_refused_too(xinghua):
    today = timezone.localdate()
    notice = NoticePage(title="直接发布", slug="direct", display_from=today - datetime.timedelta(days=20),
                        display_until=today - datetime.timedelta(days=1))  # fmt: skip
    with pytest.raises(ValidationError):
        NoticeIndexPage.objects.child_of(xinghua).get().add_child(instance=notice)


def test_a_7_day_low_income_notice_naming_no_item_is_published_at_once(xinghua):
    notice = _draft(xinghua, 0, 6, category="government", slug="dibao")
    notice.disclosure_items = []
    notice.save_revision().publish()
    assert NoticePage.objects.get(pk=notice.pk).live


def test_fixing_a_typo_on_day_ten_of_a_published_notice_is_not_refused(xinghua):
    """Published on its first day, fifteen days; edited on day ten: only the nominal check."""
    notice = _draft(xinghua, -9, 5, slug="typo")
    NoticePage.objects.filter(pk=notice.pk).update(
        live=True, first_published_at=timezone.now() - datetime.timedelta(days=9)
    )
    notice.refresh_from_db()
    notice.title = "迟发的公示（更正）"
    notice.save_revision().publish()
    assert NoticePage.objects.get(pk=notice.pk).live


def test_a_notice_unpublished_and_published_again_keeps_the_nominal_check(xinghua):
    # Not a finance notice (民主理财 would ask for a sign-off first); ordered, as PostgreSQL
    # returns an unordered first() in any order.
    notice = NoticePage.objects.descendant_of(xinghua).filter(display_until__isnull=False).exclude(
        category__in=[*NoticePage.OWN_RULES, "finance"]
    ).exclude(disclosure_items__category="finance").order_by("pk").first()  # fmt: skip
    notice.unpublish()
    notice.refresh_from_db()
    notice.save_revision().publish()
    assert NoticePage.objects.get(pk=notice.pk).live
