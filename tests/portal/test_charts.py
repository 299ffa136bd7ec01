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
