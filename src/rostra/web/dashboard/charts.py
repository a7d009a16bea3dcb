"""Small inline SVG charts for the stats page, generated here: no chart library, no download.

Every label is escaped; the SVG carries ``role="img"`` with an accessible name and a data
table sits next to each chart on the page for people who cannot see it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

PALETTE = ("#0b5cad", "#b3541e", "#1b6b2f", "#6f3ea8", "#a4161a", "#4d4d4d")


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def column_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    fmt: Callable[[float], str] = _fmt,
    top: float | None = None,
) -> Markup:
    """Vertical bars, one per point (e.g. comments per day); x labels thinned to fit.

    A ``None`` value is a day without data: no bar (and "–" in its tooltip), unlike a zero.
    ``fmt`` writes the values (the axis top and each bar's tooltip), e.g. as a duration or a
    percentage; ``top`` fixes the axis maximum (100 for a percentage) instead of the largest value.
    """
    pad_l, pad_b, pad_t = 64, 28, 12
    inner_w, inner_h = width - pad_l - 8, height - pad_b - pad_t
    top = top or max((v for _, v in points if v is not None), default=0.0) or 1.0
    n = max(len(points), 1)
    slot = inner_w / n
    bar = max(1.0, slot * 0.75)
    every = max(1, round(n / 8))
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)} direction="ltr">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_l}" y1="{pad_t + inner_h}" x2="{width - 8}" y2="{pad_t + inner_h}" '
        'stroke="#767676"/>',
        f'<text x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end" font-size="11">'
        f"{escape(fmt(top))}</text>",
        f'<text x="{pad_l - 6}" y="{pad_t + inner_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, (label, value) in enumerate(points):
        x = pad_l + i * slot + (slot - bar) / 2
        if value is not None:
            h = inner_h * (min(value, top) / top)
            parts.append(
                f'<rect x="{x:.1f}" y="{pad_t + inner_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{escape(label)}: '
                f"{escape(fmt(value))}</title></rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle" '
                f'font-size="11">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped above


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    unit: str = "",
    rtl: bool = False,
) -> Markup:
    """Horizontal bars with labels, one row per item (e.g. rejections by category)."""
    row_h, label_w, pad = 26, 190, 8
    height = max(1, len(rows)) * row_h + pad * 2
    top = max((v for _, v in rows), default=0.0) or 1.0
    bar_space = width - label_w - 70
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)} direction="ltr">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_h
        w = bar_space * (value / top)
        if rtl:  # mirror: labels on the right, bars grow leftwards
            label_x, anchor = width - 4, "end"
            bar_x = width - label_w - w
            value_x, value_anchor = bar_x - 6, "end"
        else:
            label_x, anchor = label_w - 8, "end"
            bar_x = float(label_w)
            value_x, value_anchor = bar_x + w + 6, "start"
        parts.append(
            f'<text x="{label_x}" y="{y + 17}" text-anchor="{anchor}" font-size="13">'
            f"{escape(label)}</text>"
            f'<rect x="{bar_x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{value_x:.1f}" y="{y + 17}" text-anchor="{value_anchor}" font-size="12" '
            f'direction="ltr">{escape(_fmt(value) + unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped above
