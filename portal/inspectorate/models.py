"""The inspectorate's store of signalling values: the latest submission's, per board and year."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class SignalValue(Base):
    """One key figure of one board's latest submission for a year."""

    __tablename__ = "signal_values"
    __table_args__ = (Index("ix_signal_values_year_board", "year", "board"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    board: Mapped[str] = mapped_column(String(5))
    year: Mapped[int] = mapped_column(Integer)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"))
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float, default=None)
    threshold: Mapped[float | None] = mapped_column(Float, default=None)
    breach: Mapped[bool] = mapped_column(default=False)
    computable: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str | None] = mapped_column(String(200), default=None)
    sectors: Mapped[str] = mapped_column(String(40), default="")  # the board's, for filtering
    income: Mapped[float | None] = mapped_column(Float, default=None)  # for the size class
