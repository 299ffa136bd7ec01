"""DUO's work on the submissions: the overview of a reporting year, acknowledging a delivery,
asking a board for a correction. Every function checks access first (portal/access.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..access import check_access
from ..users.models import Role, User
from ..audit.services import record
from ..boards.models import Board
from ..db import utcnow
from ..errors import ServiceError, not_found
from ..filings.models import Receipt
from ..i18n import text_in
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


@dataclass
class OverviewRow:
    """One board in DUO's overview of a reporting year."""

    board: Board
    receipt: Receipt | None
    delivery: Delivery | None
    days_left: int | None  # while not filed and before the deadline
    corrections: list[CorrectionRequest] = field(default_factory=list)  # asked and not yet answered

    @property
    def state(self) -> str:
        """not-filed, late, valid or valid-with-warnings (the latest submission's)."""
        if self.receipt is None:
            return "not-filed"
        return "late" if self.receipt.late else self.receipt.filing.status


def duo_overview(db: Session, user: User, year: int, deadline: date) -> list[OverviewRow]:
    """Every board of the registry for the year, with its latest submission."""
    check_access("duo.pages", db, user)
    latest: dict[int, Receipt] = {}
    for receipt in db.scalars(select(Receipt).where(Receipt.year == year).order_by(Receipt.sequence)):
        latest[receipt.board_id] = receipt
    deliveries = {d.receipt_id: d for d in db.scalars(select(Delivery).where(Delivery.year == year,
                                                                             Delivery.recipient == "duo"))}
    today = utcnow().date()
    boards = list(db.scalars(select(Board).order_by(Board.number)))
    asked = open_corrections(db, [b.id for b in boards], year)
    rows = []
    for board in boards:
        receipt = latest.get(board.id)
        days = (deadline - today).days if receipt is None and today <= deadline else None
        rows.append(OverviewRow(board, receipt, deliveries.get(receipt.id) if receipt else None, days,
                                asked.get(board.id, [])))
    return rows


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
