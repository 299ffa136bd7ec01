"""People, their roles, board memberships, login attempts and personal API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..boards.models import Board
from ..db import Base, UTCDateTime, utcnow


class Role(enum.Enum):
    """What a person is in the chain."""

    BOARD = "board"  # works for one or more school boards
    ACCOUNTANT = "accountant"  # member of an audit firm
    DUO = "duo"
    OCW = "ocw"
    INSPECTORATE = "inspectorate"
    ADMIN = "admin"


class Firm(Base):
    """An audit firm (accountantskantoor): its accountants act for the boards that authorise it."""

    __tablename__ = "firms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(UserMixin, Base):
    """A person who logs in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20,
                                            values_callable=lambda e: [m.value for m in e]))
    password_hash: Mapped[str] = mapped_column(String(200))
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firms.id"), default=None, index=True)  # accountants
    language: Mapped[str] = mapped_column(String(2), default="nl")
    active: Mapped[bool] = mapped_column(default=True)
    # Every session repeats this number; raising it (logout, new password, deactivation) ends them all.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    boards: Mapped[list[Board]] = relationship(secondary="memberships", order_by=Board.number)
    firm: Mapped[Firm | None] = relationship()

    @property
    def is_active(self) -> bool:  # flask-login: a deactivated account cannot log in
        return self.active


class Membership(Base):
    """A board user belongs to a school board."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "board_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))


class LoginAttempt(Base):
    """One try to log in, for rate limiting (and the audit trail)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ApiToken(Base):
    """A personal API token; only its sha256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown to the owner to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    user: Mapped[User] = relationship()
