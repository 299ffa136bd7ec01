"""The inspectorate's board page: key figures over the years as charts and as a table, profitability over 1-3 years."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from flask import Flask
from flask.testing import FlaskClient
from lxml import etree, html

from validators.signals import table_for

from ..samples import sample
from .conftest import csrf_token, file_and_submit, log_in


def _file_year(app: Flask, client: FlaskClient, year: int, data: bytes | None = None) -> bytes:
    """File and submit board 41234's version of `year` (its valid sample unless given); its bytes."""
    data = data or sample(f"{year}/valid/po-small.xbrl")
    file_and_submit(app, client, data, year)
    return data


def _nl(value: float, places: int = 4) -> str:
    """A number as a Dutch page writes it: a decimal comma (places: 0 for as many as it has)."""
    text = f"{value:.{places}f}" if places else f"{value}"
    return text.replace(".", ",")


def _value(data: bytes, year: int, concept: str) -> Decimal:
    """A filed amount of the reporting year (duration or instant), no dimensions."""
    root = etree.fromstring(data)
    ns = f"{{https://xbrl.onderwijs.example/{year}/edu}}"
    fact = root.find(f"{ns}{concept}[@contextRef='D{year}']")
    return Decimal((fact if fact is not None else root.find(f"{ns}{concept}[@contextRef='I{year}']")).text)


def _ratio(data: bytes, year: int) -> float:
    v = partial(_value, data, year)
    return round(float(v("Result") / (v("Income") + v("FinancialIncome"))), 4)


def _table(page: str, labelled_by: str) -> list[list[str]]:
    """A table's body as the reader sees it: one list of cell texts per row."""
    table = html.fromstring(page).xpath(f"//table[@aria-labelledby='{labelled_by}']")[0]
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")] for row in table.xpath("tbody/tr")]


