"""The inspectorate's board page: key figures over the years as charts, profitability over 1-3 years."""

from __future__ import annotations

import io
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from taxonomies.samples import SAMPLES_DIR

from .conftest import csrf_token, log_in, run_jobs
from .test_deliveries import _deliver, _switch


def _file_year(app: Flask, client: FlaskClient, year: int) -> bytes:
    data = (SAMPLES_DIR / f"{year}/valid/po-small.xbrl").read_bytes()
    location = client.post(f"/boards/41234/{year}/upload", data={
        "csrf_token": csrf_token(client, f"/boards/41234/{year}"), "file": (io.BytesIO(data), "jv.xbrl")},
        content_type="multipart/form-data").headers["Location"]
    run_jobs(app)
    filing_id = location.rsplit("/", 1)[1]
    client.post(f"/filings/{filing_id}/submit", data={"csrf_token": csrf_token(client, f"/filings/{filing_id}"),
                                                      "declaration": "yes"})
    return data


def _ratio(data: bytes, year: int) -> float:
    root = etree.fromstring(data)
    ns = f"{{https://xbrl.onderwijs.example/{year}/edu}}"

    def value(concept: str) -> Decimal:
        return Decimal(root.find(f"{ns}{concept}[@contextRef='D{year}']").text)

    return round(float(value("Result") / (value("Income") + value("FinancialIncome"))), 4)


def test_board_history_with_charts_and_profitability(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    ratios = {year: _ratio(_file_year(app, client, year), year) for year in (2024, 2025)}
    _deliver(app)
    assert client.get("/inspectie/bestuur/41234").status_code == 403  # a board user
    _switch(client, "inspectie@demo.example")
    page = client.get("/inspectie/bestuur/41234").get_data(as_text=True)
    assert page.count("<svg") == 7 and "2024, 2025" in page
    assert f"{ratios[2025]:.4f}" in page  # 1 year
    assert f"{round((ratios[2024] + ratios[2025]) / 2, 4):.4f}" in page  # 2 years
    assert "missing year: 2023" in page  # 3 years needs 2023
    assert "<script" not in page.split("<main>")[1]  # charts are plain SVG
    assert client.get("/inspectie/bestuur/99999").status_code == 404


def test_ocw_page_per_sector_with_year_on_year_change(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    data = {year: _file_year(app, client, year) for year in (2024, 2025)}
    _deliver(app)
    _switch(client, "ocw@demo.example")

    def equity(year: int) -> Decimal:
        root = etree.fromstring(data[year])
        return Decimal(root.find(f"{{https://xbrl.onderwijs.example/{year}/edu}}Equity[@contextRef='I{year}']").text)

    page = client.get("/ocw/2025").get_data(as_text=True)
    change = (equity(2025) - equity(2024)) / abs(equity(2024))
    assert f"{change:+.1%}" in page and f"{equity(2025):,.0f}" in page
    assert f"{equity(2025):,.0f}" not in client.get("/ocw/2025?sector=VO").get_data(as_text=True)  # board 41234 is PO
