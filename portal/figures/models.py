"""OCW's fact store: every fact of the latest submitted version per board and year."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class StoredFact(Base):
    """One fact as filed. Concepts by local name, so years line up across taxonomies."""

    __tablename__ = "facts"
    __table_args__ = (Index("ix_facts_year_concept", "year", "concept"), Index("ix_facts_board_year", "board_id", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    board: Mapped[str] = mapped_column(String(5))  # the number, kept beside the id for fast exports
    year: Mapped[int] = mapped_column(Integer)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"))
    concept: Mapped[str] = mapped_column(String(200))  # local name, e.g. Equity
    period: Mapped[str] = mapped_column(String(30))  # "2025-12-31" or "2025-01-01/2025-12-31"
    dimensions: Mapped[str] = mapped_column(Text, default="{}")  # JSON, keys sorted
    value: Mapped[str | None] = mapped_column(Text)  # as filed
    unit: Mapped[str | None] = mapped_column(String(100))
