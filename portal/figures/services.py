"""Loading the fact store (OCW's delivery) and reading figures from it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..errors import ServiceError
from ..filings.models import Receipt
from .models import StoredFact


def require_ocw(user: User) -> None:
    """OCW's staff and admins only."""
    if user.role not in (Role.OCW, Role.ADMIN):
        raise ServiceError("FORBIDDEN", "Deze gegevens zijn voor OCW.", "These figures are for OCW.", 403)


def load(db: Session, receipt: Receipt, facts: list[dict[str, Any]]) -> int:
    """Replace the board's facts for the year with those of this submission; returns how many."""
    db.execute(delete(StoredFact).where(StoredFact.board_id == receipt.board_id, StoredFact.year == receipt.year))
    rows = [StoredFact(board_id=receipt.board_id, board=receipt.board.number, year=receipt.year, receipt_id=receipt.id,
                       concept=f["local"], period=f["period"] or "", unit=f["unit"], value=f["value"],
                       dimensions=json.dumps(f["dimensions"], sort_keys=True, ensure_ascii=False))
            for f in facts]
    db.add_all(rows)
    db.flush()
    return len(rows)


def as_dict(fact: StoredFact) -> dict[str, Any]:
    """A fact as the figures API shows it."""
    return {"board": fact.board, "year": fact.year, "concept": fact.concept, "period": fact.period,
            "dimensions": json.loads(fact.dimensions), "value": fact.value, "unit": fact.unit}


def concept_per_board(db: Session, user: User, year: int, concept: str) -> list[StoredFact]:
    """One value per board: the reporting year's own fact (no dimensions, period ending 31 December)."""
    require_ocw(user)
    end = f"{year}-12-31"
    rows = db.scalars(select(StoredFact).where(StoredFact.year == year, StoredFact.concept == concept,
                                               StoredFact.dimensions == "{}").order_by(StoredFact.board)).all()
    return [r for r in rows if r.period.split("/")[-1] == end]


def board_facts(db: Session, user: User, year: int, board: str) -> list[StoredFact]:
    """Every fact of one board's latest submission for the year."""
    require_ocw(user)
    return list(db.scalars(select(StoredFact).where(StoredFact.year == year, StoredFact.board == board)
                           .order_by(StoredFact.concept, StoredFact.period, StoredFact.dimensions)))
