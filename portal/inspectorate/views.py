"""The inspectorate's list of boards with signals, filtered by sector and size, sortable."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from validators.signals import table_for

from .. import formatting
from ..boards.models import SECTORS
from ..db import get_db, utcnow
from ..i18n import named
from ..listing import DESCENDING, direction
from . import services
from .charts import line_chart

bp = Blueprint("inspectorate", __name__, url_prefix="/inspectie")


@bp.get("/")
@login_required
def index() -> Any:
    """The current filing year."""
    return redirect(url_for("inspectorate.signals", year=utcnow().year - 1))


@bp.get("/<int:year>")
@login_required
def signals(year: int) -> Any:
    """Boards with a breached value (or all, with ?all=1), sorted by a column either way (sort, dir)."""
    sector = request.args.get("sector") or None
    size = request.args.get("size") or None
    sort = request.args.get("sort", "breaches")
    sort = sort if sort in services.SORTS else "breaches"
    way = request.args.get("dir") or services.default_direction(sort)
    way = direction(way)
    show_all = request.args.get("all") == "1"
    rows = services.signal_list(get_db(), current_user, year, sector, size, sort, not show_all,
                                descending=way == DESCENDING)
    # The list's query string, for the headings' links (each keeps the filters).
    args = {"year": year, "sector": sector, "size": size, "all": "1" if show_all else None}
    return render_template("inspectorate/list.html", year=year, rows=rows, names=services.NAMES, sectors=SECTORS,
                           sizes=tuple(services.SIZES), sector=sector, size=size, sort=sort, dir=way,
                           show_all=show_all, args=args)


@bp.get("/bestuur/<number>")
@login_required
def board(number: str) -> Any:
    """One board's key figures over the years, as charts, and profitability over 1, 2 and 3 years."""
    history = services.board_history(get_db(), current_user, number)
    # Each chart's accessible name is the key figure's label in the page's language.
    charts = {name: line_chart(named("signal_" + name), [(y, history.values.get(name, {}).get(y).value
                                                      if history.values.get(name, {}).get(y) else None)
                                                     for y in history.years],
                               {y: v.threshold for y, v in history.values.get(name, {}).items()},
                               money=name == "cash", number=formatting.number) for name in services.NAMES}
    # The yearly ratio is the 1-year profitability: judged by each year's own 1-year limit.
    charts["profitability"] = line_chart(_("Profitability"), [(y, history.profitability.get(y))
                                                              for y in history.years],
                                         {y: table_for(y)["profitability"]["below_1y"] for y in history.years},
                                         number=formatting.number)
    return render_template("inspectorate/board.html", history=history, charts=charts, names=services.NAMES)
