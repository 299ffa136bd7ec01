"""Small line charts drawn on the server as SVG (no script, no CDN), values escaped."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 320, 140, 34


def _plain(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


def line_chart(title: str, points: list[tuple[int, float | None]],
               thresholds: dict[int, float | None] | None = None, money: bool = False,
               number: Callable[[float, int], str] = _plain) -> Markup:
    """A line through the (year, value) points, with each year's own threshold dashed (the limits are
    versioned per year: one line across all years would judge a year by another's limit); gaps where
    a value is missing. `number(value, digits)` writes the labels: a page passes its language's
    notation (formatting.number), as the chart's text is read like the rest of the page."""
    limits = {x: v for x, v in (thresholds or {}).items() if v is not None}
    known = [(x, y) for x, y in points if y is not None]
    values = [y for _, y in known] + list(limits.values())
    if not known:
        return Markup("")
    low, high = min(values + [0.0]), max(values)
    span = (high - low) or 1.0
    years = [x for x, _ in points]
    step = (WIDTH - 2 * PAD) / max(1, len(years) - 1)

    def at(x: int, y: float) -> tuple[float, float]:
        return PAD + years.index(x) * step, HEIGHT - PAD - (y - low) / span * (HEIGHT - 2 * PAD)

    def label(v: float) -> str:
        return number(v, 0 if money else 2)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>']
    coordinates = [at(x, y) for x, y in known]
    half = step / 2 if len(years) > 1 else (WIDTH - 2 * PAD) / 2
    for x in years:
        if x not in limits:
            continue
        cx, ty = at(x, limits[x])
        # A dashed stretch around the year's own point; its value only where it changes, so labels never pile up.
        parts.append(f'<line x1="{max(PAD, cx - half):.1f}" y1="{ty:.1f}" x2="{min(WIDTH - PAD, cx + half):.1f}" '
                     f'y2="{ty:.1f}" class="threshold"/>')
    # Labels stay clear of each other: a point's value on the side away from its year's limit, the
    # limit's value on the other side of its line (and above it near the axis, where the years are).
    below = {x: x in limits and y < limits[x] for x, y in known}
    shown: float | None = None
    for x in years:
        if x in limits and limits[x] != shown:
            shown = limits[x]
            cx, ty = at(x, shown)
            under = not below.get(x, False) and ty + 13 <= HEIGHT - PAD - 6
            y_text = ty + 13 if under else ty - 5
            if len(years) == 1:  # one year: its point and labels sit on the left, the limit's at the right end
                position = f'x="{min(WIDTH - PAD, cx + half) - 2:.1f}" text-anchor="end"'
            else:
                position = f'x="{max(PAD, cx - half) + 2:.1f}"'
            parts.append(f'<text {position} y="{y_text:.1f}" class="small threshold-label">'
                         f'{escape(label(shown))}</text>')
    parts.append('<polyline class="line" points="' + " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coordinates) + '"/>')
    for (year, y), (cx, cy) in zip(known, coordinates, strict=True):
        y_text = cy + 17 if below[year] else cy - 8
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" class="point"/>'
                     f'<text x="{cx:.1f}" y="{y_text:.1f}" class="small" text-anchor="middle">'
                     f'{escape(label(y))}</text>')
    for x in years:
        cx, _ = at(x, low)
        parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - PAD + 16}" class="small" text-anchor="middle">{x}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
