"""What a new draft starts from: what the portal already knows about the board and its last year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from validators.forms import DraftFact, FactsInvalid, FormSet, check_facts

from ..boards.models import Board
from ..figures.models import StoredFact
from .forms import forms_of

# The registry's data of a board, by the concept the general information asks it in.
REGISTRY = {"BoardName": lambda board: board.name, "BoardNumber": lambda board: board.number,
            "ChamberOfCommerceNumber": lambda board: board.kvk,
            "EducationSectors": lambda board: " ".join(board.sector_list)}


def _periods(forms: FormSet, column: str) -> dict[str, str]:
    """Per concept, its period in `column` of a form without dimensions (not per official)."""
    periods: dict[str, str] = {}
    for statement in forms.statements:
        if statement.per_official:
            continue
        members = {c.key: c.member for c in statement.columns}
        for _row, cells in forms.cells(statement):
            for cell in cells:
                if cell is not None and cell.column == column and members.get(cell.column) is None:
                    periods.setdefault(cell.concept, cell.period)
    return periods


def start_facts(db: Session, board: Board, year: int) -> list[DraftFact]:
    """The facts a new draft of `year` starts with: the board's registry data (name, number,
    Chamber of Commerce number, sectors) in the general information, and last year's submitted
    figures (the version that counts, from OCW's fact store) in this year's comparative column
    ("t-1") wherever the form has that field. A value the form would not accept is left out.
    No access check: the caller has opened the draft (services.open_draft)."""
    forms = forms_of(year)
    raw: list[dict[str, Any]] = []
    current = _periods(forms, "t")
    for concept, value_of in REGISTRY.items():
        value = value_of(board)
        if concept in current and value:
            raw.append({"concept": concept, "period": current[concept], "dimensions": {}, "value": value})
    earlier = _periods(forms, "t-1")
    stored = db.scalars(select(StoredFact).where(StoredFact.board_id == board.id, StoredFact.year == year - 1,
                                                 StoredFact.dimensions == "{}"))
    for fact in stored:
        if earlier.get(fact.concept) == fact.period and fact.value not in (None, ""):
            raw.append({"concept": fact.concept, "period": fact.period, "dimensions": {}, "value": fact.value})
    return _accepted(forms, raw)


def _accepted(forms: FormSet, raw: list[dict[str, Any]]) -> list[DraftFact]:
    try:
        facts = check_facts(forms, raw)
    except FactsInvalid as invalid:
        bad = {p.index for p in invalid.problems}
        facts = check_facts(forms, [f for i, f in enumerate(raw) if i not in bad])
    return sorted(facts, key=lambda f: f.key)

