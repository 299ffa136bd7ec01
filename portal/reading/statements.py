"""A filing's statements, for its page and the API: the facts its validation kept, laid out by its
year's taxonomy (validators.statements), with each finding at its row and, when asked, the
figures of the board's submitted filing of the year before beside this year's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from validators.forms import FormSet
from validators.forms.model import NUMERIC
from validators.forms.layout import parse_definition
from validators.signals import INPUTS
from validators.statements.build import Sheet, read_statements, beside

from ..access import allowed
from ..db import get_db
from ..drafts.forms import forms_of, has_forms
from ..errors import ServiceError
from ..filings.models import Filing, FilingFacts, Receipt
from ..filings.services import get_filing
from ..users.models import User



def not_ready() -> ServiceError:
    """STATEMENTS-NOT-READY: the version has no kept facts."""
    return ServiceError("STATEMENTS-NOT-READY", "This version has no statements to show: it has not been validated "
                        "yet, its facts could not be read (see the validation report), or it was validated before "
                        "the portal kept the facts.", 404)


@dataclass
class Reading:
    """What the statements page and the API show of one version."""

    filing: Filing
    sheets: list[Sheet]
    forms: FormSet
    count: int  # facts in the file
    # Per sheet id and concept: the findings at that row.
    findings: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    previous: Filing | None = None  # the year before's submitted version whose figures are beside
    # Per sheet id, per column: who the column is about when it is one senior official's (the name
    # the filing gives, its first text row), so a reader sees "Greet Bos" above "W0001 2025".
    heads: dict[str, list[str | None]] = field(default_factory=dict)

    def numeric(self, sheet: Sheet) -> bool:
        """Whether the sheet shows numbers (its column heads then align right, as its figures)."""
        return any(line.kind in NUMERIC for line in sheet.lines)


def kept_facts(db: Session, filing: Filing) -> list[dict[str, Any]] | None:
    """The facts the version's validation kept, or None (not validated, not loaded, or validated
    before facts were kept)."""
    row = db.get(FilingFacts, filing.id)
    return row.facts if row is not None else None


def submitted_version(db: Session, board_id: int, year: int) -> Filing | None:
    """The board's version that counts for `year`: its latest submission."""
    return db.scalar(select(Filing).join(Receipt, Receipt.filing_id == Filing.id)
                     .where(Receipt.board_id == board_id, Receipt.year == year)
                     .order_by(Receipt.sequence.desc()).limit(1))


def sheet_of(forms: FormSet, finding: dict[str, Any]) -> str | None:
    """The id of the statement a finding is shown in: the one its `statement` names (by the number its
    definition starts with) when that shows the concept, else the first that does."""
    concept = (finding.get("concept") or "").rsplit(":", 1)[-1]
    if not concept:
        return None
    showing = [s for s in forms.statements if any(r.concept == concept for r in s.rows)]
    if finding.get("statement"):
        order, _labels = parse_definition(finding["statement"], "")
        for statement in showing:
            if statement.order == order:
                return statement.id
    return showing[0].id if showing else None


def anchor(sheet: str, concept: str) -> str:
    """The id of a row on the statements page."""
    return f"{sheet}-{concept}"


def has_statements(filing: Filing) -> bool:
    """Whether the version's facts were kept, so its statements can be shown (asked by its pages)."""
    return get_db().get(FilingFacts, filing.id) is not None


def finding_anchor(filing: Filing, finding: dict[str, Any]) -> str | None:
    """Where on the statements page a finding of `filing`'s report points, or None."""
    if not has_forms(filing.year):
        return None
    sheet = sheet_of(forms_of(filing.year), finding)
    return anchor(sheet, finding["concept"].rsplit(":", 1)[-1]) if sheet else None


def signal_rows(filing: Filing, name: str) -> list[tuple[str, dict[str, str]]]:
    """The rows a signalling value is computed from: (anchor, labels) per input concept."""
    if not has_forms(filing.year):
        return []
    forms = forms_of(filing.year)
    rows = []
    for concept in INPUTS.get(name, ()):
        sheet = sheet_of(forms, {"concept": concept})
        if sheet is not None:
            rows.append((anchor(sheet, concept), dict(forms.concepts[concept].labels)))
    return rows


def _heads(sheet: Sheet) -> list[str | None]:
    """The name above each column that is one typed member's (a senior official's): the value of the
    sheet's first string row in that column."""
    first = next((line for line in sheet.lines if line.kind == "string"), None)
    heads: list[str | None] = []
    for index, column in enumerate(sheet.columns):
        typed = any(":" not in member for member in column.dimensions.values())
        heads.append(first.values[index] if typed and first is not None else None)
    return heads


def read(db: Session, user: User, filing_id: int, lang: str, previous: bool = False) -> Reading:
    """The statements of a version the user may see (NOT-FOUND otherwise; STATEMENTS-NOT-READY when
    it has no kept facts); `previous`: with the board's submitted figures of the year before beside
    this year's, when there are any."""
    filing = get_filing(db, user, filing_id)
    facts = kept_facts(db, filing)
    if facts is None or not has_forms(filing.year):
        raise not_ready()
    forms = forms_of(filing.year)
    sheets = read_statements(forms, facts, lang)
    reading = Reading(filing=filing, sheets=sheets, forms=forms, count=len(facts))
    for sheet in sheets:
        reading.heads[sheet.id] = _heads(sheet)
    for finding in (filing.report or {}).get("findings", []):
        sheet = sheet_of(forms, finding)
        if sheet is not None:
            reading.findings.setdefault((sheet, finding["concept"].rsplit(":", 1)[-1]), []).append(finding)
    if previous and has_forms(filing.year - 1):
        earlier = submitted_version(db, filing.board_id, filing.year - 1)
        if earlier is not None and not allowed("filing.read", db, user, filing=earlier):
            earlier = None  # an accountant authorised for this year only does not read the year before
        earlier_facts = kept_facts(db, earlier) if earlier is not None else None
        if earlier is not None and earlier_facts is not None:
            labels = {"nl": f"{filing.year - 1} (jaarverslag {filing.year - 1})",
                      "en": f"{filing.year - 1} (annual report {filing.year - 1})"}
            beside(sheets, read_statements(forms_of(filing.year - 1), earlier_facts, lang), filing.year - 1, labels)
            reading.previous = earlier
    return reading


def as_json(reading: Reading, lang: str, empty: bool = False) -> dict[str, Any]:
    """The API's answer: every statement with its columns and its rows (without the empty ones
    unless `empty`), values as filed."""
    statements = []
    for sheet in reading.sheets:
        statements.append({
            "id": sheet.id, "role": sheet.role, "title": sheet.labels[lang],
            "columns": [{"period": c.period, "instant": c.instant, "dimensions": c.dimensions, "label": c.labels[lang]}
                        for c in sheet.columns],
            "rows": [{"concept": line.concept, "label": line.labels[lang], "depth": line.depth, "total": line.total,
                      "abstract": line.abstract, "values": list(line.values)} for line in sheet.shown(empty)]})
    return {"filing": reading.filing.id, "board": reading.filing.board.number, "year": reading.filing.year,
            "version": reading.filing.version, "facts": reading.count, "statements": statements}
