"""OCW's downloads and page: every download returns exactly the submitted facts."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from openpyxl import load_workbook

from taxonomies.samples import SAMPLES_DIR

from .conftest import log_in
from .test_deliveries import _deliver, _file, _switch

VALID = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()
EDU = "{https://xbrl.onderwijs.example/2025/edu}"


def _read(client: FlaskClient, path: str) -> bytes:
    """A download's bytes; the response is closed, as a server would, ending its streamed context."""
    with client.get(path) as response:
        assert response.status_code == 200
        return response.get_data()


def _filed(concept: str, context: str) -> str:
    return etree.fromstring(VALID).find(f"{EDU}{concept}[@contextRef='{context}']").text


def test_downloads_return_exactly_the_filed_facts(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _file(app, client, VALID)
    _deliver(app)
    assert client.get("/ocw/2025").status_code == 403  # a board user
    _switch(client, "ocw@demo.example")
    page = client.get("/ocw/2025").get_data(as_text=True)
    assert "Equity" in page and f"{int(_filed('Equity', 'I2025')):,}" in page

    with client.get("/ocw/2025/long.csv") as long:
        assert long.headers["Content-Disposition"] == 'attachment; filename="ocw-2025-long.csv"'
        rows = list(csv.DictReader(io.StringIO(long.get_data(as_text=True))))
    facts = [e for e in etree.fromstring(VALID) if e.tag.startswith(EDU)]
    assert len(rows) == len(facts)
    equity = [r for r in rows if r["concept"] == "Equity" and r["period"] == "2025-12-31"]
    assert [r["value"] for r in equity] == [_filed("Equity", "I2025")]
    # Streaming read the rows after the request's teardown; the stream closed that session again.
    assert app.extensions["db_engine"].pool.checkedout() == 0

    wide = list(csv.DictReader(io.StringIO(_read(client, "/ocw/2025/wide.csv").decode())))
    assert len(wide) == 1 and wide[0]["board"] == "41234"
    assert wide[0]["Equity"] == _filed("Equity", "I2025") and wide[0]["Income"] == _filed("Income", "D2025")

    book = load_workbook(io.BytesIO(_read(client, "/ocw/2025/wide.xlsx")), read_only=True)
    header, row = list(book.active.iter_rows(values_only=True))
    assert dict(zip(header, row, strict=True))["Equity"] == _filed("Equity", "I2025")
    assert len(list(load_workbook(io.BytesIO(_read(client, "/ocw/2025/long.xlsx")), read_only=True)
                    .active.iter_rows())) == len(facts) + 1


def test_text_that_looks_like_a_formula_stays_text(app: Flask, client: FlaskClient, demo: None) -> None:
    hostile = VALID.replace(b">Stichting Openbaar Primair Onderwijs De Linde<", b">=HYPERLINK(&quot;http://x&quot;)<")
    log_in(client, "bestuur@demo.example")
    _file(app, client, hostile)
    _deliver(app)
    _switch(client, "ocw@demo.example")
    rows = list(csv.DictReader(io.StringIO(_read(client, "/ocw/2025/long.csv").decode())))
    (name,) = [r["value"] for r in rows if r["concept"] == "BoardName"]
    assert name == "'=HYPERLINK(\"http://x\")"
    book = load_workbook(io.BytesIO(_read(client, "/ocw/2025/long.xlsx")), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'=HYPERLINK(\"http://x\")" in cells and not any(c.startswith("=") for c in cells)
