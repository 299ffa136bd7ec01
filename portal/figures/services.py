"""Loading the fact store (OCW's delivery) and reading figures from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from taxonomies.model import concepts
from validators.facts import ends_in

from ..access import check_access
from ..users.models import User
from ..boards.models import Board
from . import downloads
from ..filings.models import Receipt
from .models import StoredFact


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
    check_access("ocw.figures", db, user)
    rows = db.scalars(select(StoredFact).where(StoredFact.year == year, StoredFact.concept == concept,
                                               StoredFact.dimensions == "{}").order_by(StoredFact.board)).all()
    return [r for r in rows if ends_in(r.period, year)]


def board_facts(db: Session, user: User, year: int, board: str) -> list[StoredFact]:
    """Every fact of one board's latest submission for the year."""
    check_access("ocw.figures", db, user)
    return list(db.scalars(select(StoredFact).where(StoredFact.year == year, StoredFact.board == board)
                           .order_by(StoredFact.concept, StoredFact.period, StoredFact.dimensions)))


# The concepts OCW's year page summarises, in its order.
KEY_CONCEPTS = ("Income", "Expenses", "Result", "Equity", "EquityAndLiabilities", "CashAndCashEquivalents",
                "StudentCount", "FTETotal")
Summary = tuple[str, int, Decimal | None, Decimal | None, Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True)
class ConceptLabel:
    """How a key concept reads on OCW's page: its label in each language and whether it is money."""

    nl: str
    en: str
    monetary: bool


def concept_labels(only: tuple[str, ...] | None = KEY_CONCEPTS) -> dict[str, ConceptLabel]:
    """The taxonomy's own labels of the key concepts, or of every concept with `only` None (the
    model the packages are built from)."""
    return {c.name: ConceptLabel(c.label_nl, c.label_en, c.type == "monetary") for c in concepts()
            if only is None or c.name in only}


def _quantile(values: list[Decimal], share: float) -> Decimal:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * Decimal(str(position - low))


def year_summary(db: Session, user: User, year: int, sector: str | None = None) -> list[Summary]:
    """Per key concept over all boards (or one sector): (concept, count, total, change on the previous
    year, first quartile, median, third quartile), from each board's reporting-year facts."""
    check_access("ocw.figures", db, user)
    query = (select(StoredFact.year, StoredFact.concept, StoredFact.period, StoredFact.value, Board.sectors)
             .join(Board, Board.id == StoredFact.board_id)
             .where(StoredFact.year.in_((year - 1, year)), StoredFact.dimensions == "{}",
                    StoredFact.concept.in_(KEY_CONCEPTS)))
    values: dict[tuple[int, str], list[Decimal]] = {}
    for fact_year, concept, period, value, sectors in db.execute(query):
        if not ends_in(period, fact_year) or value is None or (sector and sector not in sectors.split()):
            continue
        try:
            values.setdefault((fact_year, concept), []).append(Decimal(value))
        except InvalidOperation:
            continue
    summary: list[Summary] = []
    for concept in KEY_CONCEPTS:
        now, before = values.get((year, concept), []), values.get((year - 1, concept), [])
        total, previous = (sum(now) if now else None), (sum(before) if before else None)
        change = (total - previous) / abs(previous) if total is not None and previous else None
        low, median, high = [_quantile(now, q) for q in (0.25, 0.5, 0.75)] if now else [None, None, None]
        summary.append((concept, len(now), total, change, low, median, high))
    return summary


def table(db: Session, user: User, year: int, shape: str) -> tuple[list[str], Any]:
    """All boards' figures for a download: "long" (one row per fact, streamed) or "wide" (one row
    per board, one column per concept)."""
    check_access("ocw.figures", db, user)
    if shape == "long":
        return downloads.LONG_HEADER, downloads.long_rows(db, year)
    return downloads.wide_table(db, year)
