"""OCW's downloads and page: every download returns exactly the submitted facts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from openpyxl import load_workbook

from portal.figures import downloads

from ..samples import VALID
from .conftest import file_and_submit, log_in

EDU = "{https://xbrl.onderwijs.example/2025/edu}"


def _read(client: FlaskClient, path: str) -> bytes:
    """A download's bytes; the response is closed, as a server would, ending its streamed context."""
    with client.get(path) as response:
        assert response.status_code == 200
        return response.get_data()


def _filed(concept: str, context: str) -> str:
    return etree.fromstring(VALID).find(f"{EDU}{concept}[@contextRef='{context}']").text


def _filed_facts(data: bytes) -> list[tuple[str, str, str | None]]:
    """Every fact of a filing as (concept, period, value), the period written as the fact store writes it."""
    root = etree.fromstring(data)
    x = "{http://www.xbrl.org/2003/instance}"
    periods = {}
    for context in root.iter(f"{x}context"):
        instant, start, end = (context.findtext(f"{x}period/{x}{n}") for n in ("instant", "startDate", "endDate"))
        periods[context.get("id")] = instant or f"{start}/{end}"
    return sorted((e.tag.removeprefix(EDU), periods[e.get("contextRef")], e.text)
                  for e in root if e.tag.startswith(EDU))


def _parquet(client: FlaskClient, path: str) -> pa.Table:
    with client.get(path) as response:
        assert response.status_code == 200 and response.mimetype == "application/vnd.apache.parquet"
        # Written by Werkzeug: a name of plain characters needs no quotes.
        assert response.headers["Content-Disposition"] == f'attachment; filename=ocw-2025-{path.split("/")[-1]}'
        return pq.read_table(io.BytesIO(response.get_data()))


