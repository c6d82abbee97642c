"""Server-rendered SVG bar charts for the statistics page: no JavaScript, no external library,
readable without colour (values are written next to each bar)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

ROW, LABEL_WIDTH, BAR_WIDTH = 22, 230, 320


def bar_chart(rows, *, title: str) -> str:
    rows = list(rows)
    peak = max((value for _label, value in rows), default=0) or 1
    height = ROW * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{LABEL_WIDTH + BAR_WIDTH + 60}" '
        f'height="{height}" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 60} {height}"><title>{escape(title)}</title>',
        f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 26 + index * ROW
        width = round(BAR_WIDTH * value / peak)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="{ROW - 6}" fill="#005a8c"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 14}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
