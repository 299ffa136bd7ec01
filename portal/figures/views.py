"""OCW's pages: the year's figures at a glance and the downloads of all boards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from ..attachments import as_attachment, send_download
from ..boards.models import SECTORS
from ..db import get_db, utcnow
from ..reading.statements import submitted_version
from ..errors import not_found
from ..listing import page_number
from . import boards, downloads, services

bp = Blueprint("figures", __name__, url_prefix="/ocw")
T = TypeVar("T")


@bp.get("/")
@login_required
def index() -> Any:
    """The current filing year."""
    return redirect(url_for("figures.year_page", year=utcnow().year - 1))


@bp.get("/<int:year>")
@login_required
def year_page(year: int) -> Any:
    """Per key concept over all boards (or one sector): count, total and its change on the previous
    year, and the distribution (quartiles); the years to choose from; the boards that filed, each
    linked to its own page (searched and paged by the query string: q, page)."""
    db = get_db()
    sector = request.args.get("sector") or None
    summary = services.year_summary(db, current_user, year, sector)
    # The years OCW holds figures for, and the one shown even when it holds none (yet).
    years = sorted(set(boards.figure_years(db, current_user)) | {year}, reverse=True)
    search = " ".join(request.args.get("q", "").split())[:100]
    filed, page = boards.boards_of_year(db, current_user, year, search, page_number(request.args.get("page")),
                                        sector)
    return render_template("figures/year.html", year=year, summary=summary, sector=sector, sectors=SECTORS,
                           labels=services.concept_labels(), years=years, boards=filed, page=page, search=search)


@bp.get("/<int:year>/bestuur/<number>")
@login_required
def board_page(year: int, number: str) -> Any:
    """One board's submitted figures of the year, with the taxonomy's labels and units."""
    db = get_db()
    board, figures = boards.board_figures(db, current_user, year, number)
    # The submitted version, to read its statements with last year's figures beside.
    version = submitted_version(db, board.id, year)
    return render_template("figures/board.html", year=year, board=board, figures=figures, version=version)


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
    if shape not in ("long", "wide") or ext not in ("csv", "xlsx", "parquet"):
        raise not_found()
    name = f"ocw-{year}-{shape}.{ext}"
    db = get_db()
    header, rows = services.table(db, current_user, year, shape)
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
