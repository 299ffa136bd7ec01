"""DUO's work on the submissions: the overview of a reporting year, acknowledging a delivery,
asking a board for a correction. Every function checks access first (portal/access.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from ..access import check_access
from ..users.models import Role, User
from ..audit.services import record
from ..boards.models import Board
from ..db import utcnow
from ..errors import ServiceError, not_found
from ..filings.models import Filing, Receipt
from ..i18n import text_in
from ..listing import ASCENDING, DESCENDING, PER_PAGE, Page, direction, page_number
from ..outbox.models import Email
from ..submissions.models import ACKNOWLEDGED, DELIVERED, Delivery
from .models import CorrectionRequest


def acknowledge(db: Session, user: User, delivery_id: int, address: str | None = None) -> Delivery:
    """A recipient confirms it has the filing."""
    delivery = db.get(Delivery, delivery_id)
    if delivery is None:
        raise not_found()
    check_access("delivery.acknowledge", db, user, delivery=delivery)
    # Only delivered -> acknowledged, decided by the database (not by what this session read).
    done = db.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.state == DELIVERED)
                      .values(state=ACKNOWLEDGED, acknowledged_at=utcnow())
                      .execution_options(synchronize_session=False))
    db.refresh(delivery)
    if done.rowcount != 1:
        if delivery.state == ACKNOWLEDGED:
            return delivery
        raise ServiceError("DELIVERY-STATE", "Only a delivered submission can be acknowledged.", 409)
    record(db, "delivery.acknowledged", delivery, user, address, board_id=delivery.board_id, year=delivery.year,
           recipient=delivery.recipient)
    return delivery


# The states of a board's year on the overview, in the order of the status filter and of sorting
# by status (what needs DUO's attention first).
STATES = ("not-filed", "late", "valid-with-warnings", "valid")
CORRECTION = "correction"  # the filter for boards with a correction asked and not yet answered
SORTS = ("number", "name", "state", "submitted")
SEARCH_LENGTH = 100


@dataclass(frozen=True)
class OverviewQuery:
    """What DUO asked of the overview: a search text, a status, a sorted column and direction, a page.
    Anything unknown falls back to the default, so every URL shows a list."""

    search: str = ""
    status: str = ""
    sort: str = "number"
    direction: str = ASCENDING
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> OverviewQuery:
        """From a page's query string (q, status, sort, dir, page)."""
        status = args.get("status", "")
        sort = args.get("sort", "number")
        return cls(search=" ".join(args.get("q", "").split())[:SEARCH_LENGTH],
                   status=status if status in (*STATES, CORRECTION) else "",
                   sort=sort if sort in SORTS else "number", direction=direction(args.get("dir")),
                   page=page_number(args.get("page")))

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query string of this list with `changes`, leaving out defaults (a short URL to share)."""
        values = {"q": self.search, "status": self.status, "sort": self.sort, "dir": self.direction,
                  "page": self.page, **changes}
        defaults = {"q": "", "status": "", "sort": "number", "dir": ASCENDING, "page": 1}
        return {k: v for k, v in values.items() if v not in (None, defaults[k])}


@dataclass
class AskedCorrection:
    """A correction DUO asked of a board for the year, and when a later submission answered it."""

    request: CorrectionRequest
    answered_at: datetime | None


@dataclass
class OverviewRow:
    """One board in DUO's overview of a reporting year."""

    board: Board
    receipt: Receipt | None
    delivery: Delivery | None
    days_left: int | None  # while not filed and before the deadline
    corrections: list[AskedCorrection] = field(default_factory=list)  # every one asked, oldest first

    @property
    def state(self) -> str:
        """not-filed, late, valid or valid-with-warnings (the latest submission's)."""
        if self.receipt is None:
            return "not-filed"
        return "late" if self.receipt.late else self.receipt.filing.status

    @property
    def open_corrections(self) -> list[CorrectionRequest]:
        """The requests no later submission answered yet."""
        return [c.request for c in self.corrections if c.answered_at is None]


