"""Server-side SVG charts: no JavaScript, no CDN, readable by screen readers.

Every chart is drawn next to a table with the same numbers; the SVG carries a
title and a description so assistive technology announces what it shows. A
value that is not a number (a withheld "< 5" or "x") gets no bar and is
described as the table shows it.
"""

from dataclasses import dataclass
from html import escape

COLOURS = ("#2044AA", "#B45A00", "#007155", "#7A2E8E")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | str]


def bar_chart(title: str, labels: list[str], series: list[Series], unit: str = "") -> str:
    """Grouped vertical bars, one group per label, one bar per series."""
    if not labels or not series:
        return ""
    width, height, left, bottom, top = 640, 260, 48, 40, 16
    plot_width, plot_height = width - left - 8, height - bottom - top
    peak = max((v for s in series for v in s.values if _is_number(v)), default=0) or 1
    group = plot_width / len(labels)
    bar = max(1.0, group * 0.8 / len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-t chart-d" class="chart">',
        f'<title id="chart-t">{escape(title)}</title>',
        f'<desc id="chart-d">{escape(", ".join(s.name for s in series))}: '
        f"{escape(_describe(labels, series, unit))}</desc>",
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 8}" y2="{top + plot_height}" '
        'stroke="#51577A"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end">'
        f"{_number(peak)}</text>",
        f'<text x="{left - 6}" y="{top + plot_height}" font-size="11" text-anchor="end">0</text>',
    ]
    for index, label in enumerate(labels):
        x0 = left + index * group + group * 0.1
        for number, one in enumerate(series):
            value = one.values[index] if index < len(one.values) else 0
            value = value if _is_number(value) else 0
            h = plot_height * value / peak
            parts.append(
                f'<rect x="{x0 + number * bar:.1f}" y="{top + plot_height - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}" fill="{COLOURS[number % len(COLOURS)]}"/>'
            )
        if len(labels) <= 16 or index % max(1, len(labels) // 12) == 0:
            parts.append(
                f'<text x="{x0 + group * 0.4:.1f}" y="{height - bottom + 16}" font-size="11" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for number, one in enumerate(series):
        parts.append(
            f'<rect x="{left + number * 150}" y="{height - 14}" width="10" height="10" '
            f'fill="{COLOURS[number % len(COLOURS)]}"/><text x="{left + number * 150 + 14}" '
            f'y="{height - 5}" font-size="11">{escape(one.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value) -> str:
    if not _is_number(value):
        return str(value)
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _describe(labels, series, unit) -> str:
    pieces = []
    for index, label in enumerate(labels[:31]):
        values = " / ".join(_number(s.values[index]) for s in series if index < len(s.values))
        pieces.append(f"{label}: {values}{(' ' + unit) if unit else ''}")
    return "; ".join(pieces)
