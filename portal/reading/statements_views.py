"""The statements page of a version: its balance sheet, income statement, cash flow statement,
continuity section, WNT table and general information as the portal's own HTML (thin, over
statements.py)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from validators.statements import shown

from ..db import get_db
from ..errors import ServiceError
from ..filings.services import get_filing
from ..i18n import language
from ..users.models import Role
from . import statements
from .blueprint import bp

# The recipients who read a year's filing against the year before: their page shows last year's
# submitted figures beside this year's unless they ask otherwise.
_BESIDE_BY_DEFAULT = (Role.OCW, Role.INSPECTORATE)


def _flag(name: str, default: bool) -> bool:
    value = request.args.get(name)
    return default if value is None else value in ("1", "true", "yes")


@bp.get("/filings/<int:filing_id>/statements")
@login_required
def statements_page(filing_id: int) -> Any:
    """The statements of a version; `?empty=1` shows the empty rows too, `?previous=1` (0) puts the
    year before's submitted figures beside this year's (or not)."""
    db = get_db()
    empty = _flag("empty", False)
    previous = _flag("previous", current_user.role in _BESIDE_BY_DEFAULT)
    try:
        reading = statements.read(db, current_user, filing_id, language(), previous=previous)
    except ServiceError as error:
        if error.code != "STATEMENTS-NOT-READY":
            raise
        filing = get_filing(db, current_user, filing_id)
        return render_template("reading/statements.html", filing=filing, reading=None, empty=empty,
                               previous=previous), 200
    return render_template("reading/statements.html", filing=reading.filing, reading=reading, empty=empty,
                           previous=previous, shown=shown, anchor=statements.anchor), 200