@dataclass
class Overview:
    """One page of the overview, the number of boards the search and filter found, and the year's
    count per state over all boards (whatever the filter)."""

    rows: list[OverviewRow]
    page: Page
    counts: dict[str, int]


def _year_columns(year: int) -> tuple[Any, Any, Any]:
    """The per-board columns of the overview's query: the latest receipt of `year`, its state, and
    whether a correction is open (asked at or after the latest submission, or with none yet)."""
    latest = (select(Receipt.board_id, func.max(Receipt.sequence).label("sequence"))
              .where(Receipt.year == year).group_by(Receipt.board_id).subquery())
    receipt = aliased(Receipt)
    state = case((receipt.id.is_(None), "not-filed"), (receipt.late.is_(True), "late"), else_=Filing.status)
    open_request = exists().where(CorrectionRequest.board_id == Board.id, CorrectionRequest.year == year,
                                  or_(receipt.id.is_(None), CorrectionRequest.requested_at >= receipt.submitted_at))
    query = (select(Board, receipt).select_from(Board)
             .outerjoin(latest, latest.c.board_id == Board.id)
             .outerjoin(receipt, and_(receipt.board_id == Board.id, receipt.year == year,
                                      receipt.sequence == latest.c.sequence))
             .outerjoin(Filing, Filing.id == receipt.filing_id))
    return query, (state, open_request), receipt


def duo_overview(db: Session, user: User, year: int, deadline: date,
                 query: OverviewQuery | None = None, per_page: int | None = PER_PAGE) -> Overview:
    """The registry's boards for the year with their latest submission: searched (number or name),
    filtered by state, sorted and paged in the database (some 1,500 boards); `per_page` None gives
    every row the search and filter find on one page (the CSV export)."""
    check_access("duo.pages", db, user)
    query = query or OverviewQuery()
    base, (state, open_request), receipt = _year_columns(year)
    counts = dict.fromkeys((*STATES, CORRECTION), 0)
    # Counted per state over the whole registry (whatever the filter), then the filtered list.
    tally = base.with_only_columns(state.label("state"), open_request.label("asked")).subquery()
    for name, asked, n in db.execute(select(tally.c.state, tally.c.asked, func.count())
                                     .group_by(tally.c.state, tally.c.asked)):
        counts[name] = counts.get(name, 0) + n
        if asked:
            counts[CORRECTION] += n
    found = base
    if query.search:
        found = found.where(or_(Board.number.contains(query.search, autoescape=True),
                                func.lower(Board.name).contains(query.search.lower(), autoescape=True)))
    if query.status == CORRECTION:
        found = found.where(open_request)
    elif query.status:
        found = found.where(state == query.status)
    total = db.scalar(select(func.count()).select_from(found.with_only_columns(Board.id).subquery())) or 0
    page = Page(query.page, total, per_page or max(total, 1))
    rank = case({name: i for i, name in enumerate(STATES)}, value=state, else_=len(STATES))
    column = {"number": Board.number, "name": func.lower(Board.name), "state": rank,
              "submitted": receipt.submitted_at}[query.sort]
    order = column.desc() if query.direction == DESCENDING else column.asc()
    # Boards not filed have no submission time: last either way, as they have nothing to order by.
    ordered = found.order_by(receipt.submitted_at.is_(None), order) if query.sort == "submitted" \
        else found.order_by(order)
    result = db.execute(ordered.order_by(Board.number).offset(page.offset).limit(page.per_page)).all()
    return Overview(_rows(db, year, deadline, [(b, r) for b, r in result]), page, counts)


