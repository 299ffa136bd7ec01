"""Reading the outbox: the messages of one user, and which of them they have not seen yet."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..db import utcnow
from ..users.models import User
from .models import Email


def emails_for(db: Session, user: User) -> list[Email]:
    """The e-mails the portal sent (or will send) to `user`, newest first; nobody reads another's."""
    return list(db.scalars(select(Email).where(Email.user_id == user.id).order_by(Email.id.desc())))


def unread_count(db: Session, user: User) -> int:
    """How many of `user`'s messages they have not seen on the messages page yet."""
    return db.scalar(select(func.count()).select_from(Email)
                     .where(Email.user_id == user.id, Email.read_at.is_(None))) or 0


def mark_read(db: Session, user: User, emails: list[Email]) -> None:
    """`user` has seen `emails` (their own, as shown on the messages page); a message that arrived
    after the page was read stays unread. The caller commits."""
    shown = [mail.id for mail in emails if mail.user_id == user.id and mail.read_at is None]
    if shown:
        db.execute(update(Email).where(Email.id.in_(shown), Email.read_at.is_(None)).values(read_at=utcnow())
                   .execution_options(synchronize_session=False))
