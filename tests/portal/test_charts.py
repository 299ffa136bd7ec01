"""The inspectorate's charts judge each year by its own limit (the limits are versioned per year)."""

from __future__ import annotations

from lxml import etree

from portal.inspectorate.charts import line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart: object) -> etree._Element:
    return etree.fromstring(str(chart).encode())


def test_each_year_has_its_own_dashed_limit_labelled_where_it_changes() -> None:
    svg = _parse(line_chart("Solvabiliteit", [(2023, 0.4), (2024, 0.5), (2025, 0.6)],
                            {2023: 0.3, 2024: 0.3, 2025: 0.35}))
    limits = svg.findall(f"{SVG}line[@class='threshold']")
    assert len(limits) == 3
    heights = [float(line.get("y1")) for line in limits]
    assert heights[0] == heights[1] != heights[2]  # 2025's own, higher limit sits elsewhere
    labels = [t.text for t in svg.findall(f"{SVG}text[@class='small threshold-label']")]
    assert labels == ["0.30", "0.35"]  # once per change, not once per year


def test_a_year_without_a_limit_draws_none_and_a_chart_without_values_is_empty() -> None:
    svg = _parse(line_chart("Huisvestingsratio", [(2024, 0.1), (2025, 0.2)], {2024: None, 2025: 0.15}))
    assert len(svg.findall(f"{SVG}line[@class='threshold']")) == 1
    assert str(line_chart("Leeg", [(2024, None)], {2024: 0.1})) == ""


def _boxes(svg: etree._Element) -> list[tuple[str, float, float, float, float]]:
    """Each label's text and its box (left, top, right, bottom), at 13 px text about 7.5 px a character."""
    boxes = []
    for text in svg.findall(f"{SVG}text"):
        width, x, y = 7.5 * len(text.text), float(text.get("x")), float(text.get("y"))
        left = {"middle": x - width / 2, "end": x - width}.get(text.get("text-anchor") or "", x)
        boxes.append((text.text, left, y - 11, left + width, y + 2))
    return boxes


def _overlapping(svg: etree._Element) -> list[tuple[str, str]]:
    boxes = _boxes(svg)
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_labels_never_overlap_a_value_just_under_its_limit_or_a_limit_at_the_axis() -> None:
    # One year, the value just under its limit (housing ratio 0,09 against 0,10); a negative limit
    # at the bottom, where the year stands (profitability -0,02 against -0,10); a value on its limit.
    for points, limits in (([(2025, 0.0899)], {2025: 0.1}), ([(2025, -0.0215)], {2025: -0.1}),
                           ([(2025, 0.3)], {2025: 0.3}), ([(2024, 0.09), (2025, 0.11)], {2024: 0.1, 2025: 0.1}),
                           ([(2023, 0.2), (2024, 0.28), (2025, 0.31)], {2023: 0.3, 2024: 0.3, 2025: 0.3})):
        svg = _parse(line_chart("Kengetal", points, limits))
        assert len(svg.findall(f"{SVG}text")) == 2 * len(points) + 1
        assert _overlapping(svg) == [], (points, limits)
