# ruff: noqa: E501 (one row per item reads as the law does)
"""The law's disclosure items (village 2025 第三十五条, urban 2025 第三十四条) as data: the data
migration creates them and `sync_catalogue` repairs them; district staff add local items in the
admin (公开目录). Keys are stable: obligations, notices and the API name items by key.

The migrations that file existing notices (0018, 0020) call this module's live code, so what they
read here must keep meaning what it meant: BUILTIN_ITEMS rows are append-only (add a row, never
remove one or change its key), and a key, once given, never changes meaning."""

from typing import NamedTuple


class BuiltinItem(NamedTuple):
    key: str
    name: str
    scope: str  # village | urban
    schedule: str  # community.models.DisclosureItem.Schedule
    category: str
    basis: str
    sort_order: int


V = "村民委员会组织法（2025年修正）第三十五条"
U = "城市居民委员会组织法（2025年修订）第三十四条"

BUILTIN_ITEMS: tuple[BuiltinItem, ...] = (
    BuiltinItem("village-decisions", "村民会议、村民代表会议讨论决定的事项及其实施情况", "village", "quarterly", "affairs", f"{V}第二款第（一）项", 10),
    BuiltinItem("village-funds", "政府拨付和接受社会捐赠的救灾救助、补贴补助等资金、物资的管理使用情况", "village", "quarterly", "finance", f"{V}第二款第（二）项", 20),
    BuiltinItem("village-assistance", "村民委员会协助人民政府开展工作的情况", "village", "quarterly", "affairs", f"{V}第二款第（三）项", 30),
    BuiltinItem("village-consultation", "村民委员会组织协商确定的事项及其落实情况", "village", "quarterly", "affairs", f"{V}第二款第（四）项", 40),
    BuiltinItem("village-other", "涉及本村村民利益、村民普遍关心的其他事项", "village", "quarterly", "affairs", f"{V}第二款第（五）项", 50),
    BuiltinItem("village-accounts", "财务收支情况", "village", "accounts", "finance", f"{V}第三款", 60),
    BuiltinItem("village-major", "涉及村民利益的重大事项", "village", "at_once", "affairs", f"{V}第三款", 70),
    BuiltinItem("urban-decisions", "居民会议或者居民代表会议讨论决定的事项及其实施情况", "urban", "promptly", "affairs", f"{U}第二款第（一）项", 110),
    BuiltinItem("urban-funds", "政府拨付和接受社会捐赠的资金、物资的管理使用情况", "urban", "promptly", "finance", f"{U}第二款第（二）项", 120),
    BuiltinItem("urban-facilities", "居民委员会所有和使用的设施的管理使用情况", "urban", "promptly", "affairs", f"{U}第二款第（三）项", 130),
    BuiltinItem("urban-services", "社区服务项目实施情况", "urban", "promptly", "affairs", f"{U}第二款第（四）项", 140),
    BuiltinItem("urban-consultation", "居民委员会组织协商确定的事项及其落实情况", "urban", "promptly", "affairs", f"{U}第二款第（五）项", 150),
    BuiltinItem("urban-assistance", "居民委员会协助政府开展工作的情况", "urban", "promptly", "affairs", f"{U}第二款第（六）项", 160),
    BuiltinItem("urban-other", "涉及本社区居民利益、居民普遍关心的其他事项", "urban", "promptly", "affairs", f"{U}第二款第（七）项", 170),
    # 民主评议, at least once a year: fulfilled by the evaluation itself (community/evaluations.py).
    BuiltinItem("village-evaluation", "民主评议", "village", "yearly", "affairs", "村民委员会组织法（2025年修正）第三十八条", 80),
    BuiltinItem("urban-evaluation", "民主评议", "urban", "yearly", "affairs", "城市居民委员会组织法（2025年修订）第三十七条", 180),
)  # fmt: skip

# What an event discloses, by kind of community: a 四议两公开 decision, a consultation's outcome.
EVENT_ITEMS = {
    ("decision", "village"): "village-decisions",
    ("decision", "urban"): "urban-decisions",
    ("major", "village"): "village-major",
    ("major", "urban"): "urban-decisions",
    ("consultation", "village"): "village-consultation",
    ("consultation", "urban"): "urban-consultation",
    ("funds", "village"): "village-funds",
    ("funds", "urban"): "urban-funds",
}

# The item a notice of a category most often discloses, by kind of community: what the demo and
# the large-data generator file their notices under. 党务公开 and 政务公开 name none: they follow
# their own rules (a 低保 公示 of seven days), and a notice naming an item keeps the fifteen days.
ITEM_OF_CATEGORY = {
    ("finance", "village"): "village-accounts",
    ("finance", "urban"): "urban-funds",
    ("affairs", "village"): "village-other",
    ("affairs", "urban"): "urban-other",
    ("other", "village"): "village-other",
    ("other", "urban"): "urban-other",
}


def guessed_period(category: str, display_from) -> str:
    """The quarter an existing notice most likely discloses: a 财务公开 notice is about the previous
    quarter (accounts are published after the quarter ends) when its 公示开始 falls in a quarter's
    first two months, else its own quarter; any other notice the quarter of its 公示开始."""
    year, quarter = display_from.year, (display_from.month - 1) // 3 + 1
    if category == "finance" and (display_from.month - 1) % 3 < 2:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return f"{year}Q{quarter}"


def file_notices(notice_model, item_model, community_model, only_unfiled: bool = False) -> int:
    """File existing notices under the catalogue: a guessed quarter (`guessed_period`) and the item
    of their category (ITEM_OF_CATEGORY; 党务公开 and 政务公开 none). Rows go to the through table directly: a
    ParentalManyToManyField's add() is kept in memory until the page is saved, and the data
    migration's first version lost them that way. Takes the models so migrations can pass theirs.
    Returns the number of notices filed."""
    items = dict(item_model.objects.values_list("key", "pk"))
    kinds = dict(community_model.objects.values_list("path", "kind"))
    through = notice_model.disclosure_items.through
    filed = set(through.objects.values_list("noticepage_id", flat=True))
    rows, count = [], 0
    for notice in notice_model.objects.only("path", "category", "display_from", "period"):
        if only_unfiled and notice.pk in filed:
            continue
        if not notice.period:
            notice_model.objects.filter(pk=notice.pk).update(
                period=guessed_period(notice.category, notice.display_from)
            )
        kind = kinds.get(notice.path[:16], "village")
        key = ITEM_OF_CATEGORY.get((notice.category, kind))
        if key in items and notice.pk not in filed:
            rows.append(through(noticepage_id=notice.pk, disclosureitem_id=items[key]))
            count += 1
    through.objects.bulk_create(rows)
    return count


def sync_catalogue(item_model) -> int:
    """Create the missing built-in items and restore their law-given fields; returns the number
    changed. Local items and each item's `active` flag are left alone. Takes the model so the data
    migration can pass its historical one."""
    changed = 0
    for row in BUILTIN_ITEMS:
        wanted = row._asdict()
        key = wanted.pop("key")
        item = item_model.objects.filter(key=key).first()
        if item is None:
            item_model.objects.create(key=key, builtin=True, **wanted)
            changed += 1
        elif any(getattr(item, k) != v for k, v in wanted.items()) or not item.builtin:
            for name, value in wanted.items():
                setattr(item, name, value)
            item.builtin = True
            item.save()
            changed += 1
    return changed
