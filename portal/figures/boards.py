"""OCW's view of single boards: the reporting years it holds figures for, the boards that filed a
year (searchable, paged), and one board's submitted figures with the taxonomy's labels and units."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from taxonomies.model import concepts, settings

from ..access import check_access
from ..boards.models import Board
from ..errors import not_found
from ..listing import PER_PAGE, Page
from ..users.models import User
from .models import StoredFact
from .services import ConceptLabel, concept_labels

# How a fact's unit reads beside its value; a unit not listed shows its own local name.
UNIT_SYMBOLS = {"iso4217:EUR": "€", "xbrli:pure": "", "pure": ""}


def figure_years(db: Session, user: User) -> list[int]:
    """The reporting years OCW holds submitted figures for, latest first."""
    check_access("ocw.figures", db, user)
    return list(db.scalars(select(StoredFact.year).distinct().order_by(StoredFact.year.desc())))


def boards_of_year(db: Session, user: User, year: int, search: str = "", page: int = 1,
                   sector: str | None = None) -> tuple[list[Board], Page]:
    """The boards whose submitted figures OCW holds for `year`, by number, searched by number or
    name and of one sector if given, one page of them (in the database: some 1,500 boards)."""
    check_access("ocw.figures", db, user)
    filed = select(StoredFact.board_id).where(StoredFact.year == year).distinct()
    found = select(Board).where(Board.id.in_(filed))
    if sector:  # the sectors are a space-separated list: match a whole word
        found = found.where((literal(" ") + Board.sectors + literal(" ")).contains(f" {sector} ", autoescape=True))
    if search:
        found = found.where(or_(Board.number.contains(search, autoescape=True),
                                func.lower(Board.name).contains(search.lower(), autoescape=True)))
    total = db.scalar(select(func.count()).select_from(found.subquery())) or 0
    shown = Page(page, total, PER_PAGE)
    return list(db.scalars(found.order_by(Board.number).offset(shown.offset).limit(shown.per_page))), shown


@dataclass(frozen=True)
class Figure:
    """One submitted fact as OCW's board page shows it."""

    concept: str
    label: ConceptLabel | None
    start: date | None  # None for an instant
    end: date | None
    dimensions: list[tuple[str, str, str, str]]  # (axis nl, axis en, member nl, member en)
    value: Decimal | date | str | None  # a number when the fact is numeric, a day for a date, else as filed
    unit: str  # "€", "" (a ratio or a count), or the unit's own name
    kind: str  # how it reads: "amount", "number", "date" or "text"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _dimensions(stored: str) -> list[tuple[str, str, str, str]]:
    """Axis and member in both languages from the taxonomy model; a typed member is its own value."""
    model = settings()
    axes, members = model.get("dimensions", {}), model.get("structural_labels", {})
    shown = []
    for axis, member in sorted(json.loads(stored).items()):
        local_axis, local_member = axis.rpartition(":")[2], str(member).rpartition(":")[2]
        spec = axes.get(local_axis, {})
        nl, en = members.get(local_member, [str(member), str(member)])
        shown.append((spec.get("label_nl", local_axis), spec.get("label_en", local_axis), nl, en))
    return shown


def board_figures(db: Session, user: User, year: int, number: str) -> tuple[Board, list[Figure]]:
    """One board's submitted figures of `year` in the taxonomy's order (statement by statement);
    NOT-FOUND when OCW holds none for it."""
    check_access("ocw.figures", db, user)
    board = db.scalar(select(Board).where(Board.number == number))
    facts = list(db.scalars(select(StoredFact).where(StoredFact.year == year, StoredFact.board_id == board.id))) \
        if board is not None else []
    if board is None or not facts:
        raise not_found()
    order = {c.name: i for i, c in enumerate(concepts())}
    types = {c.name: c.type for c in concepts()}
    labels = concept_labels(None)
    facts.sort(key=lambda f: (order.get(f.concept, len(order)), f.concept, f.dimensions, f.period))
    figures = []
    for fact in facts:
        start, _, end = fact.period.rpartition("/")
        value: Decimal | date | str | None = fact.value
        unit = UNIT_SYMBOLS.get(fact.unit or "", (fact.unit or "").rpartition(":")[2])
        kind = "text"
        if fact.unit and fact.value is not None:
            try:
                value, kind = Decimal(fact.value), "amount" if unit == "€" else "number"
            except InvalidOperation:
                pass  # shown as filed
        elif types.get(fact.concept) == "date" and fact.value and _date(fact.value) is not None:
            value, kind = _date(fact.value), "date"
        figures.append(Figure(fact.concept, labels.get(fact.concept), _date(start) if start else None, _date(end),
                              _dimensions(fact.dimensions), value, unit, kind))
    return board, figures
