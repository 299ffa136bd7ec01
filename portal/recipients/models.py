"""Deliveries: every submitted version goes to DUO, OCW and the inspectorate.

Written in the submission's own transaction (an outbox: no message can be lost),
then made available to each recipient by the delivery job, then acknowledged.
A correction supersedes the earlier deliveries for every recipient.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
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

    receipt: Mapped[Receipt] = relationship()
    filing: Mapped[Filing] = relationship()

    def to_dict(self) -> dict[str, object]:
        """As the filing's JSON shows it."""
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat().replace("+00:00", "Z") if moment else None
        return {"recipient": self.recipient, "state": self.state, "delivered_at": iso(self.delivered_at),
                "acknowledged_at": iso(self.acknowledged_at)}
