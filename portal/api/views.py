"""JSON API v1 for software vendors: the same services as the pages.

Each view is registered from the table of operations (operations.py), which checks the token and
the request before the view runs and hands it the checked values; the views only call services."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, jsonify

from validators.report import SUBMITTABLE

from ..attachments import send_download
from ..db import get_db
from ..drafts import services as drafts
from ..drafts.models import Draft
from ..boards.models import Board
from ..storage import get_store
from ..errors import ServiceError
from ..figures import services as figures_services
from ..filings import services
from ..filings.services import UploadLimits
from ..filings.models import Filing
from ..i18n import client_address
from ..inspectorate import services as inspectorate_services
from ..reading import compare as comparing
from ..reading import statements
from ..submissions import receipts
from ..submissions.deliveries import deliveries_of
from ..attachments import safe_cell
from .auth import authenticate
from .contract import dumps, endpoint
from .idempotency import earlier_answer, remember, request_hash
from .models import IdempotencyKey
from .openapi import document
from .operations import BY_NAME

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _route(name: str) -> Callable[[Callable[[dict[str, Any]], Any]], Callable[..., Any]]:
    return endpoint(bp, BY_NAME[name], authenticate)


def filing_json(filing: Filing) -> dict[str, Any]:
    """A filing as the API shows it."""
    db = get_db()
    # Only a validated regular version can have been submitted, and only a submitted one has
    # deliveries: a status poll of a filing still in the queue asks the database for neither.
    submittable = filing.status in SUBMITTABLE and not filing.is_test
    receipt = filing.receipt if submittable else None
    return {"id": filing.id, "board": filing.board.number, "year": filing.year, "version": filing.version,
            "test": filing.is_test, "status": filing.status, "report": filing.report,
            "receipt": receipt.body if receipt else None,
            "deliveries": [d.to_dict() for d in deliveries_of(db, filing)] if receipt else [],
            "exports": {fmt: f"/api/v1/filings/{filing.id}/exports/{fmt}" if getattr(filing, column) else None
                        for fmt, (column, _suffix, _type) in services.EXPORTS.items()}}


def _json(body: str, status: int) -> Any:
    return current_app.response_class(body, status=status, mimetype="application/json")


def _replay(earlier: IdempotencyKey | None) -> Any:
    if earlier is None:  # the concurrent request that took the key was itself rolled back
        raise ServiceError("FILING-BUSY", "Please try again.", 409)
    return _json(earlier.body, earlier.status_code)


@_route("openapi")
def openapi(_args: dict[str, Any]) -> Any:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(document())


@_route("create_filing")
def create_filing(args: dict[str, Any]) -> Any:
    """Upload a file for a board and year: 202 with the filing (queued)."""
    file, key, test = args["file"], args["Idempotency-Key"], args["test"] is True
    name = file.filename or "upload"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ServiceError("REQUEST-INVALID", "The file name contains control characters.", 400)
    data = file.read()
    digest = request_hash(args["board"], args["year"], test, name, data)
    db, user_id = get_db(), g.api_user.id
    if key is not None and (earlier := earlier_answer(db, user_id, key, digest)) is not None:
        return _replay(earlier)
    config = current_app.config
    filing, _created = services.upload(db, get_store(), g.api_user, args["board"], args["year"], data,
                                       name, UploadLimits.from_config(config), test=test,
                                       retention_days=config["TEST_RETENTION_DAYS"], address=client_address(),
                                       via="api")
    body = dumps(filing_json(filing))
    if key is not None and not remember(db, user_id, key, digest, 202, body):
        db.rollback()  # a concurrent request took the key first: this one uploads nothing, and answers as that one
        return _replay(earlier_answer(db, user_id, key, digest))
    db.commit()  # the validation is queued after the commit (portal/jobs)
    return _json(body, 202)


@_route("list_filings")
def list_filings(args: dict[str, Any]) -> Any:
    """Every version for ?board=&year=."""
    filings = services.filings_for(get_db(), g.api_user, args["board"], args["year"])
    return jsonify({"filings": [filing_json(f) for f in filings]})


@_route("get_filing")
def get_filing(args: dict[str, Any]) -> Any:
    """One filing, with its report once validated and its receipt once submitted."""
    return jsonify(filing_json(services.get_filing(get_db(), g.api_user, args["id"])))


@_route("submit_filing")
def submit_filing(args: dict[str, Any]) -> Any:
    """Submit (the table has checked {"declaration": true}); 201 with the receipt, 200 if it was
    submitted before."""
    db = get_db()
    receipt, created = receipts.submit(db, get_store(), g.api_user, args["id"], args["declaration"] is True,
                                       client_address(), current_app.config["DEADLINES"])
    db.commit()  # the deliveries start after the commit (portal/jobs)
    response = jsonify(receipt.body)
    response.status_code = 201 if created else 200
    return response


def draft_json(board: Board, year: int, draft: Draft | None) -> dict[str, Any]:
    """A draft as the API shows it; before the first save, revision 0 without facts."""
    return {"board": board.number, "year": year, "revision": draft.revision if draft else 0,
            "facts": json.loads(draft.facts_json) if draft else [],  # stored in the API's shape, sorted
            "updated_at": draft.updated_at.isoformat().replace("+00:00", "Z") if draft else None,
            "updated_by": draft.updated_by.email if draft else None}


@_route("get_draft")
def get_draft(args: dict[str, Any]) -> Any:
    """The board's draft of the year."""
    board, draft = drafts.open_draft(get_db(), g.api_user, args["board"], args["year"])
    return jsonify(draft_json(board, args["year"], draft))


