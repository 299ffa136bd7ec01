"""OCW's pages: the year's figures at a glance and the downloads of all boards."""

from __future__ import annotations

import statistics
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, stream_with_context, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..db import get_db, utcnow
from ..errors import ServiceError
from . import downloads
from .models import StoredFact
from .services import require_ocw

bp = Blueprint("figures", __name__, url_prefix="/ocw")
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


@bp.get("/<int:year>")
@login_required
def year_page(year: int) -> Any:
    """Totals and medians of key concepts over all boards, and the downloads."""
    _allowed()
    end = f"{year}-12-31"
    rows = get_db().execute(select(StoredFact.concept, StoredFact.period, StoredFact.value).where(
        StoredFact.year == year, StoredFact.dimensions == "{}", StoredFact.concept.in_(KEY_CONCEPTS))).all()
    values: dict[str, list[Decimal]] = {c: [] for c in KEY_CONCEPTS}
    for concept, period, value in rows:
        if period.split("/")[-1] == end and value is not None:
            try:
                values[concept].append(Decimal(value))
            except InvalidOperation:
                continue
    summary = [(c, len(v), sum(v) if v else None, statistics.median(v) if v else None) for c, v in values.items()]
    return render_template("figures/year.html", year=year, summary=summary)


@bp.get("/<int:year>/<shape>.<ext>")
@login_required
def download(year: int, shape: str, ext: str) -> Any:
    """All boards' figures: long or wide, CSV (streamed) or XLSX; always a download."""
    _allowed()
    if shape not in ("long", "wide") or ext not in ("csv", "xlsx"):
        abort(404)
    name = f"ocw-{year}-{shape}.{ext}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    db = get_db()
    if shape == "long":
        header, rows = downloads.LONG_HEADER, downloads.long_rows(db, year)
    else:
        header, rows = downloads.wide_table(db, year)  # type: ignore[assignment]
    if ext == "csv":
        return Response(stream_with_context(downloads.csv_stream(header, rows)), mimetype="text/csv", headers=headers)
    return Response(downloads.xlsx(header, rows), headers=headers,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