def test_downloads_return_exactly_the_filed_facts(app: Flask, client: FlaskClient, demo: None,
                                                  switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    deliver()
    assert client.get("/ocw/2025").status_code == 403  # a board user
    switch("ocw@demo.example")
    page = client.get("/ocw/2025").get_data(as_text=True)
    # The taxonomy's Dutch label, the concept's name and its amount in euros in Dutch notation.
    equity = f"€ {int(_filed('Equity', 'I2025')):,}".replace(",", ".")
    assert "Eigen vermogen" in page and "(Equity, €)" in page and equity in page
    # The year selector offers the years OCW holds figures for: only 2025 was filed.
    assert '<a aria-current="page" href="/ocw/2025">' in page and 'href="/ocw/2024"' not in page

    with client.get("/ocw/2025/long.csv") as long:
        assert long.headers["Content-Disposition"] == 'attachment; filename=ocw-2025-long.csv'
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
    assert dict(zip(header, row, strict=True))["Equity"] == int(_filed("Equity", "I2025"))  # a number: see below
    assert len(list(load_workbook(io.BytesIO(_read(client, "/ocw/2025/long.xlsx")), read_only=True)
                    .active.iter_rows())) == len(facts) + 1


def test_parquet_downloads_return_exactly_the_filed_facts(app: Flask, client: FlaskClient, demo: None,
                                                          switch: Callable[[str], None],
                                                          deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    deliver()
    assert client.get("/ocw/2025/wide.parquet").status_code == 403  # a board user
    switch("ocw@demo.example")
    page = client.get("/ocw/2025").get_data(as_text=True)
    assert 'href="/ocw/2025/long.parquet"' in page and 'href="/ocw/2025/wide.parquet"' in page

    # Long: the CSV's columns and rows, and every value exactly as filed (negative amounts too,
    # which the spreadsheet formats prefix with an apostrophe).
    long = _parquet(client, "/ocw/2025/long.parquet")
    csv_long = list(csv.reader(io.StringIO(_read(client, "/ocw/2025/long.csv").decode())))
    assert long.column_names == csv_long[0] and long.num_rows == len(csv_long) - 1
    assert long.schema.field("year").type == pa.int32() and long.schema.field("value").type == pa.string()
    rows = long.to_pylist()
    assert {(r["board"], r["year"]) for r in rows} == {("41234", 2025)}
    assert {r["unit"] for r in rows if r["concept"] == "BoardName"} == {None}  # null, where the CSV has ""
    assert sorted((r["concept"], r["period"], r["value"]) for r in rows) == _filed_facts(VALID)
    assert ("Result", "2025-01-01/2025-12-31", _filed("Result", "D2025")) in {
        (r["concept"], r["period"], r["value"]) for r in rows} and _filed("Result", "D2025").startswith("-")

    # Wide: the CSV's columns and rows; the board's row is the reporting year's own facts as filed.
    wide = _parquet(client, "/ocw/2025/wide.parquet")
    csv_wide = list(csv.reader(io.StringIO(_read(client, "/ocw/2025/wide.csv").decode())))
    assert wide.column_names == csv_wide[0] and wide.num_rows == len(csv_wide) - 1 == 1
    own = {e.tag.removeprefix(EDU): e.text for e in etree.fromstring(VALID)
           if e.get("contextRef") in ("I2025", "D2025")}  # the contexts without dimensions
    assert wide.to_pylist() == [{"board": "41234", **own}]
    assert client.get("/ocw/2025/wide.json").status_code == 404


def test_text_that_looks_like_a_formula_stays_text(app: Flask, client: FlaskClient, demo: None,
                                                   switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    hostile = VALID.replace(b">Stichting Openbaar Primair Onderwijs De Linde<", b">=HYPERLINK(&quot;http://x&quot;)<")
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, hostile)
    deliver()
    switch("ocw@demo.example")
    rows = list(csv.DictReader(io.StringIO(_read(client, "/ocw/2025/long.csv").decode())))
    (name,) = [r["value"] for r in rows if r["concept"] == "BoardName"]
    assert name == "'=HYPERLINK(\"http://x\")"
    book = load_workbook(io.BytesIO(_read(client, "/ocw/2025/long.xlsx")), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'=HYPERLINK(\"http://x\")" in cells and not any(c.startswith("=") for c in cells)
    # A negative amount is a number, not a formula: as filed in both spreadsheet formats.
    (result,) = [r["value"] for r in rows if r["concept"] == "Result" and r["period"] == "2025-01-01/2025-12-31"
                 and not r["dimensions"]]
    assert result == _filed("Result", "D2025") == "-41902"
    assert -41902 in [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert not any(c.endswith("41902") for c in cells)
    # Parquet is no spreadsheet: the value comes back exactly as filed, in both shapes.
    long = pq.read_table(io.BytesIO(_read(client, "/ocw/2025/long.parquet"))).to_pylist()
    wide = pq.read_table(io.BytesIO(_read(client, "/ocw/2025/wide.parquet"))).to_pylist()
    assert ([r["value"] for r in long if r["concept"] == "BoardName"] == [r["BoardName"] for r in wide]
            == ['=HYPERLINK("http://x")'])


def test_xlsx_amounts_are_numbers_and_text_stays_text(app: Flask, client: FlaskClient, demo: None,
                                                      switch: Callable[[str], None],
                                                      deliver: Callable[[], int]) -> None:
    # Excel adds up numeric cells only: an amount stored as text sums to 0 with a warning on every cell.
    hostile = VALID.replace(b">Stichting Openbaar Primair Onderwijs De Linde<", b">-1+2<")
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, hostile)
    deliver()
    switch("ocw@demo.example")
    wide = load_workbook(io.BytesIO(_read(client, "/ocw/2025/wide.xlsx"))).active
    header = [c.value for c in wide[1]]
    cells = dict(zip(header, wide[2], strict=True))
    for concept, context in (("Equity", "I2025"), ("Result", "D2025"), ("StudentCount", "I2025")):
        assert cells[concept].data_type == "n" and cells[concept].value == int(_filed(concept, context)), concept
    # A decimal amount is a number too, shown with the decimals it was filed with.
    assert _filed("FTESupportStaff", "I2025") == "4.60"
    support = cells["FTESupportStaff"]
    assert (support.data_type, support.value, support.number_format) == ("n", 4.6, "0.00")
    # Text facts stay text, however numeric they look (a leading zero of a KvK number must survive),
    # and text that a spreadsheet would run as a formula still cannot become one.
    assert cells["BoardNumber"].data_type == "s" and cells["BoardNumber"].value == "41234"
    assert cells["ChamberOfCommerceNumber"].value == _filed("ChamberOfCommerceNumber", "D2025")
    assert cells["BoardName"].data_type == "s" and cells["BoardName"].value == "'-1+2"
    assert cells["board"].value == "41234"
    long = load_workbook(io.BytesIO(_read(client, "/ocw/2025/long.xlsx"))).active
    rows = [[c.value for c in row] for row in long.iter_rows()]
    value = rows[0].index("value")
    amounts = {(r[2], r[3]): r[value] for r in rows[1:] if r[rows[0].index("unit")] and not r[4]}
    assert amounts[("Result", "2025-01-01/2025-12-31")] == -41902
    assert all(isinstance(v, (int, float)) for v in amounts.values()) and len(amounts) > 60
    texts = [r[value] for r in rows[1:] if not r[rows[0].index("unit")]]
    assert "'-1+2" in texts and all(isinstance(v, str) for v in texts)
    assert not any(c.data_type == "f" for row in long.iter_rows() for c in row)


def test_xlsx_keeps_an_amount_too_long_for_a_spreadsheet_as_text() -> None:
    big = downloads.Amount("1234567890123456.5")  # 17 digits: a double would change it
    book = load_workbook(io.BytesIO(downloads.xlsx(["value"], [[big], [downloads.Amount("-7")], ["-7"]])))
    # A text fact "-7" (no unit) is text: no formula either way, and as filed.
    assert [(c.data_type, c.value) for (c,) in book.active.iter_rows(min_row=2)] == [
        ("s", "1234567890123456.5"), ("n", -7), ("s", "-7")]


def test_parquet_is_written_one_row_group_at_a_time() -> None:
    consumed = 0

    def rows(n: int) -> Iterator[list[object]]:
        nonlocal consumed
        for i in range(n):
            consumed += 1
            yield [f"{i:05d}", 2025, None if i % 3 else f"-{i}"]

    pieces = []
    for piece in downloads.parquet_stream(["board", "year", "value"], rows(12_000), integers=("year",)):
        pieces.append(piece)
        # Each piece leaves before the next group's rows are read: memory holds one group.
        assert consumed <= len(pieces) * downloads.ROW_GROUP
    assert len(pieces) == 3
    parquet = pq.ParquetFile(io.BytesIO(b"".join(pieces)))
    assert parquet.metadata.num_row_groups == 3
    assert parquet.read().to_pylist() == [{"board": b, "year": y, "value": v} for b, y, v in rows(12_000)]