def test_board_history_with_charts_and_profitability(app: Flask, client: FlaskClient, demo: None,
                                                     switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    ratios = {year: _ratio(_file_year(app, client, year), year) for year in (2024, 2025)}
    deliver()
    assert client.get("/inspectie/bestuur/41234").status_code == 403  # a board user
    switch("inspectie@demo.example")
    page = client.get("/inspectie/bestuur/41234").get_data(as_text=True)
    assert page.count("<svg") == 7 and "2024, 2025" in page
    # The charts' labels in Dutch notation too: 403.305 and 0,35, never 403,305 or 0.35 (the years aside).
    labels = [t.text for t in html.fromstring(page).xpath("//*[local-name()='svg']//*[local-name()='text']")]
    values = [label for label in labels if not re.fullmatch(r"\d{4}", label)]
    assert values and all(re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d\d)?", label) for label in values), values
    assert any("," in label for label in values) and any("." in label for label in values)
    assert _nl(ratios[2025]) in page  # 1 year, in Dutch notation
    assert _nl(round((ratios[2024] + ratios[2025]) / 2, 4)) in page  # 2 years
    assert "Niet te berekenen: ontbrekend jaar: 2023" in page  # 3 years needs 2023
    # Charts are plain SVG: no script in the page's content (the layout script every page loads sits after it).
    assert "<script" not in page.split("<main")[1].split("</main>")[0]
    assert client.get("/inspectie/bestuur/99999").status_code == 404


def test_earlier_set_history_as_a_table(app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None],
                                        deliver: Callable[[], int]) -> None:
    # 2024 moves 100,000 from other expenses to housing (totals unchanged), so its housing ratio breaches.
    housing = sample("2024/valid/po-small.xbrl")
    for concept, before, after in (("HousingExpenses", 154135, 254135), ("OtherExpenses", 220194, 120194)):
        fact = f'<edu:{concept} contextRef="D2024" unitRef="EUR" decimals="0">{{}}</edu:{concept}>'
        assert housing.count(fact.format(before).encode()) == 1
        housing = housing.replace(fact.format(before).encode(), fact.format(after).encode())
    log_in(client, "bestuur@demo.example")
    data = {2024: _file_year(app, client, 2024, housing), 2025: _file_year(app, client, 2025)}
    deliver()
    switch("inspectie@demo.example")
    page = client.get("/inspectie/bestuur/41234").get_data(as_text=True)

    def expected(year: int) -> list[str]:
        """The row computed from the filed facts, with the thresholds of the year's table version."""
        v = partial(_value, data[year], year)
        table = table_for(year)
        housing_ratio = round(float((v("HousingExpenses") + v("DepreciationLandAndBuildings"))
                                    / (v("Expenses") + v("FinancialExpenses"))), 4)
        threshold = table["housing_ratio"]["above"]["PO"]  # board 41234 files as PO
        resilience = round(float(v("Equity") / (v("Income") + v("FinancialIncome"))), 4)
        ratios = {y: _ratio(data[y], y) for y in data}
        row = [str(year), _nl(housing_ratio), f"> {_nl(threshold, 0)}",
               "Signaal" if housing_ratio > threshold else "Binnen de grens", _nl(resilience)]
        for span, limit in ((1, "below_1y"), (2, "below_2y"), (3, "below_3y")):
            years = [year - k for k in range(span)]
            missing = [y for y in years if y not in ratios]
            if missing:
                row.append(f"Niet te berekenen: ontbrekend jaar: {', '.join(map(str, missing))}")
            else:
                average = round(sum(ratios[y] for y in years) / span, 4)
                row.append(_nl(average) + (" Signaal" if average < table["profitability"][limit] else ""))
        return row

    rows = _table(page, "earlier-history")
    assert rows == [expected(2024), expected(2025)]
    assert rows[0][3] == "Signaal" and rows[1][3] == "Binnen de grens"  # the moved 100,000 breaches 2024
    assert rows[0][6:] == ["Niet te berekenen: ontbrekend jaar: 2023",
                           "Niet te berekenen: ontbrekend jaar: 2023, 2022"]  # the engine's order
    assert rows[1][7] == "Niet te berekenen: ontbrekend jaar: 2023"

    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    english = client.get("/inspectie/bestuur/41234").get_data(as_text=True)
    assert "Earlier set per reporting year" in english and '<th scope="colgroup" colspan="3">Housing ratio</th>' in english
    assert _table(english, "earlier-history")[0][6] == "Not computable: missing year: 2023"


def test_ocw_page_per_sector_with_year_on_year_change(app: Flask, client: FlaskClient, demo: None,
                                                      switch: Callable[[str], None],
                                                      deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    data = {year: _file_year(app, client, year) for year in (2024, 2025)}
    deliver()
    switch("ocw@demo.example")

    def equity(year: int) -> Decimal:
        root = etree.fromstring(data[year])
        return Decimal(root.find(f"{{https://xbrl.onderwijs.example/{year}/edu}}Equity[@contextRef='I{year}']").text)

    page = client.get("/ocw/2025").get_data(as_text=True)
    change = (equity(2025) - equity(2024)) / abs(equity(2024))
    # In Dutch notation: a decimal comma, a point between thousands.
    amount = f"€ {equity(2025):,.0f}".replace(",", ".")
    assert f"{change:+.1%}".replace(".", ",") in page and amount in page
    assert amount not in client.get("/ocw/2025?sector=VO").get_data(as_text=True)  # board 41234 is PO


def test_the_list_names_each_board_and_shows_the_sort(app: Flask, client: FlaskClient, demo: None,
                                                      switch: Callable[[str], None],
                                                      deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    _file_year(app, client, 2025)
    deliver()
    switch("inspectie@demo.example")
    page = client.get("/inspectie/2025?all=1&sort=cash").get_data(as_text=True)
    rows = html.fromstring(page).xpath("//table[contains(@class, 'list')]/tbody/tr/td[1]")
    assert [" ".join(r.text_content().split()) for r in rows] == ["Stichting Openbaar Primair Onderwijs De Linde (41234)"]
    (sorted_by,) = html.fromstring(page).xpath("//th[@aria-sort]")
    assert sorted_by.get("aria-sort") == "ascending" and "Liquide middelen" in sorted_by.text_content()