@_route("put_draft")
def put_draft(args: dict[str, Any]) -> Any:
    """Replace the draft's facts on the revision sent: 200 with the draft at its new revision."""
    db = get_db()
    draft = drafts.save(db, g.api_user, args["board"], args["year"], args["revision"], args["facts"], via="api",
                        address=client_address())
    body = draft_json(draft.board, args["year"], draft)
    db.commit()
    return jsonify(body)


@_route("file_draft")
def file_draft(args: dict[str, Any]) -> Any:
    """The draft as a new version (202 with the filing, as an upload answers)."""
    db, config = get_db(), current_app.config
    filing = drafts.file_draft(db, get_store(), g.api_user, args["board"], args["year"], test=args["test"] is True,
                               via="api", address=client_address(), limits=UploadLimits.from_config(config),
                               retention_days=config["TEST_RETENTION_DAYS"])
    body = dumps(filing_json(filing))
    db.commit()  # the validation is queued after the commit (portal/jobs)
    return _json(body, 202)


@_route("get_receipt")
def get_receipt(args: dict[str, Any]) -> Any:
    """The receipt of a submitted filing."""
    db = get_db()
    receipt = services.receipt_for(db, services.get_filing(db, g.api_user, args["id"]))
    if receipt is None:
        raise ServiceError("NOT-SUBMITTED", "This version was not submitted.", 404)
    return jsonify(receipt.body)


@_route("compare_filing")
def compare_filing(args: dict[str, Any]) -> Any:
    """What changed between the filing and ?with= (another version of its year, or the year before)."""
    return jsonify(comparing.compare(get_db(), g.api_user, args["id"], args["with"]).as_dict())


@_route("get_statements")
def get_statements(args: dict[str, Any]) -> Any:
    """A version's statements, labels in `lang`."""
    lang = args.get("lang") or "nl"
    return jsonify(statements.as_json(statements.read(get_db(), g.api_user, args["id"], lang), lang))


@_route("get_export")
def get_export(args: dict[str, Any]) -> Any:
    """The submitted version as xBRL-JSON or xBRL-CSV (zip), once delivered to OCW."""
    data, name, media_type = services.export_of(get_db(), get_store(), g.api_user, args["id"],
                                                args["format"])
    return send_download(data, name, media_type)


def _csv(header: list[str], rows: list[list[Any]]) -> Any:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return current_app.response_class(out.getvalue(), mimetype="text/csv")


@_route("figures")
def figures(args: dict[str, Any]) -> Any:
    """OCW's figures: ?year=&concept= (one value per board) or ?year=&board= (all of one board's
    facts); JSON, or CSV with format=csv."""
    year, concept, board = args["year"], args["concept"], args["board"]
    if not (concept or board):
        raise ServiceError("REQUEST-INVALID", "Send 'concept' or 'board'.", 400)
    db = get_db()
    rows = (figures_services.concept_per_board(db, g.api_user, year, concept) if concept
            else figures_services.board_facts(db, g.api_user, year, board))
    facts = [figures_services.as_dict(r) for r in rows]
    if args["format"] == "csv":
        return _csv(["board", "year", "concept", "period", "dimensions", "value", "unit"], [
            [f["board"], f["year"], f["concept"], f["period"],
             json.dumps(f["dimensions"], ensure_ascii=False) if f["dimensions"] else "", f["value"], f["unit"]]
            for f in facts])
    return jsonify({"facts": facts})


@_route("signals")
def signals(args: dict[str, Any]) -> Any:
    """The inspectorate's signalling values of every board for ?year= (JSON, or CSV with format=csv)."""
    year = args["year"]
    rows = inspectorate_services.per_board(get_db(), g.api_user, year)
    if args["format"] == "csv":
        return _csv(["board", "year", "signal", "value", "threshold", "breach", "computable", "reason"], [
            [row.board, year, name, s.value, s.threshold, s.breach, s.computable, s.reason or ""]
            for row in rows for name, s in row.signals.items()])
    return jsonify({"boards": [row.as_dict(year) for row in rows]})
