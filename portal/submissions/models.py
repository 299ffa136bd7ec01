"""Deliveries: every submitted version goes to DUO, OCW and the inspectorate.

Written in the submission's own transaction (an outbox: no message can be lost),
then made available to each recipient by the delivery job, then acknowledged.
A correction supersedes the earlier deliveries for every recipient.

The job claims a pending delivery for a lease (claim_id, lease_until) before it works on
it, and stores the result only while the delivery is still pending under that claim, so
each delivery is processed once and never moves back. A failure waits until
next_attempt_at (a backoff that doubles per attempt) before it is tried again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from ..filings.models import Filing, Receipt

RECIPIENTS = ("duo", "ocw", "inspectorate")
PENDING, DELIVERED, ACKNOWLEDGED, SUPERSEDED = "pending", "delivered", "acknowledged", "superseded"


class Delivery(Base):
    """One submitted version, for one recipient."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("receipt_id", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"))
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The delivery job's state (see above); the delivery stays "pending" to everyone meanwhile.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    claim_id: Mapped[str | None] = mapped_column(String(32), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)

    receipt: Mapped[Receipt] = relationship()
    filing: Mapped[Filing] = relationship()

    def to_dict(self) -> dict[str, object]:
        """As the filing's JSON shows it."""
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat().replace("+00:00", "Z") if moment else None
        # While a delivery fails, the filer sees how often and when it is tried next, as on the page.
        retrying = self.state == PENDING and self.next_attempt_at is not None
        return {"recipient": self.recipient, "state": self.state, "delivered_at": iso(self.delivered_at),
                "acknowledged_at": iso(self.acknowledged_at), "failed_attempts": self.attempts if retrying else 0,
                "next_attempt_at": iso(self.next_attempt_at) if retrying else None}
