"""The disclosure rules as plain functions over values (docs/disclosure.md)."""

import datetime

from community.law import provision


def display_days(display_from: datetime.date, display_until: datetime.date) -> int:
    """Days on the board, both ends counted: 11月1日 to 11月15日 is 15 days."""
    return (display_until - display_from).days + 1


def check_display_period(
    display_from: datetime.date, display_until: datetime.date | None, kind: str | None
) -> str:
    """The refusal for a 公示期 shorter than the law in force on its first day allows, or "".

    Long-term notices (no end) always pass. Where the community's kind is not known yet (a notice
    being created), both laws are cited: since 2026-01-01 both say fifteen days."""
    if display_until is None:
        return ""
    kinds = [kind] if kind in ("village", "urban") else ["village", "urban"]
    rules = [rule for k in kinds if (rule := provision(f"{k}.disclosure", on=display_from))]
    rules = [rule for rule in rules if rule.params.get("min_days")]
    if not rules:
        return ""
    least = max(rule.params["min_days"] for rule in rules)
    days = display_days(display_from, display_until)
    if days >= least:
        return ""
    cited = "、".join(rule.citation for rule in rules)
    return (
        f"公示期至少{least}天，现为{days}天：{cited}规定“公布的期限不得少于十五日”。"
        f"请把公示结束日期改为 {display_from + datetime.timedelta(days=least - 1):%Y-%m-%d} 或以后，"
        "或留空表示长期公示。"
    )
