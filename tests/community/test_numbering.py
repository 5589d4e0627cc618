import pytest

from community.numbering import article_label, chapter_label, chinese_numeral


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
        (21, "二十一"), (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"),
        (111, "一百一十一"), (120, "一百二十"), (150, "一百五十"), (999, "九百九十九"),
        (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"), (1100, "一千一百"),
        (2019, "二千零一十九"),
    ],
)  # fmt: skip
def test_chinese_numerals(n, expected):
    assert chinese_numeral(n) == expected


def test_labels():
    assert article_label(101) == "第一百零一条"
    assert chapter_label(3) == "第三章"


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_out_of_range_is_refused(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)
