"""Bar charts drawn on the server as inline SVG: no script, no CDN, and they print."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR = 18
GAP = 6
LABEL_WIDTH = 150
WIDTH = 560


def bar_chart(items: list[tuple[str, int]], title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = max((value for _, value in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    height = len(items) * (BAR + GAP) + GAP
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#2e6f9e"></rect>'
        '<text x="{}" y="{}" font-size="12">{}{}</text></g>',
        (
            (
                LABEL_WIDTH - 6,
                GAP + n * (BAR + GAP) + BAR - 5,
                label,
                LABEL_WIDTH,
                GAP + n * (BAR + GAP),
                round(span * value / top),
                BAR,
                LABEL_WIDTH + round(span * value / top) + 4,
                GAP + n * (BAR + GAP) + BAR - 5,
                value,
                unit,
            )
            for n, (label, value) in enumerate(items)
        ),
    )
    return format_html(
        '<svg class="review-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        title,
        WIDTH,
        height,
        WIDTH,
        height,
        title,
        bars,
    )
