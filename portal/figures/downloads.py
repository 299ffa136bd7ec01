"""OCW's downloads of all boards: long (one fact per row) and wide (one board per row),
as CSV (streamed) or XLSX; every cell made safe for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..recipients.views import safe_cell
from .models import StoredFact

LONG_HEADER = ["board", "year", "concept", "period", "dimensions", "value", "unit"]


def long_rows(db: Session, year: int) -> Iterator[list[object]]:
    """Every stored fact of the year, one per row, in a stable order."""
    query = (select(StoredFact).where(StoredFact.year == year)
             .order_by(StoredFact.board, StoredFact.concept, StoredFact.period, StoredFact.dimensions))
    for fact in db.scalars(query.execution_options(yield_per=2000)):
        yield [fact.board, fact.year, fact.concept, fact.period, "" if fact.dimensions == "{}" else fact.dimensions,
               fact.value, fact.unit]


def wide_table(db: Session, year: int) -> tuple[list[str], list[list[object]]]:
    """One row per board, one column per concept: the reporting year's own facts (no
    dimensions, period ending 31 December of the year)."""
    end = f"{year}-12-31"
    boards: dict[str, dict[str, str | None]] = {}
    concepts: set[str] = set()
    query = select(StoredFact.board, StoredFact.concept, StoredFact.period, StoredFact.value).where(
        StoredFact.year == year, StoredFact.dimensions == "{}")
    for board, concept, period, value in db.execute(query.execution_options(yield_per=5000)):
        if period.split("/")[-1] == end:
            boards.setdefault(board, {})[concept] = value
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
    """An XLSX workbook (write-only: memory stays flat); text cells made formula-safe."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("facts")
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
