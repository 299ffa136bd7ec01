"""Drafts: a board's annual report filled in online, saved in turns by its people, checked and filed.

One draft per board and year. Every save names the revision it was made on and raises it by one;
a save on a revision someone else has saved since is refused (DRAFT-STALE, with who and when) and
changes nothing: lost-update protection, not last-writer-wins. The board's members change a
draft; an accountant the board authorised for the year opens and checks it. Checking and filing
turn the draft into an xBRL-XML instance (validators.forms) and hand it to the usual upload, so a
draft's version is validated, stored and submitted like any other.

The pages and the API call these services; they check access first, record their audit event in
the caller's transaction and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from validators.forms import DraftFact, FactsInvalid, FormSet, check_facts, read_instance, write_instance

from ..access import allowed, board_for, check_access
from ..audit.services import record
from ..boards.models import Board
from ..db import utcnow
from ..errors import ServiceError, not_found
from ..filings.models import Filing
from ..filings.services import UploadLimits, get_filing, upload
from ..formatting import moment_in
from ..i18n import LANGUAGES, text_in
from ..storage import FileStore
from ..users.models import User
from ..vocabulary import N_
from .forms import forms_of, has_forms
from .models import Draft
from .start import start_facts

__all__ = ["DraftStale", "can_edit", "facts_of", "file_draft", "forms_of", "import_filing", "open_draft",
           "origin_text", "save", "start_facts"]

STALE = N_("%(who)s saved this draft on %(when)s (revision %(revision)s), after you opened revision %(yours)s. "
           "Your changes were not saved, so nothing of theirs was overwritten: compare with their revision "
           "and save again.")
STARTED = N_("%(who)s saved this draft on %(when)s (revision %(revision)s) while you were starting a new one. "
             "Your changes were not saved, so nothing of theirs was overwritten: compare with their revision "
             "and save again.")
GONE = N_("This draft has no revision %(yours)s: open it again before saving.")


class DraftStale(ServiceError):
    """DRAFT-STALE (409): the draft was saved by someone else after the revision the save was made
    on. Carries the draft's current revision, who saved it and when, for the page to show."""

    revision: int
    updated_by: str | None
    updated_at: datetime | None


def open_draft(db: Session, user: User, number: str, year: int) -> tuple[Board, Draft | None]:
    """The board and its draft of `year` (None before the first save), for a board member or an
    accountant authorised for the year; NOT-FOUND for anyone else, and for a year the portal does
    not accept or has no taxonomy package for."""
    if not has_forms(year):
        raise not_found()
    board = board_for(db, user, number, year, action="draft.read")
    draft = db.scalar(select(Draft).where(Draft.board_id == board.id, Draft.year == year))
    return board, draft


def can_edit(db: Session, user: User, board: Board, year: int) -> bool:
    """Whether the user may change the board's draft of `year` (its members; an accountant only reads)."""
    return allowed("draft.edit", db, user, board=board, year=year)


def facts_of(draft: Draft | None) -> list[DraftFact]:
    """The draft's facts, sorted by key; none before the first save."""
    if draft is None:
        return []
    return [DraftFact(f["concept"], f["period"], f["dimensions"], f["value"], f["unit"])
            for f in json.loads(draft.facts_json)]


def _json(facts: list[DraftFact]) -> str:
    return json.dumps([f.to_dict() for f in sorted(facts, key=lambda f: f.key)], ensure_ascii=False)


def _checked(forms: FormSet, facts: Sequence[DraftFact | dict[str, Any]]) -> list[DraftFact]:
    """Every fact checked against the forms (the pages' parsed facts too, so a draft never holds what
    its forms cannot show); DRAFT-INVALID (422) listing each offending fact, nothing saved."""
    raw = [f.to_dict() if isinstance(f, DraftFact) else f for f in facts]
    try:
        return check_facts(forms, raw)
    except FactsInvalid as invalid:
        problems = [p.to_dict() for p in invalid.problems]
        raise ServiceError("DRAFT-INVALID", "%(n)s of the facts sent do not fit the forms (each is listed with "
                           "what is wrong); nothing was saved.", 422, extra={"facts": problems},
                           n=len(problems)) from invalid


