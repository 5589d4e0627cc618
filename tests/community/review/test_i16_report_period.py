"""A report for an absurd period is a Chinese message, not a 500 (found by the walk: 0001-01-01 to
9999-12-31 overflowed the month table)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0001-01-01", "9999-12-31", "统计期间最长十年"),
        ("1900-01-01", "1900-06-30", "2000年至2100年"),
        ("9999-07-01", "9999-12-31", "2000年至2100年"),
    ],
)
def test_an_absurd_period_is_refused_in_chinese(client, reviewer_liuxi, start, end, message):
    client.force_login(reviewer_liuxi)
    response = client.get(f"/admin/review/report/?start={start}&end={end}")
    assert response.status_code == 200
    assert message in response.content.decode()
