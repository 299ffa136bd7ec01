"""OCW's downloads of all boards: long (one fact per row) and wide (one board per row),
as CSV (streamed), XLSX or Parquet (streamed); spreadsheet cells made formula-safe, Parquet values as filed.
In the XLSX, amounts (the values of facts with a unit) are numeric cells, so a spreadsheet can add them up."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from validators.facts import ends_in

from ..attachments import safe_cell
from .models import StoredFact

LONG_HEADER = ["board", "year", "concept", "period", "dimensions", "value", "unit"]
# Rows per Parquet row group: each group is encoded and handed to the response before the next
# is read, so memory stays flat for the long format (hundreds of thousands of facts).
ROW_GROUP = 5000
# An amount as xs:decimal writes it (-41902, 1386.50, +3, .5). A spreadsheet holds a number as a
# double: 15 significant digits are kept exactly, so a longer one stays text, as filed.
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
EXACT_DIGITS = 15


class Amount(str):
    """The value of a numeric fact (one with a unit), as filed: text in the CSV and Parquet, a number
    in the XLSX. Text facts that look like numbers (a board or KvK number, "01234567") are plain str
    and stay text everywhere, leading zeros and all."""


def long_rows(db: Session, year: int) -> Iterator[list[object]]:
    """Every stored fact of the year, one per row, in a stable order."""
    query = (select(StoredFact).where(StoredFact.year == year)
             .order_by(StoredFact.board, StoredFact.concept, StoredFact.period, StoredFact.dimensions))
    for fact in db.scalars(query.execution_options(yield_per=2000)):
        value = Amount(fact.value) if fact.unit and fact.value is not None else fact.value
        yield [fact.board, fact.year, fact.concept, fact.period, "" if fact.dimensions == "{}" else fact.dimensions,
               value, fact.unit]


def wide_table(db: Session, year: int) -> tuple[list[str], list[list[object]]]:
    """One row per board, one column per concept: the reporting year's own facts (no
    dimensions, period ending 31 December of the year)."""
    boards: dict[str, dict[str, str | None]] = {}
    concepts: set[str] = set()
    query = select(StoredFact.board, StoredFact.concept, StoredFact.period, StoredFact.value, StoredFact.unit).where(
        StoredFact.year == year, StoredFact.dimensions == "{}")
    for board, concept, period, value, unit in db.execute(query.execution_options(yield_per=5000)):
        if ends_in(period, year):
            boards.setdefault(board, {})[concept] = Amount(value) if unit and value is not None else value
            concepts.add(concept)
    columns = sorted(concepts)
    return ["board", *columns], [[board, *(values.get(c) for c in columns)] for board, values in sorted(boards.items())]


def csv_stream(header: list[str], rows: Iterator[list[object]] | list[list[object]]) -> Iterator[str]:
    """CSV text in pieces, for a streamed response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(v) for v in row])
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx(header: list[str], rows: Iterator[list[object]] | list[list[object]]) -> bytes:
    """An XLSX workbook (write-only: memory stays flat): amounts as numeric cells (with as many
    decimals shown as were filed), text cells made formula-safe."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("facts")
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, Amount) and _DECIMAL.fullmatch(value.strip()):
        number = Decimal(value.strip())
        if len(number.as_tuple().digits) <= EXACT_DIGITS:
            places = -int(number.as_tuple().exponent)
            if places <= 0:
                return int(number)
            cell = WriteOnlyCell(sheet, value=number)
            cell.number_format = "0." + "0" * places  # 1386.50 shows as filed, not as 1386.5
            return cell
    return safe_cell(value) if isinstance(value, str) else value


class _Sink(io.RawIOBase):
    """An in-memory file for ParquetWriter whose bytes can be taken out as they come.

    It counts every byte ever written for tell(): the writer records the offsets of its
    row groups in the footer from it, so emptying a BytesIO (which resets tell()) would
    corrupt the file."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        """ParquetWriter only writes."""
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        """Keep the bytes until take()."""
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        """Bytes written so far, taken or not."""
        return self._position

    def take(self) -> bytes:
        """The bytes written since the last take()."""
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def parquet_stream(header: list[str], rows: Iterable[list[object]], integers: tuple[str, ...] = ()) -> Iterator[bytes]:
    """A Parquet file in pieces, for a streamed response: one row group of ROW_GROUP rows at a time.

    Columns are strings, except those named in `integers`; None stays null. Values do not go
    through safe_cell: Parquet is read by programs and never evaluates a cell as a formula, so
    the apostrophe would only corrupt the value, and the figures' promise is that a value read
    back equals the value filed."""
    schema = pa.schema([pa.field(name, pa.int32() if name in integers else pa.string()) for name in header])
    sink = _Sink()
    with pq.ParquetWriter(sink, schema) as writer:
        chunk: list[list[object]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == ROW_GROUP:
                writer.write_batch(_batch(schema, chunk))
                chunk = []
                yield sink.take()
        if chunk:
            writer.write_batch(_batch(schema, chunk))
    yield sink.take()  # the last group and the footer


def _batch(schema: pa.Schema, chunk: list[list[object]]) -> pa.RecordBatch:
    columns = zip(*chunk, strict=True)  # rows to columns
    arrays = [pa.array(list(values), type=field.type) for field, values in zip(schema, columns, strict=True)]
    return pa.record_batch(arrays, schema=schema)
