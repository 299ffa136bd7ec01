"""The school board registry (bevoegd gezag)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base

SECTORS = ("PO", "SO", "VO", "MBO", "HBO", "WO")


class Board(Base):
    """A school board: 5-digit number, name, Chamber of Commerce number, sectors."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk: Mapped[str] = mapped_column(String(8))
    sectors: Mapped[str] = mapped_column(String(40))  # space-separated, e.g. "PO SO"

    @property
    def sector_list(self) -> list[str]:
        """The sectors as a list."""
        return self.sectors.split()