def _scope(forms: FormSet, statement_id: str) -> Callable[[DraftFact], bool]:
    """Which facts one statement's form shows: the keys of its cells; for a statement per official,
    every fact of its concepts with any official."""
    try:
        statement = forms.statement(statement_id)
    except KeyError:
        raise not_found() from None
    if statement.per_official:
        concepts = {row.concept for row in statement.rows if not row.abstract}
        axis = forms.official_axis
        return lambda fact: fact.concept in concepts and axis in fact.dimensions
    columns = {column.key: column for column in statement.columns}
    keys = set()
    for _row, cells in forms.cells(statement):
        for cell in cells:
            if cell is None:
                continue
            member = columns[cell.column].member
            dimensions = {statement.axis: member} if member and statement.axis else {}
            keys.add((cell.concept, cell.period, json.dumps(dimensions, sort_keys=True)))
    return lambda fact: fact.key in keys


def _stale(db: Session, board: Board, year: int, revision: int | None) -> DraftStale:
    current = db.scalar(select(Draft).where(Draft.board_id == board.id, Draft.year == year)
                        .execution_options(populate_existing=True))
    yours = revision or 0
    if current is None:
        error = DraftStale.said("DRAFT-STALE", {lang: text_in(lang, GONE, yours=yours) for lang in LANGUAGES}, 409)
        error.revision, error.updated_by, error.updated_at = 0, None, None
        return error
    who = current.updated_by.name or current.updated_by.email
    error = DraftStale.said("DRAFT-STALE", {
        lang: text_in(lang, STALE if yours else STARTED, who=who, when=moment_in(lang, current.updated_at), revision=current.revision,
                      yours=yours) for lang in LANGUAGES}, 409)
    error.revision, error.updated_by, error.updated_at = current.revision, current.updated_by.email, current.updated_at
    return error


def _write(db: Session, user: User, board: Board, year: int, draft: Draft | None, revision: int | None,
           facts: list[DraftFact], origin: str | None = None, *, keep_origin: bool = True) -> Draft:
    """Store `facts` as the draft's next revision if it is still at `revision` (None or 0: there is
    no draft yet); DRAFT-STALE otherwise, with nothing changed."""
    now, body = utcnow(), _json(facts)
    if not revision:
        if draft is not None:
            raise _stale(db, board, year, revision)
        try:
            with db.begin_nested():  # a first save at the same moment: one of the two makes the draft
                db.execute(insert(Draft).values(board_id=board.id, year=year, revision=1, facts_json=body,
                                                origin=origin, created_at=now, updated_at=now,
                                                updated_by_id=user.id))
        except IntegrityError:
            raise _stale(db, board, year, revision) from None
    else:
        values: dict[str, Any] = {"revision": Draft.revision + 1, "facts_json": body, "updated_at": now,
                                  "updated_by_id": user.id}
        if not keep_origin:
            values["origin"] = origin
        # Only on the revision the change was made on: a save that lost the race changes no row.
        changed = db.execute(update(Draft).where(Draft.board_id == board.id, Draft.year == year,
                                                 Draft.revision == revision)
                             .values(**values).execution_options(synchronize_session=False))
        if changed.rowcount != 1:
            raise _stale(db, board, year, revision)
    saved = db.scalar(select(Draft).where(Draft.board_id == board.id, Draft.year == year)
                      .execution_options(populate_existing=True))
    assert saved is not None
    return saved


def save(db: Session, user: User, number: str, year: int, revision: int | None,
         facts: Sequence[DraftFact | dict[str, Any]], *, via: str, statement: str | None = None,
         address: str | None = None) -> Draft:
    """Save the draft as its next revision, made on `revision` (None or 0 when there is no draft yet).

    With `statement` (a Statement.id) only the facts that statement's form shows are replaced and
    every other fact is kept, also when sent (the pages save one statement at a time); without it
    the draft's facts are replaced wholesale (the API). Facts given as dicts (the API's shape) are
    checked, and so are parsed ones: DRAFT-INVALID (422) lists every offending fact, nothing saved. A save on a
    revision someone has saved since is DraftStale (DRAFT-STALE, 409), naming who saved and when.
    Board members only: an accountant gets FORBIDDEN, anyone else NOT-FOUND."""
    board, draft = open_draft(db, user, number, year)
    check_access("draft.edit", db, user, board=board, year=year)
    forms = forms_of(year)
    new = _checked(forms, facts)
    if revision and (draft is None or draft.revision != revision):
        raise _stale(db, board, year, revision)  # before merging with facts that are no longer current
    if statement is not None:
        shown = _scope(forms, statement)
        kept = [f for f in facts_of(draft) if not shown(f)]
        new = kept + [f for f in new if shown(f)]  # a fact of another form is that form's to change
    saved = _write(db, user, board, year, draft, revision, new)
    record(db, "draft.saved", saved, user, address, board_id=board.id, year=year, revision=saved.revision,
           facts=len(new), via=via, statement=statement)
    return saved


