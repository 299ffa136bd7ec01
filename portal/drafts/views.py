"""Fill in the annual report online: the draft's overview, one form per statement, saving (by
hand and automatically) with lost-update protection, checking and filing. Thin views over the
drafts services; what a form page shows is built in pages.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from validators.forms import DraftFact, FormSet, Statement, compute_totals, field_id, parse_input

from ..db import get_db
from ..errors import ServiceError, not_found
from ..filings import services as filings
from ..filings.models import Filing
from ..filings.services import UploadLimits
from ..formatting import moment
from ..i18n import client_address, language, pick
from ..storage import get_store
from . import pages, services

bp = Blueprint("drafts", __name__)
MAX_OFFICIALS = 500  # senior officials one save of the WNT form may name


def _statement(forms: FormSet, statement_id: str) -> Statement:
    try:
        return forms.statement(statement_id)
    except KeyError:
        raise not_found() from None


def _check(filing_id: str | None, number: str, year: int) -> Filing | None:
    """The check (a test version made from the draft) the page was sent with, if it is this board's and year's."""
    if not filing_id or not filing_id.isdigit():
        return None
    try:
        filing = filings.get_filing(get_db(), current_user, int(filing_id))
    except ServiceError:
        return None
    return filing if filing.board.number == number and filing.year == year else None


def _findings(check: Filing | None) -> list[dict[str, Any]]:
    report = check.report if check is not None and check.done else None
    return [f for f in (report or {}).get("findings", [])] if report else []


@bp.get("/boards/<number>/<int:year>/form")
@login_required
def overview(number: str, year: int) -> Any:
    """The draft: its statements, who saved it last, the last check's findings per statement, and
    the ways to start (what is known, an uploaded or submitted version), check and file."""
    db = get_db()
    board, draft = services.open_draft(db, current_user, number, year)
    forms = services.forms_of(year)
    check = _check(request.args.get("check"), number, year)
    findings = _findings(check)
    by_statement: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_statement.setdefault(pages.statement_of(forms, finding), []).append(finding)
    versions = [f for f in filings.filings_for(db, current_user, number, year) if f.version is not None]
    return render_template("drafts/overview.html", board=board, year=year, draft=draft, forms=forms,
                           editable=services.can_edit(db, current_user, board, year), check=check,
                           by_statement=by_statement, versions=versions,
                           facts=len(services.facts_of(draft)), field_id=field_id,
                           origin=services.origin_text(draft, language()))


@bp.post("/boards/<number>/<int:year>/form/start")
@login_required
def start(number: str, year: int) -> Any:
    """Start the draft: from what is known (registry data, last year's figures) or from a version."""
    db = get_db()
    board, draft = services.open_draft(db, current_user, number, year)
    revision = _revision()
    filing_id = request.form.get("filing_id", "")
    if filing_id.isdigit():
        draft = services.import_filing(db, get_store(), current_user, number, year, int(filing_id), revision,
                                       address=client_address())
        flash(_("The version's figures are in the draft (revision %(revision)s).", revision=draft.revision))
    else:
        draft = services.save(db, current_user, number, year, revision, services.start_facts(db, board, year),
                              via="web", address=client_address())
        flash(_("The draft is started with what the portal knows (revision %(revision)s).",
                revision=draft.revision))
    db.commit()
    return redirect(url_for("drafts.overview", number=number, year=year))


def _revision() -> int | None:
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() else None


def _limits() -> dict[str, Any]:
    config = current_app.config
    return {"limits": UploadLimits.from_config(config), "retention_days": config["TEST_RETENTION_DAYS"]}


@bp.post("/boards/<number>/<int:year>/form/check")
@login_required
def check(number: str, year: int) -> Any:
    """"Controleren": the draft as an instance, validated as a test version like any upload."""
    db = get_db()
    filing = services.file_draft(db, get_store(), current_user, number, year, test=True, via="web",
                                 address=client_address(), **_limits())
    db.commit()  # the validation is queued after the commit
    return redirect(url_for("drafts.overview", number=number, year=year, check=filing.id))


@bp.post("/boards/<number>/<int:year>/form/file")
@login_required
def file(number: str, year: int) -> Any:
    """"Indienen": the draft as a version (stored by sha256 like an upload); it is submitted on its page."""
    db = get_db()
    filing = services.file_draft(db, get_store(), current_user, number, year, test=False, via="web",
                                 address=client_address(), **_limits())
    db.commit()
    return redirect(url_for("filings.show", filing_id=filing.id))


def _page(number: str, year: int, statement_id: str, entered: dict[str, str] | None = None,
          errors: dict[str, str] | None = None, stale: ServiceError | None = None,
          extra: list[str] | None = None, status: int = 200) -> Any:
    db = get_db()
    board, draft = services.open_draft(db, current_user, number, year)
    forms = services.forms_of(year)
    statement = _statement(forms, statement_id)
    facts = services.facts_of(draft)
    rows, officials = [], []
    if statement.per_official:
        ids = pages.officials_in(forms, statement, facts)
        for official in ids + [i for i in (extra or []) if i not in ids]:
            block = pages.rows_for(forms, statement, official)
            officials.append(pages.OfficialView(official, "", block))
    else:
        rows = pages.rows_for(forms, statement)
    cells = pages.every_cell(rows) + [c for o in officials for c in pages.every_cell(o.rows)]
    pages.fill(cells, facts, entered)
    if stale is not None and entered is not None:
        pages.mark_newer(cells, facts, entered)
    for cell in cells:
        cell.error = (errors or {}).get(cell.id)
    for official in officials:
        name = next((c.text for c in pages.every_cell(official.rows) if c.concept.name.endswith("OfficialName")), "")
        official.name = name
    pages.show_totals(forms, statement, cells, facts)
    check = _check(request.args.get("check"), number, year)
    loose = pages.attach_findings(cells, _findings(check)) if check else []
    return render_template("drafts/statement.html", board=board, year=year, draft=draft, forms=forms,
                           statement=statement, rows=rows, officials=officials, check=check,
                           loose=[f for f in loose if pages.statement_of(forms, f) == statement.id],
                           editable=services.can_edit(db, current_user, board, year), stale=stale,
                           errors=errors or {}, calc=pages.calc_tree(statement, cells),
                           following=_following(forms, statement),
                           new_official=pages.next_official([o.id for o in officials])), status


@bp.get("/boards/<number>/<int:year>/form/<statement_id>")
@login_required
def statement(number: str, year: int, statement_id: str) -> Any:
    """One statement's form (?check= shows that check's findings at their fields; ?new= adds an
    empty block for a new senior official)."""
    extra = [i for i in request.args.get("new", "").split(",") if i.isalnum()][:MAX_OFFICIALS]
    return _page(number, year, statement_id, extra=extra)


def _read(forms: FormSet, statement: Statement, cells: list[pages.CellView],
          form: dict[str, str]) -> tuple[list[DraftFact], dict[str, str], dict[str, str]]:
    """The posted inputs as facts; per input that cannot be read, why (nothing is saved then)."""
    facts, errors, entered = [], {}, {}
    for cell in cells:
        text = form.get(cell.id, "")
        entered[cell.id] = text
        if not text.strip():
            continue
        try:
            value = parse_input(cell.concept, text)
        except ValueError as exc:  # InputError: why, in both languages
            reason = getattr(exc, "message", None)
            errors[cell.id] = pick(reason) if isinstance(reason, dict) else str(exc)
            continue
        facts.append(DraftFact(cell.concept.name, cell.period, cell.dimensions, value, cell.concept.unit))
    return facts, errors, entered


def _with_totals(forms: FormSet, statement: Statement, cells: list[pages.CellView], facts: list[DraftFact],
                 others: list[DraftFact]) -> list[DraftFact]:
    """Totals left empty are computed from their parts (so the form works without the script)."""
    totals = compute_totals(forms, others + facts)
    have = {f.key for f in facts}
    added = []
    for cell in cells:
        key = cell.key
        if cell.concept.name in statement.calculations and key not in have and key in totals:
            added.append(DraftFact(cell.concept.name, cell.period, cell.dimensions, pages.plain(totals[key]),
                                   cell.concept.unit))
    return facts + added


@bp.post("/boards/<number>/<int:year>/form/<statement_id>")
@login_required
def save(number: str, year: int, statement_id: str) -> Any:
    """Save the statement's inputs on the revision the page was made from. A newer revision refuses
    the save and shows the page again with what the user typed and the newer values beside it; an
    input that cannot be read refuses it with the reason at the input. The page's script saves the
    same way, automatically (it asks for JSON)."""
    db = get_db()
    board, draft = services.open_draft(db, current_user, number, year)
    forms = services.forms_of(year)
    statement_model = _statement(forms, statement_id)
    action = request.form.get("action", "save")
    ids = pages.officials_in(forms, statement_model, services.facts_of(draft))
    # New officials' blocks the page added; a form holds a few, never thousands (each costs its cells).
    posted = [i for i in request.form.getlist("official") if i.isalnum()][:MAX_OFFICIALS]
    officials = sorted(set(ids) | set(posted), key=lambda i: (len(i), i))
    removed = action[len("remove:"):] if action.startswith("remove:") else None
    if statement_model.per_official:
        cells = [c for o in officials if o != removed for c in pages.every_cell(pages.rows_for(forms, statement_model, o))]
    else:
        cells = pages.every_cell(pages.rows_for(forms, statement_model))
    facts, errors, entered = _read(forms, statement_model, cells, request.form)
    wants_json = request.accept_mimetypes.best == "application/json"
    if errors:
        if wants_json:
            return jsonify({"saved": False, "errors": len(errors)}), 422
        return _page(number, year, statement_id, entered, errors, extra=posted, status=422)
    covered = {c.key for c in cells}
    others = [f for f in services.facts_of(draft) if f.key not in covered]
    facts = _with_totals(forms, statement_model, cells, facts, others)
    try:
        draft = services.save(db, current_user, number, year, _revision(), facts, via="web",
                              statement=statement_model.id, address=client_address())
    except ServiceError as exc:
        if exc.code != "DRAFT-STALE":
            raise
        db.rollback()
        if wants_json:
            return jsonify({"saved": False, "code": exc.code, "message": pick(exc.message)}), 409
        return _page(number, year, statement_id, entered, stale=exc, extra=posted, status=409)
    db.commit()
    if wants_json:
        return jsonify({"saved": True, "revision": draft.revision, "saved_at": moment(draft.updated_at)})
    flash(_("Saved: revision %(revision)s.", revision=draft.revision))
    target: dict[str, Any] = {}
    if action == "add":  # the blocks added before and still empty stay on the page, with one more
        saved_ids = pages.officials_in(forms, statement_model, services.facts_of(draft))
        empty = [i for i in officials if i not in saved_ids and i != removed]
        target["new"] = ",".join([*empty, pages.next_official(officials)])
    if action == "next" and (following := _following(forms, statement_model)) is not None:
        return redirect(url_for("drafts.statement", number=number, year=year, statement_id=following.id))
    return redirect(url_for("drafts.statement", number=number, year=year, statement_id=statement_id, **target))


def _following(forms: FormSet, statement: Statement) -> Statement | None:
    ids = [s.id for s in forms.statements]
    position = ids.index(statement.id)
    return forms.statements[position + 1] if position + 1 < len(ids) else None
