"""The disclosure rules as plain functions over values (docs/disclosure.md)."""

import datetime

from community.law import provision


def display_days(display_from: datetime.date, display_until: datetime.date) -> int:
    """Days on the board, both ends counted: 11月1日 to 11月15日 is 15 days."""
    return (display_until - display_from).days + 1


def _least(kind: str | None, on: datetime.date) -> tuple[int, str] | None:
    """The fewest days the law in force on `on` allows, and its citation; None where it sets none.
    Where the community's kind is not known yet (a notice being created), both laws are cited:
    since 2026-01-01 both say fifteen days."""
    kinds = [kind] if kind in ("village", "urban") else ["village", "urban"]
    rules = [rule for k in kinds if (rule := provision(f"{k}.disclosure", on=on))]
    rules = [rule for rule in rules if rule.params.get("min_days")]
    if not rules:
        return None
    return max(rule.params["min_days"] for rule in rules), "、".join(r.citation for r in rules)


def check_display_period(
    display_from: datetime.date, display_until: datetime.date | None, kind: str | None
) -> str:
    """The refusal for a 公示期 shorter than the law in force on its first day allows, or "".
    Long-term notices (no end) always pass."""
    if display_until is None:
        return ""
    found = _least(kind, display_from)
    if found is None:
        return ""
    least, cited = found
    days = display_days(display_from, display_until)
    if days >= least:
        return ""
    return (
        f"公示期至少{least}天，现为{days}天：{cited}规定“公布的期限不得少于十五日”。"
        f"请把公示结束日期改为 {display_from + datetime.timedelta(days=least - 1):%Y-%m-%d} 或以后，"
        "或留空表示长期公示。"
    )


def check_first_publication(
    display_from: datetime.date,
    display_until: datetime.date | None,
    kind: str | None,
    today: datetime.date,
) -> str:
    """The refusal for a notice going live for the first time that residents could not read for
    the law's fifteen days: they can read it from the later of its 公示开始 and today, so a notice
    published today with a 公示期 that began twenty days ago and ended yesterday is refused even
    though its dates are fifteen days apart. Later edits are judged by `check_display_period`
    alone, so fixing a typo on day 10 is not refused."""
    if display_until is None:
        return ""
    start = max(display_from, today)
    found = _least(kind, start)
    if found is None:
        return ""
    least, cited = found
    if display_days(start, display_until) >= least:
        return ""
    left = max(0, display_days(start, display_until))
    return (
        f"公示期自发布之日起至少{least}天，本公示今天发布，至公示结束日期只剩{left}天：{cited}"
        "规定“公布的期限不得少于十五日”。"
        f"请把公示结束日期改为 {start + datetime.timedelta(days=least - 1):%Y-%m-%d} 或以后，"
        "或留空表示长期公示。"
    )
