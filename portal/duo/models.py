"""What DUO asked of a board: a correction request stays open until the board submits a version
of that year after it (no flag to keep in step: a later receipt answers it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..boards.models import Board
from ..db import Base, UTCDateTime, utcnow
from ..filings.models import refuse_update
from ..users.models import User


class CorrectionRequest(Base):
    """DUO asks a board to correct its annual report of `year`, with a message (insert-only)."""

    __tablename__ = "correction_requests"
    __table_args__ = (Index("ix_correction_requests_board_id_year", "board_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    year: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    board: Mapped[Board] = relationship()
    requested_by: Mapped[User] = relationship()


event.listen(CorrectionRequest, "before_update", refuse_update)  # what DUO asked stays as it was asked