def import_filing(db: Session, store: FileStore, user: User, number: str, year: int, filing_id: int,
                  revision: int | None, *, address: str | None = None) -> Draft:
    """Replace the draft's facts with those of a version of this board and year (an upload to be
    corrected online, or a submitted version reopened as a correction), as its next revision made on
    `revision`. Facts the forms have no field for are left out (counted in the audit event). Inline
    XBRL, a report package, a file refused at intake or one without any figure of the year's forms:
    DRAFT-IMPORT. Board members only, as for `save`."""
    board, draft = open_draft(db, user, number, year)
    check_access("draft.edit", db, user, board=board, year=year)
    filing = get_filing(db, user, filing_id)
    if filing.board_id != board.id or filing.year != year:
        raise not_found()
    if filing.version is None or filing.status == "rejected":
        raise ServiceError("DRAFT-IMPORT", "This file was refused at intake; it holds no figures to take over.", 409)
    forms = forms_of(year)
    try:
        read = read_instance(forms, store.get(filing.file_sha256))
    except (ValueError, SyntaxError):  # inline XBRL, a package, XML that does not parse
        raise ServiceError("DRAFT-IMPORT", "Only an XBRL file (.xbrl) can be taken over into the forms; version "
                           "%(version)s is inline XBRL, a report package or no readable XBRL.", 409,
                           version=filing.version) from None
    facts, skipped = _fitting(forms, read)
    if not facts:
        raise ServiceError("DRAFT-IMPORT", "Version %(version)s holds no figures of the %(year)s forms.", 409,
                           version=filing.version, year=year)
    if revision and (draft is None or draft.revision != revision):
        raise _stale(db, board, year, revision)
    origin = f"{'test-version' if filing.is_test else 'version'}:{filing.version}"
    saved = _write(db, user, board, year, draft, revision, facts, origin, keep_origin=False)
    record(db, "draft.imported", saved, user, address, board_id=board.id, year=year, revision=saved.revision,
           version=filing.version, facts=len(facts), skipped=skipped)
    return saved


def _fitting(forms: FormSet, facts: list[DraftFact]) -> tuple[list[DraftFact], int]:
    """The facts the forms accept, and how many they do not (a value the form cannot hold)."""
    raw = [f.to_dict() for f in facts]
    try:
        return check_facts(forms, raw), 0
    except FactsInvalid as invalid:
        bad = {p.index for p in invalid.problems}
    if None in bad:
        return [], len(raw)
    rest = [f for i, f in enumerate(raw) if i not in bad]
    try:
        return check_facts(forms, rest), len(bad)
    except FactsInvalid:
        return [], len(raw)


def file_draft(db: Session, store: FileStore, user: User, number: str, year: int, *, test: bool, via: str,
               address: str | None = None, limits: UploadLimits = UploadLimits(),
               retention_days: int = 30) -> Filing:
    """Turn the draft into an xBRL-XML instance and upload it as a version, validated like any
    upload: a test version for "Controleren" (and always for an accountant, who may only check), a
    regular version to submit with `test` False. Stored by SHA-256: the same draft filed twice is
    the same version. A draft without facts: DRAFT-EMPTY."""
    board, draft = open_draft(db, user, number, year)
    facts = facts_of(draft)
    if draft is None or not facts:
        raise ServiceError("DRAFT-EMPTY", "The draft holds no figures yet: fill in the forms first.", 409)
    forms = forms_of(year)
    # Checked again: the year's package may have been replaced since the draft was saved.
    data = write_instance(forms, board.number, _checked(forms, facts))
    filing, _created = upload(db, store, user, board.number, year, data,
                              f"concept-{board.number}-{year}-r{draft.revision}.xbrl", limits, test=test,
                              retention_days=retention_days, address=address, via=via)
    return filing


def origin_text(draft: Draft | None, lang: str) -> str:
    """Where the draft's facts came from, in `lang` ("Overgenomen uit versie 3"); empty when it was
    filled in from the start."""
    if draft is None or not draft.origin:
        return ""
    kind, _, version = draft.origin.partition(":")
    msgid = N_("Taken over from test version %(version)s") if kind == "test-version" else \
        N_("Taken over from version %(version)s")
    return text_in(lang, msgid, version=version)
