"""JSON API v1 for software vendors: the same services as the pages."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..attachments import send_download
from ..audit.services import record
from ..db import get_db
from ..errors import ServiceError
from ..filings import services, submission
from ..filings.models import Filing
from ..i18n import client_address
from ..jobs import core, enqueue, wake
from ..figures import services as figures_services
from ..inspectorate import services as inspectorate_services
from ..recipients.services import deliveries_of
from ..recipients.views import safe_cell
from .auth import error, token_required
from .models import IdempotencyKey
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def filing_json(filing: Filing) -> dict[str, Any]:
    """A filing as the API shows it."""
    db = get_db()
    receipt = submission.receipt_for(db, filing)
    return {"id": filing.id, "board": filing.board.number, "year": filing.year, "version": filing.version,
            "test": filing.is_test, "status": filing.status, "report": filing.report, "receipt": receipt.body if receipt else None,
            "deliveries": [d.to_dict() for d in deliveries_of(db, filing)],
            "exports": {fmt: f"/api/v1/filings/{filing.id}/exports/{fmt}" if getattr(filing, column) else None
                        for fmt, (column, _suffix, _type) in services.EXPORTS.items()}}


def _service_error(exc: ServiceError) -> Any:
    response = error(exc.code, exc.message["nl"], exc.message["en"], exc.status)
    if exc.retry_after:  # a rate limit: when to try again
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(document())


@bp.post("/filings")
@token_required
def create_filing() -> Any:
    """Upload a file for a board and year: 202 with the filing (queued)."""
    file = request.files.get("file")
    board, year = request.form.get("board", ""), request.form.get("year", "")
    if file is None or not year.isdigit():
        return error("REQUEST-INVALID", "Geef 'file', 'board' en 'year' mee (multipart).",
                     "Send 'file', 'board' and 'year' (multipart).", 400)
    data = file.read()
    test = request.form.get("test", "").lower() in ("true", "1", "yes")
    key = request.headers.get("Idempotency-Key")
    request_hash = hashlib.sha256(f"{board}|{year}|{test}|".encode() + data).hexdigest()
    db = get_db()
    if key:
        earlier = db.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == g.api_user.id, IdempotencyKey.key == key))
        if earlier is not None:
            if earlier.request_hash != request_hash:
                return error("IDEMPOTENCY-MISMATCH", "Deze Idempotency-Key is al gebruikt voor een ander verzoek.",
                             "This Idempotency-Key was used for a different request.", 422)
            return current_app.response_class(earlier.body, status=earlier.status_code, mimetype="application/json")
    try:
        filing, created = services.upload(db, core.store(current_app), g.api_user, board, int(year), data,
                                          file.filename or "upload", test=test,
                                          retention_days=current_app.config["TEST_RETENTION_DAYS"])
    except ServiceError as exc:
        return _service_error(exc)
    if created:
        record(db, "filing.test_uploaded" if test else "filing.uploaded", filing, g.api_user, client_address(),
               board_id=filing.board_id, year=filing.year, version=filing.version, file=filing.file_name,
               sha256=filing.file_sha256, via="api")
    body = json.dumps(filing_json(filing), ensure_ascii=False)
    if key:
        try:
            with db.begin_nested():
                db.add(IdempotencyKey(user_id=g.api_user.id, key=key[:200], request_hash=request_hash, status_code=202,
                                      body=body))
        except IntegrityError:  # the same key at the same moment: the other request's answer stands
            pass
    db.commit()
    enqueue(current_app._get_current_object(), filing.id)
    return current_app.response_class(body, status=202, mimetype="application/json")


@bp.get("/filings")
@token_required
def list_filings() -> Any:
    """Every version for ?board=&year=."""
    board, year = request.args.get("board", ""), request.args.get("year", "")
    if not year.isdigit():
        return error("REQUEST-INVALID", "Geef 'board' en 'year' mee.", "Send 'board' and 'year'.", 400)
    try:
        filings = services.filings_for(get_db(), g.api_user, board, int(year))
    except ServiceError as exc:
        return _service_error(exc)
    return jsonify({"filings": [filing_json(f) for f in filings]})


@bp.get("/filings/<int:filing_id>")
@token_required
def get_filing(filing_id: int) -> Any:
    """One filing, with its report once validated and its receipt once submitted."""
    try:
        return jsonify(filing_json(services.get_filing(get_db(), g.api_user, filing_id)))
    except ServiceError as exc:
        return _service_error(exc)


@bp.post("/filings/<int:filing_id>/submit")
@token_required
def submit_filing(filing_id: int) -> Any:
    """Submit (with {"declaration": true}); 201 with the receipt, 200 if it was submitted before."""
    payload = request.get_json(silent=True) or {}
    declared = payload.get("declaration") is True or request.form.get("declaration") in ("true", "yes")
    db = get_db()
    try:
        receipt, created = submission.submit(db, g.api_user, filing_id, declared, client_address())
    except ServiceError as exc:
        return _service_error(exc)
    db.commit()
    wake(current_app._get_current_object())  # the delivery job
    response = jsonify(receipt.body)
    response.status_code = 201 if created else 200
    return response


@bp.get("/filings/<int:filing_id>/receipt")
@token_required
def get_receipt(filing_id: int) -> Any:
    """The receipt of a submitted filing."""
    db = get_db()
    try:
        filing = services.get_filing(db, g.api_user, filing_id)
    except ServiceError as exc:
        return _service_error(exc)
    receipt = submission.receipt_for(db, filing)
    if receipt is None:
        return error("NOT-SUBMITTED", "Deze versie is niet ingediend.", "This version was not submitted.", 404)
    return jsonify(receipt.body)


@bp.get("/filings/<int:filing_id>/exports/<fmt>")
@token_required
def get_export(filing_id: int, fmt: str) -> Any:
    """The submitted version as xBRL-JSON or xBRL-CSV (zip), once delivered to OCW."""
    try:
        data, name, media_type = services.export_of(get_db(), core.store(current_app), g.api_user, filing_id, fmt)
    except ServiceError as exc:
        return _service_error(exc)
    return send_download(data, name, media_type)


@bp.get("/figures")
@token_required
def figures() -> Any:
    """OCW's figures: ?year=&concept= (one value per board) or ?year=&board= (all of one board's
    facts); JSON, or CSV with format=csv."""
    year, concept, board = request.args.get("year", ""), request.args.get("concept"), request.args.get("board")
    if not year.isdigit() or not (concept or board):
        return error("REQUEST-INVALID", "Geef 'year' en 'concept' of 'board' mee.", "Send 'year' and 'concept' or 'board'.",
                     400)
    db = get_db()
    try:
        rows = (figures_services.concept_per_board(db, g.api_user, int(year), concept) if concept
                else figures_services.board_facts(db, g.api_user, int(year), board or ""))
    except ServiceError as exc:
        return _service_error(exc)
    facts = [figures_services.as_dict(r) for r in rows]
    if request.args.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["board", "year", "concept", "period", "dimensions", "value", "unit"])
        for f in facts:
            writer.writerow([safe_cell(v) for v in (f["board"], f["year"], f["concept"], f["period"],
                                                    json.dumps(f["dimensions"], ensure_ascii=False) if f["dimensions"] else "",
                                                    f["value"], f["unit"])])
        return current_app.response_class(out.getvalue(), mimetype="text/csv")
    return jsonify({"facts": facts})


@bp.get("/signals")
@token_required
def signals() -> Any:
    """The inspectorate's signalling values of every board for ?year= (JSON, or CSV with format=csv)."""
    year = request.args.get("year", "")
    if not year.isdigit():
        return error("REQUEST-INVALID", "Geef 'year' mee.", "Send 'year'.", 400)
    try:
        rows = inspectorate_services.per_board(get_db(), g.api_user, int(year))
    except ServiceError as exc:
        return _service_error(exc)
    if request.args.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["board", "year", "signal", "value", "threshold", "breach", "computable", "reason"])
        for row in rows:
            for name, s in row.signals.items():
                writer.writerow([safe_cell(v) for v in (row.board, int(year), name, s.value, s.threshold, s.breach,
                                                        s.computable, s.reason or "")])
        return current_app.response_class(out.getvalue(), mimetype="text/csv")
    return jsonify({"boards": [row.as_dict(int(year)) for row in rows]})
