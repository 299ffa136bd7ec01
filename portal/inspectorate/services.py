"""Storing and reading the signalling values; the inspectorate's list of boards with signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from validators.facts import year_duration
from validators.signals import profitability

from ..users.models import User
from ..boards.models import Board
from ..figures.models import StoredFact
from ..access import allowed, check_access
from ..errors import not_found
from ..filings.models import Receipt
from ..listing import ASCENDING, DESCENDING
from .models import SignalValue

NAMES = ("solvency2", "current_ratio", "cash", "excess_public_equity", "housing_ratio", "resilience")
SIZES = {"small": (None, 3_000_000), "medium": (3_000_000, 12_000_000), "large": (12_000_000, None)}


def store(db: Session, receipt: Receipt, report: dict[str, Any], income: float | None) -> int:
    """Replace the board's values for the year with this submission's (the report's signals)."""
    db.execute(delete(SignalValue).where(SignalValue.board_id == receipt.board_id, SignalValue.year == receipt.year))
    signals = report.get("signals") or {}
    for name, s in signals.items():
        db.add(SignalValue(board_id=receipt.board_id, board=receipt.board.number, year=receipt.year,
                           receipt_id=receipt.id, name=name, value=s["value"], threshold=s["threshold"],
                           breach=s["breach"], computable=s["computable"], reason=s["reason"],
                           sectors=receipt.board.sectors, income=income))
    db.flush()
    return len(signals)


@dataclass
class BoardSignals:
    """One board's key figures for a year."""

    board: str
    sectors: str
    income: float | None
    signals: dict[str, SignalValue] = field(default_factory=dict)
    name: str = ""  # the board's name from the registry, for people (the API keys on the number)

    @property
    def breaches(self) -> int:
        """How many key figures signal."""
        return sum(s.breach for s in self.signals.values())

    def as_dict(self, year: int) -> dict[str, Any]:
        """As the signals API shows it: {"board", "year", "signals"} with signals as in the report."""
        return {"board": self.board, "year": year, "signals": {
            n: {"value": s.value, "threshold": s.threshold, "breach": s.breach, "computable": s.computable,
                "reason": s.reason} for n, s in self.signals.items()}}


@dataclass(slots=True)
class Value:
    """One key figure, read as plain columns (thousands per page: no ORM objects)."""

    value: float | None
    threshold: float | None
    breach: bool
    computable: bool
    reason: str | None


def per_board(db: Session, user: User, year: int) -> list[BoardSignals]:
    """Every board's values for the year, by board number."""
    check_access("inspectorate.signals", db, user)
    boards: dict[str, BoardSignals] = {}
    columns = select(SignalValue.board, SignalValue.sectors, SignalValue.income, SignalValue.name, SignalValue.value,
                     SignalValue.threshold, SignalValue.breach, SignalValue.computable, SignalValue.reason, Board.name)
    for board, sectors, income, name, value, threshold, breach, computable, reason, board_name in db.execute(
            columns.join(Board, Board.id == SignalValue.board_id).where(SignalValue.year == year)
            .order_by(SignalValue.board)):
        entry = boards.setdefault(board, BoardSignals(board, sectors, income, name=board_name))
        entry.signals[name] = Value(value, threshold, breach, computable, reason)  # type: ignore[assignment]
    return list(boards.values())


# The list's sortable columns: the board (by name), the number of signals, each key figure.
SORTS = ("name", "breaches", *NAMES)


def default_direction(sort: str) -> str:
    """The direction a column sorts in first: the most signals first, everything else ascending."""
    return DESCENDING if sort == "breaches" else ASCENDING


def signal_list(db: Session, user: User, year: int, sector: str | None = None, size: str | None = None,
                sort: str = "breaches", only_breaches: bool = True, descending: bool | None = None
                ) -> list[BoardSignals]:
    """The boards with signals (or all), filtered by sector and size, sorted by name, by the number
    of signals or by a key figure, either way (`descending` None: the column's own first direction).
    A board without the key figure (or where it is not computable) comes last either way."""
    rows = per_board(db, user, year)
    if only_breaches:
        rows = [r for r in rows if r.breaches]
    if sector:
        rows = [r for r in rows if sector in r.sectors.split()]
    if size in SIZES:
        low, high = SIZES[size]
        rows = [r for r in rows if r.income is not None and (low is None or r.income >= low)
                and (high is None or r.income <= high)]
    sort = sort if sort in SORTS else "breaches"
    if descending is None:
        descending = default_direction(sort) == DESCENDING
    rows.sort(key=lambda r: r.board)  # ties stay in board order (sorting is stable)
    if sort == "name":
        return sorted(rows, key=lambda r: (r.name or r.board).casefold(), reverse=descending)
    if sort == "breaches":
        return sorted(rows, key=lambda r: r.breaches, reverse=descending)
    known = [r for r in rows if r.signals.get(sort) is not None and r.signals[sort].value is not None]
    unknown = [r for r in rows if r.signals.get(sort) is None or r.signals[sort].value is None]
    return sorted(known, key=lambda r: r.signals[sort].value, reverse=descending) + unknown


@dataclass
class EarlierYear:
    """One reporting year of the earlier set, as the history table shows it."""

    year: int
    housing_ratio: SignalValue | None  # with the threshold and breach of the year's table version
    resilience: SignalValue | None  # no threshold
    profitability: dict[str, Any]  # profitability_1y/_2y/_3y: the year's ratio, the 2- and 3-year averages


@dataclass
class BoardHistory:
    """One board's key figures over the years, and the earlier set's profitability."""

    board: str
    years: list[int]
    values: dict[str, dict[int, SignalValue]]  # key figure -> year -> value
    profitability: dict[int, float]  # year -> Result / (Income + FinancialIncome)
    profitability_signals: dict[str, Any]  # for the latest year: 1-, 2- and 3-year
    earlier: list[EarlierYear]  # the earlier set per year the board filed, oldest first
    name: str = ""  # the board's name from the registry
    receipts: dict[int, Receipt] = field(default_factory=dict)  # year -> the submission the values are of,
    # only where the user may open its filing (a page never links where its reader cannot follow)


def board_history(db: Session, user: User, number: str) -> BoardHistory:
    """Every year the inspectorate holds for a board; NOT-FOUND when it holds none."""
    check_access("inspectorate.signals", db, user)
    rows = db.scalars(select(SignalValue).where(SignalValue.board == number).order_by(SignalValue.year)).all()
    if not rows:
        raise not_found()
    values: dict[str, dict[int, SignalValue]] = {}
    for row in rows:
        values.setdefault(row.name, {})[row.year] = row
    years = sorted({row.year for row in rows})
    ratios: dict[int, float] = {}
    for year in years:
        wanted = ("Result", "Income", "FinancialIncome")
        facts = {f.concept: f.value for f in db.scalars(select(StoredFact).where(
            StoredFact.board == number, StoredFact.year == year, StoredFact.concept.in_(wanted),
            StoredFact.dimensions == "{}", StoredFact.period == year_duration(year)))}
        try:
            denominator = Decimal(facts.get("Income") or "0") + Decimal(facts.get("FinancialIncome") or "0")
            if "Result" in facts and denominator:
                ratios[year] = round(float(Decimal(facts["Result"]) / denominator), 4)
        except InvalidOperation:
            continue
    # Each year is judged by the table version in force for that year (profitability() looks it up),
    # as the engine judged its housing ratio: a later version does not rewrite earlier verdicts.
    earlier = [EarlierYear(year, values.get("housing_ratio", {}).get(year), values.get("resilience", {}).get(year),
                           profitability(ratios, year)) for year in years]
    board = db.get(Board, rows[0].board_id)
    receipts = {}
    for receipt in db.scalars(select(Receipt).where(Receipt.id.in_({row.receipt_id for row in rows}))):
        if allowed("filing.read", db, user, filing=receipt.filing):
            receipts[receipt.year] = receipt
    return BoardHistory(number, years, values, ratios, earlier[-1].profitability, earlier,
                        board.name if board else "", receipts)
