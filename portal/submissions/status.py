"""Where a board stands for a reporting year, in one look: the submission that counts (its
latest receipt), else the newest regular version and how its check went, and the days left
until the deadline. The home page shows it per board; the year page leads with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..boards.models import Board
from ..db import utcnow
from ..filings.models import Filing, Receipt
from .deadline import deadline


@dataclass(frozen=True)
class YearStatus:
    """A board's reporting year: what counts now, and how long until the deadline."""

    board: Board
    year: int
    receipt: Receipt | None  # the latest submission: the one that counts
    latest: Filing | None  # the newest regular version (test versions and files refused at intake never count)
    deadline: datetime

    @property
    def days_left(self) -> int | None:
        """Whole days until the deadline (0 on its last day); None once it has passed."""
        now = utcnow()
        if now >= self.deadline:
            return None
        return (self.deadline.date() - now.astimezone(self.deadline.tzinfo).date()).days

    @property
    def state(self) -> str:
        """submitted, submitted-late, ready (valid, not yet submitted), to-fix (a version that cannot be
        submitted), checking (being validated), or nothing (no version yet)."""
        if self.receipt is not None:
            return "submitted-late" if self.receipt.late else "submitted"
        if self.latest is None:
            return "nothing"
        if self.latest.status in ("valid", "valid-with-warnings"):
            return "ready"
        return "checking" if not self.latest.done else "to-fix"


def year_statuses(db: Session, boards: list[Board], year: int, deadlines: str = "") -> list[YearStatus]:
    """The status of `year` for each of `boards` (which the caller may show the user), in their order."""
    ids = [b.id for b in boards]
    if not ids:
        return []
    receipts: dict[int, Receipt] = {}
    for receipt in db.scalars(select(Receipt).where(Receipt.board_id.in_(ids), Receipt.year == year)
                              .order_by(Receipt.sequence)):
        receipts[receipt.board_id] = receipt
    latest: dict[int, Filing] = {}
    for filing in db.scalars(select(Filing).where(Filing.board_id.in_(ids), Filing.year == year,
                                                  Filing.is_test.is_(False), Filing.version.is_not(None))
                              .order_by(Filing.version)):
        latest[filing.board_id] = filing
    due = deadline(year, deadlines)
    return [YearStatus(b, year, receipts.get(b.id), latest.get(b.id), due) for b in boards]
