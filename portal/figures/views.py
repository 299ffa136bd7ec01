"""OCW's pages: the year's figures at a glance and the downloads of all boards."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..attachments import as_attachment, send_download
from ..boards.models import SECTORS, Board
from ..db import get_db, utcnow
from ..errors import ServiceError
from . import downloads
from .models import StoredFact
from .services import require_ocw

bp = Blueprint("figures", __name__, url_prefix="/ocw")
T = TypeVar("T")
KEY_CONCEPTS = ("Income", "Expenses", "Result", "Equity", "EquityAndLiabilities", "CashAndCashEquivalents",
                "StudentCount", "FTETotal")


def _allowed() -> None:
    try:
        require_ocw(current_user)
    except ServiceError as exc:
        abort(exc.status)


@bp.get("/")
@login_required
def index() -> Any:
    """The current filing year."""
    return redirect(url_for("figures.year_page", year=utcnow().year - 1))


def _quantile(values: list[Decimal], share: float) -> Decimal:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * Decimal(str(position - low))


@bp.get("/<int:year>")
@login_required
def year_page(year: int) -> Any:
    """Per key concept over all boards (or one sector): count, total and its change on the previous
    year, and the distribution (quartiles)."""
    _allowed()
    sector = request.args.get("sector") or None
    query = (select(StoredFact.year, StoredFact.concept, StoredFact.period, StoredFact.value, Board.sectors)
             .join(Board, Board.id == StoredFact.board_id)
             .where(StoredFact.year.in_((year - 1, year)), StoredFact.dimensions == "{}",
                    StoredFact.concept.in_(KEY_CONCEPTS)))
    values: dict[tuple[int, str], list[Decimal]] = {}
    for fact_year, concept, period, value, sectors in get_db().execute(query):
        if period.split("/")[-1] != f"{fact_year}-12-31" or value is None or (sector and sector not in sectors.split()):
            continue
        try:
            values.setdefault((fact_year, concept), []).append(Decimal(value))
        except InvalidOperation:
            continue
    summary = []
    for concept in KEY_CONCEPTS:
        now, before = values.get((year, concept), []), values.get((year - 1, concept), [])
        total, previous = (sum(now) if now else None), (sum(before) if before else None)
        change = (total - previous) / abs(previous) if total is not None and previous else None
        quartiles = [_quantile(now, q) for q in (0.25, 0.5, 0.75)] if now else [None, None, None]
        summary.append((concept, len(now), total, change, *quartiles))
    return render_template("figures/year.html", year=year, summary=summary, sector=sector, sectors=SECTORS)


def _closing(chunks: Iterator[T], db: Session) -> Iterator[T]:
    # The request's teardown closes its session before the first chunk is sent; the rows read
    # while streaming open a new transaction on it, which only this closes (else the connection
    # stays checked out, idle in a transaction, until the garbage collector finds the session).
    try:
        yield from chunks
    finally:
        db.close()


@bp.get("/<int:year>/<shape>.<ext>")
@login_required
def download(year: int, shape: str, ext: str) -> Any:
    """All boards' figures: long or wide, CSV or Parquet (streamed) or XLSX; always a download."""
    _allowed()
    if shape not in ("long", "wide") or ext not in ("csv", "xlsx", "parquet"):
        abort(404)
    name = f"ocw-{year}-{shape}.{ext}"
    db = get_db()
    if shape == "long":
        header, rows = downloads.LONG_HEADER, downloads.long_rows(db, year)
    else:
        header, rows = downloads.wide_table(db, year)  # type: ignore[assignment]
    if ext == "csv":
        return as_attachment(Response(stream_with_context(_closing(downloads.csv_stream(header, rows), db)),
                                      mimetype="text/csv"), name)
    if ext == "parquet":
        integers = ("year",) if shape == "long" else ()  # the wide format's columns are concepts
        return as_attachment(Response(stream_with_context(_closing(downloads.parquet_stream(header, rows, integers),
                                                                   db)), mimetype="application/vnd.apache.parquet"),
                             name)
    return send_download(downloads.xlsx(header, rows), name,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
