"""Reading the outbox: the messages of one user."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..users.models import User
from .models import Email


def emails_for(db: Session, user: User) -> list[Email]:
    """The e-mails the portal sent (or will send) to `user`, newest first; nobody reads another's."""
    return list(db.scalars(select(Email).where(Email.user_id == user.id).order_by(Email.id.desc())))
