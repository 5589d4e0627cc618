"""Consultation rules as plain functions over values (docs/consultations.md)."""

import datetime

from cms.display import local_date
from community.procedures import Violation

GUIDANCE = "中办 国办《关于加强城乡社区协商的意见》"


def check_notice(
    starts_at: datetime.datetime | None,
    announced_at: datetime.datetime,
    notice_days: int,
    urgent: bool,
    urgent_reason: str,
) -> list[Violation]:
    """An agenda must be public `notice_days` before the meeting (提前通报), unless urgent with a reason."""
    if urgent:
        if not urgent_reason.strip():
            return [
                Violation(
                    "urgent_reason",
                    "标为“紧急”的议题必须写明紧急理由，公告页面会显示这一理由。",
                    "urgent_reason",
                )
            ]
        return []
    if starts_at is None:
        return []
    if starts_at - announced_at < datetime.timedelta(days=notice_days):
        hours = int((starts_at - announced_at).total_seconds() // 3600)
        shown = f"{hours // 24} 天 {hours % 24} 小时" if hours >= 0 else "已过会议时间"
        return [
            Violation(
                "notice_period",
                f"协商议题应至少提前 {notice_days} 天公告（{GUIDANCE}：提前通报协商内容），"
                f"现在公告距会议只有 {shown}。请推迟会议时间，或标为“紧急”并写明理由。",
                "starts_at",
            )
        ]
    return []


DECISION_STEPS = [
    ("proposal", "党组织提议"),
    ("discussion", "两委会议商议"),
    ("party_review", "党员大会审议"),
    ("resolution", "村民会议或村民代表会议决议"),
    ("resolution_published", "决议公开"),
    ("result_published", "实施结果公开"),
]


def check_decision_steps(dates: dict[str, datetime.date | None]) -> list[Violation]:
    """四议两公开: steps in order, none skipped, each dated no earlier than the one before."""
    found: list[Violation] = []
    previous: tuple[str, datetime.date] | None = None
    gap: str | None = None
    for key, label in DECISION_STEPS:
        day = dates.get(key)
        if day is None:
            gap = gap or label
            continue
        if gap:
            found.append(
                Violation(
                    "step_skipped",
                    f"“{label}”之前须先完成“{gap}”，四议两公开的步骤不能跳过。",
                    f"{key}_on",
                )
            )
            continue
        if previous and day < previous[1]:
            found.append(
                Violation(
                    "date_order",
                    f"“{label}”的日期 {local_date(day)} 早于“{previous[0]}”的日期 {local_date(previous[1])}。",
                    f"{key}_on",
                )
            )
        previous = (label, day)
    return found
