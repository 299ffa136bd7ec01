"""Drafts: the annual report filled in online, one per board and reporting year, shared by the
board's people, who save it in turns (a revision number guards against lost updates)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..boards.models import Board
from ..db import Base, UTCDateTime, utcnow
from ..users.models import User


class Draft(Base):
    """A board's report of one year as it is being filled in: the facts (the JSON list of each
    fact's API shape, sorted by key) and the revision they are at. Every save raises the revision
    by one, and only a save that names the current revision is taken (services.save)."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("board_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)  # 1 after the first save
    facts_json: Mapped[str] = mapped_column(Text, default="[]")
    # Where the facts came from when they were last replaced wholesale: "version:3" (imported from
    # version 3), "test-version:2"; None for a draft filled in from the start.
    origin: Mapped[str | None] = mapped_column(String(60), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    board: Mapped[Board] = relationship()
    updated_by: Mapped[User] = relationship()
