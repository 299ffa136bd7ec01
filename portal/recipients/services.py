"""Deliveries to the recipients, DUO's overview, acknowledgements and correction requests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit.services import record
from ..boards.models import Board
from ..db import utcnow
from ..errors import ServiceError
from ..filings.models import Filing, Receipt
from ..outbox.models import Email
from .models import ACKNOWLEDGED, DELIVERED, PENDING, RECIPIENTS, SUPERSEDED, Delivery

log = logging.getLogger(__name__)
ROLE_OF = {"duo": Role.DUO, "ocw": Role.OCW, "inspectorate": Role.INSPECTORATE}


def _forbidden() -> ServiceError:
    return ServiceError("FORBIDDEN", "Deze pagina is voor een andere rol.", "This page is for another role.", 403)


def require(user: User, recipient: str) -> None:
    """Only a recipient's own staff (and admins) use its pages and APIs."""
    if user.role is not ROLE_OF[recipient] and user.role is not Role.ADMIN:
        raise _forbidden()


def create_deliveries(db: Session, receipt: Receipt) -> list[Delivery]:
    """In the submission's transaction: one pending delivery per recipient; earlier
    submissions of the same board and year are superseded for every recipient."""
    now = utcnow()
    db.execute(update(Delivery).where(Delivery.board_id == receipt.board_id, Delivery.year == receipt.year,
                                      Delivery.receipt_id != receipt.id, Delivery.state != SUPERSEDED)
               .values(state=SUPERSEDED, superseded_at=now))
    deliveries = [Delivery(receipt_id=receipt.id, filing_id=receipt.filing_id, board_id=receipt.board_id,
                           year=receipt.year, recipient=recipient, state=PENDING, created_at=now)
                  for recipient in RECIPIENTS]
    db.add_all(deliveries)
    db.flush()
    return deliveries


Handler = Callable[[Session, Delivery], bool]


def deliver_pending(db: Session, handlers: dict[str, Handler] | None = None, limit: int = 200) -> int:
    """The delivery job: make pending deliveries available to their recipients. A recipient's
    handler does its processing (OCW loads the figures) and returns True when that also
    acknowledges the delivery. A handler that fails leaves its delivery pending for the
    next round. The caller commits; returns how many were delivered."""
    pending = db.scalars(select(Delivery).where(Delivery.state == PENDING).order_by(Delivery.id).limit(limit)).all()
    delivered = 0
    for delivery in pending:
        handler = (handlers or {}).get(delivery.recipient)
        try:
            with db.begin_nested():
                acknowledged = handler(db, delivery) if handler else False
                delivery.state, delivery.delivered_at = DELIVERED, utcnow()
                record(db, "delivery.delivered", delivery, board_id=delivery.board_id, year=delivery.year,
                       recipient=delivery.recipient, filing=delivery.filing_id)
                if acknowledged:
                    delivery.state, delivery.acknowledged_at = ACKNOWLEDGED, utcnow()
        except Exception:  # noqa: BLE001 - any failure: try again next round, the others go on
            log.exception("delivery %s to %s failed", delivery.id, delivery.recipient)
            continue
        delivered += 1
    return delivered


def deliveries_of(db: Session, filing: Filing) -> list[Delivery]:
    """A version's deliveries, in recipient order."""
    rows = db.scalars(select(Delivery).where(Delivery.filing_id == filing.id)).all()
    return sorted(rows, key=lambda d: RECIPIENTS.index(d.recipient))


def acknowledge(db: Session, user: User, delivery_id: int, address: str | None = None) -> Delivery:
    """A recipient confirms it has the filing."""
    delivery = db.get(Delivery, delivery_id)
    if delivery is None:
        raise ServiceError("NOT-FOUND", "Niet gevonden.", "Not found.", 404)
    require(user, delivery.recipient)
    if delivery.state == ACKNOWLEDGED:
        return delivery
    if delivery.state != DELIVERED:
        raise ServiceError("DELIVERY-STATE", "Alleen een afgeleverde indiening kan worden bevestigd.",
                           "Only a delivered submission can be acknowledged.", 409)
    delivery.state, delivery.acknowledged_at = ACKNOWLEDGED, utcnow()
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

    @property
    def state(self) -> str:
        """not-filed, late, valid or valid-with-warnings (the latest submission's)."""
        if self.receipt is None:
            return "not-filed"
        return "late" if self.receipt.late else self.receipt.filing.status


def duo_overview(db: Session, user: User, year: int, deadline: date) -> list[OverviewRow]:
    """Every board of the registry for the year, with its latest submission."""
    require(user, "duo")
    latest: dict[int, Receipt] = {}
    for receipt in db.scalars(select(Receipt).where(Receipt.year == year).order_by(Receipt.sequence)):
        latest[receipt.board_id] = receipt
    deliveries = {d.receipt_id: d for d in db.scalars(select(Delivery).where(Delivery.year == year,
                                                                             Delivery.recipient == "duo"))}
    today = utcnow().date()
    rows = []
    for board in db.scalars(select(Board).order_by(Board.number)):
        receipt = latest.get(board.id)
        days = (deadline - today).days if receipt is None and today <= deadline else None
        rows.append(OverviewRow(board, receipt, deliveries.get(receipt.id) if receipt else None, days))
    return rows


def request_correction(db: Session, user: User, number: str, year: int, message: str,
                       address: str | None = None) -> int:
    """DUO asks a board for a correction: a message to every member (portal and e-mail)."""
    require(user, "duo")
    board = db.scalar(select(Board).where(Board.number == number))
    if board is None:
        raise ServiceError("NOT-FOUND", "Niet gevonden.", "Not found.", 404)
    text = message.strip()
    if not text:
        raise ServiceError("CORRECTION-MESSAGE", "Schrijf wat er gecorrigeerd moet worden.",
                           "Write what needs to be corrected.")
    members = [m for m in db.scalars(select(User).where(User.role == Role.BOARD, User.active.is_(True)))
               if board in m.boards]
    for member in members:
        db.add(Email(user_id=member.id, to=member.email,
                     subject=f"Verzoek om correctie jaarverantwoording {year} / Correction requested",
                     body=f"DUO vraagt om een correctie van de jaarverantwoording {year} van {board.name} "
                          f"({board.number}):\n\n{text[:5000]}\n\nDUO asks for a correction of the {year} annual "
                          f"report of {board.name} ({board.number}) (see the message above).\n"))
    record(db, "correction.requested", board, user, address, board_id=board.id, year=year, message=text[:500])
    return len(members)
