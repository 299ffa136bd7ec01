"""Small line charts drawn on the server as SVG (no script, no CDN), values escaped."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 320, 140, 34


def line_chart(title: str, points: list[tuple[int, float | None]], threshold: float | None = None,
               money: bool = False) -> Markup:
    """A line through the (year, value) points, with the threshold dashed; gaps where a value is missing."""
    known = [(x, y) for x, y in points if y is not None]
    values = [y for _, y in known] + ([threshold] if threshold is not None else [])
    if not known:
        return Markup("")
    low, high = min(values + [0.0]), max(values)
    span = (high - low) or 1.0
    years = [x for x, _ in points]
    step = (WIDTH - 2 * PAD) / max(1, len(years) - 1)

    def at(x: int, y: float) -> tuple[float, float]:
        return PAD + years.index(x) * step, HEIGHT - PAD - (y - low) / span * (HEIGHT - 2 * PAD)

    def label(v: float) -> str:
        return f"{v:,.0f}" if money else f"{v:.2f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>']
    coordinates = [at(x, y) for x, y in known]
    if threshold is not None:
        _, ty = at(years[0], threshold)
        # The threshold's label sits at the right end, where the last point and its label (above
        # the point) are: it stops short of the point and goes below the line, unless that point
        # lies well below it or the axis is near.
        below = coordinates[-1][1] < ty + 12 and ty + 12 < HEIGHT - PAD - 2
        ly = ty + 12 if below else ty - 4
        parts.append(f'<line x1="{PAD}" y1="{ty:.1f}" x2="{WIDTH - PAD}" y2="{ty:.1f}" class="threshold"/>'
                     f'<text x="{WIDTH - PAD - 8}" y="{ly:.1f}" class="small" text-anchor="end">'
                     f'{escape(label(threshold))}</text>')
    parts.append('<polyline class="line" points="' + " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coordinates) + '"/>')
    for (_year, y), (cx, cy) in zip(known, coordinates, strict=True):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" class="point"/>'
                     f'<text x="{cx:.1f}" y="{cy - 8:.1f}" class="small" text-anchor="middle">{escape(label(y))}</text>')
    for x in years:
        cx, _ = at(x, low)
        parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - PAD + 16}" class="small" text-anchor="middle">{x}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
