import datetime

import pytest

from consultation.procedures import check_decision_steps, check_notice

T0 = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("starts_at", "urgent", "reason", "codes"),
    [
        (T0 + 72 * H, False, "", []),  # exactly 3 days
        (T0 + 71 * H, False, "", ["notice_period"]),
        (T0 - 1 * H, False, "", ["notice_period"]),  # already past
        (T0 + 1 * H, True, "台风来临，需当天决定转移安置点", []),
        (T0 + 1 * H, True, "  ", ["urgent_reason"]),
        (None, False, "", []),  # still collecting topics: no meeting time yet
    ],
)
def test_notice_period(starts_at, urgent, reason, codes):
    assert [v.code for v in check_notice(starts_at, T0, 3, urgent, reason)] == codes


def test_notice_message_says_how_long_and_what_to_do():
    (v,) = check_notice(T0 + 30 * H, T0, 3, False, "")
    assert (
        "应至少提前 3 天公告" in v.message
        and "只有 1 天 6 小时" in v.message
        and "紧急" in v.message
    )


D = datetime.date


def dates(*days):
    keys = [
        "proposal",
        "discussion",
        "party_review",
        "resolution",
        "resolution_published",
        "result_published",
    ]
    return {k: (D(2026, 1, d) if d else None) for k, d in zip(keys, days, strict=False)}


@pytest.mark.parametrize(
    ("steps", "codes"),
    [
        (dates(1, 2, 3, 4, 5, 6), []),
        (dates(1, 1, 1, 1, 1, 1), []),  # same day is not earlier
        (dates(1, 2, 3), []),  # in progress
        (dates(), []),
        (dates(2, 1), ["date_order"]),
        (dates(1, 2, 3, 4, 3), ["date_order"]),
        (dates(1, None, 3), ["step_skipped"]),
        (dates(None, None, None, 4), ["step_skipped"]),
    ],
)
def test_decision_steps(steps, codes):
    assert [v.code for v in check_decision_steps(steps)] == codes
