"""Deliveries of a submitted version to its recipients (DUO, OCW, the inspectorate): made in the
submission's transaction (an outbox), claimed and completed by the delivery job (jobs/deliveries.py)
with a lease, postponed with a backoff after a failure."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from ..audit.services import record
from ..db import utcnow
from ..filings.models import Filing, Receipt
from .models import ACKNOWLEDGED, DELIVERED, PENDING, RECIPIENTS, SUPERSEDED, Delivery



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


@dataclass(frozen=True)
class Handler:
    """What delivering to one recipient does, beyond making the delivery available.

    `prepare` does the slow part (OCW: reading the facts with the engine) and only reads: it
    runs with no transaction open while the job renews its claim. `store` writes the result
    in the delivery's own transaction, the one that marks it delivered, so the result is
    stored exactly once. `acknowledges`: storing is the recipient's acknowledgement. `after`:
    the delivery waits until the same submission's delivery to that recipient is no longer
    pending (it needs that result)."""

    prepare: Callable[[Session, Delivery], Any] | None = None
    store: Callable[[Session, Delivery, Any], None] | None = None
    acknowledges: bool = False
    after: str | None = None


def _claimable(now: datetime) -> Any:
    return and_(Delivery.state == PENDING, or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
                or_(Delivery.lease_until.is_(None), Delivery.lease_until < now))


def due_deliveries(db: Session, handlers: dict[str, Handler], limit: int = 20) -> list[int]:
    """Pending deliveries nobody holds whose retry time has come, oldest first, leaving out
    those still waiting for another recipient's delivery (Handler.after)."""
    rows = db.execute(select(Delivery.id, Delivery.receipt_id, Delivery.recipient)
                      .where(_claimable(utcnow())).order_by(Delivery.id).limit(limit)).all()
    waits = {r.recipient: handlers[r.recipient].after for r in rows
             if r.recipient in handlers and handlers[r.recipient].after}
    pending: set[tuple[int, str]] = set()
    if waits:
        pending = {(p.receipt_id, p.recipient) for p in db.execute(
            select(Delivery.receipt_id, Delivery.recipient)
            .where(Delivery.state == PENDING, Delivery.receipt_id.in_({r.receipt_id for r in rows})))}
    return [r.id for r in rows if r.recipient not in waits or (r.receipt_id, waits[r.recipient]) not in pending]


def claim_delivery(db: Session, delivery_id: int, lease: timedelta) -> str | None:
    """Take a due delivery for `lease` (atomically: of two jobs, one gets it); returns the
    claim's token, or None when it is no longer due. The caller commits at once."""
    now, token = utcnow(), uuid.uuid4().hex
    taken = db.execute(update(Delivery).where(Delivery.id == delivery_id, _claimable(now))
                       .values(claim_id=token, lease_until=now + lease, attempts=Delivery.attempts + 1)
                       .execution_options(synchronize_session=False))
    return token if taken.rowcount == 1 else None


def complete_delivery(db: Session, delivery_id: int, token: str, handler: Handler, prepared: Any) -> Delivery | None:
    """Mark a claimed delivery delivered (or acknowledged) and store the handler's result, in
    the caller's transaction; None when the claim no longer holds (the delivery was delivered
    by another job, or superseded): the caller rolls back and nothing is stored."""
    now = utcnow()
    done = db.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.state == PENDING,
                                             Delivery.claim_id == token)
                      .values(state=ACKNOWLEDGED if handler.acknowledges else DELIVERED, delivered_at=now,
                              acknowledged_at=now if handler.acknowledges else None, claim_id=None, lease_until=None,
                              next_attempt_at=None, last_error=None)
                      .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return None
    delivery = db.get_one(Delivery, delivery_id, populate_existing=True)
    if handler.store is not None:
        handler.store(db, delivery, prepared)
    record(db, "delivery.delivered", delivery, board_id=delivery.board_id, year=delivery.year,
           recipient=delivery.recipient, filing=delivery.filing_id, attempts=delivery.attempts)
    return delivery


def retry_pause(attempts: int, first: timedelta, longest: timedelta) -> timedelta:
    """The pause after the `attempts`-th failed attempt: `first`, doubling each time, at most `longest`."""
    return min(first * 2 ** min(max(attempts - 1, 0), 30), longest)


def postpone_delivery(db: Session, delivery_id: int, token: str, error: str, first: timedelta,
                      longest: timedelta) -> datetime | None:
    """A claimed delivery failed: free it until its next attempt (see retry_pause); returns
    that moment, or None when the claim no longer holds. The caller commits."""
    attempts = db.scalar(select(Delivery.attempts).where(Delivery.id == delivery_id)) or 1
    when = utcnow() + retry_pause(attempts, first, longest)
    done = db.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.state == PENDING,
                                             Delivery.claim_id == token)
                      .values(claim_id=None, lease_until=None, next_attempt_at=when, last_error=error[:2000])
                      .execution_options(synchronize_session=False))
    return when if done.rowcount == 1 else None


def deliveries_of(db: Session, filing: Filing) -> list[Delivery]:
    """A version's deliveries, in recipient order."""
    rows = db.scalars(select(Delivery).where(Delivery.filing_id == filing.id)).all()
    return sorted(rows, key=lambda d: RECIPIENTS.index(d.recipient))