def _rows(db: Session, year: int, deadline: date, found: list[tuple[Board, Receipt | None]]) -> list[OverviewRow]:
    """The page's rows with their filing, delivery and correction requests, read for that page only."""
    receipts = [r for _b, r in found if r is not None]
    # Loaded into the session in one query each, so `receipt.filing` needs no query per row.
    list(db.scalars(select(Filing).where(Filing.id.in_([r.filing_id for r in receipts]))))
    deliveries = {d.receipt_id: d for d in db.scalars(select(Delivery).where(
        Delivery.receipt_id.in_([r.id for r in receipts]), Delivery.recipient == "duo"))}
    asked = corrections_with_answers(db, [b.id for b, _r in found], year)
    today = utcnow().date()
    return [OverviewRow(board, receipt, deliveries.get(receipt.id) if receipt else None,
                        (deadline - today).days if receipt is None and today <= deadline else None,
                        asked.get(board.id, [])) for board, receipt in found]


def corrections_with_answers(db: Session, board_ids: list[int], year: int) -> dict[int, list[AskedCorrection]]:
    """Per board, every correction DUO asked for `year`, oldest first, each with the moment of the
    first submission after it (None: not answered yet)."""
    if not board_ids:
        return {}
    submitted: dict[int, list[datetime]] = {}
    for board_id, at in db.execute(select(Receipt.board_id, Receipt.submitted_at)
                                   .where(Receipt.board_id.in_(board_ids), Receipt.year == year)
                                   .order_by(Receipt.submitted_at)):
        submitted.setdefault(board_id, []).append(at)
    found: dict[int, list[AskedCorrection]] = {}
    for request in db.scalars(select(CorrectionRequest).where(CorrectionRequest.board_id.in_(board_ids),
                                                              CorrectionRequest.year == year)
                              .order_by(CorrectionRequest.requested_at, CorrectionRequest.id)):
        answer = next((at for at in submitted.get(request.board_id, []) if at > request.requested_at), None)
        found.setdefault(request.board_id, []).append(AskedCorrection(request, answer))
    return found


def request_correction(db: Session, user: User, number: str, year: int, message: str,
                       address: str | None = None) -> int:
    """DUO asks a board for a correction: a message to every member (portal and e-mail)."""
    check_access("duo.pages", db, user)
    board = db.scalar(select(Board).where(Board.number == number))
    if board is None:
        raise not_found()
    text = message.strip()
    if not text:
        raise ServiceError("CORRECTION-MESSAGE", "Write what needs to be corrected.")
    members = [m for m in db.scalars(select(User).where(User.role == Role.BOARD, User.active.is_(True)))
               if board in m.boards]
    for member in members:
        # In the member's language; DUO's own words are quoted as DUO wrote them.
        lang = member.language or "nl"
        db.add(Email(user_id=member.id, to=member.email,
                     subject=text_in(lang, "Correction requested: annual report %(year)s", year=year),
                     body=text_in(lang, "DUO asks for a correction of the %(year)s annual report of %(board)s "
                                        "(%(number)s):", year=year, board=board.name, number=board.number)
                     + f"\n\n{text[:5000]}\n\n"
                     + text_in(lang, "Upload a corrected version in the portal and submit it.") + "\n"))
    db.add(CorrectionRequest(board_id=board.id, year=year, message=text[:5000], requested_by_id=user.id,
                             requested_at=utcnow()))
    db.flush()
    record(db, "correction.requested", board, user, address, board_id=board.id, year=year, message=text[:500])
    return len(members)


def open_corrections(db: Session, board_ids: list[int], year: int) -> dict[int, list[CorrectionRequest]]:
    """Per board, DUO's correction requests for `year` that no later submission answered yet,
    oldest first (the caller shows them only to who may see the board)."""
    if not board_ids:
        return {}
    latest = dict(db.execute(select(Receipt.board_id, func.max(Receipt.submitted_at))
                             .where(Receipt.board_id.in_(board_ids), Receipt.year == year)
                             .group_by(Receipt.board_id)).all())
    found: dict[int, list[CorrectionRequest]] = {}
    for request in db.scalars(select(CorrectionRequest).where(CorrectionRequest.board_id.in_(board_ids),
                                                              CorrectionRequest.year == year)
                              .order_by(CorrectionRequest.requested_at, CorrectionRequest.id)):
        answered = latest.get(request.board_id)
        if answered is None or answered <= request.requested_at:
            found.setdefault(request.board_id, []).append(request)
    return found
