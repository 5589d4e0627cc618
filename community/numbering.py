"""Chinese numbering of chapters and articles: 第一章, 第十二条, 第一百零一条."""

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 20 → 二十, 101 → 一百零一, 110 → 一百一十, 1010 → 一千零一十."""
    if not 0 < n < 10000:
        raise ValueError(f"out of range for Chinese numbering: {n}")
    parts: list[str] = []
    rest = n
    pending_zero = False
    for value, unit in UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                parts.append("零")
                pending_zero = False
            parts.append(DIGITS[digit] + unit)
        elif parts:
            pending_zero = True
    if rest:
        if pending_zero:
            parts.append("零")
        parts.append(DIGITS[rest])
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def article_label(n: int) -> str:
    return f"第{chinese_numeral(n)}条"


def chapter_label(n: int) -> str:
    return f"第{chinese_numeral(n)}章"
