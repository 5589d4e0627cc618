"""What each value of a rating field (评分) means, for every place that shows one."""

RATING_LABELS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}


def rating_label(value) -> str:
    """The meaning of a rating (4 → 满意); a value that is no rating is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        return RATING_LABELS.get(int(value), str(value))
    except (TypeError, ValueError):
        return str(value)
