"""Recording and reading the event log."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..users.models import Role, User
from ..access import check_access
from .models import AuditEvent


def record(db: Session, action: str, obj: Any, actor: User | None = None, address: str | None = None,
           board_id: int | None = None, year: int | None = None, **detail: Any) -> AuditEvent:
    """Add one event (in the caller's transaction, so it is kept exactly when the change is)."""
    event = AuditEvent(actor_id=actor.id if actor else None, actor=actor.email if actor else "system",
                       action=action, object_type=type(obj).__name__.lower(), object_id=str(getattr(obj, "id", obj)),
                       board_id=board_id, year=year, address=address,
                       detail=json.dumps(detail, ensure_ascii=False, default=str))
    db.add(event)
    return event


PAGE_SIZE = 50


def audit_log(db: Session, user: User, page: int = 1) -> tuple[list[AuditEvent], bool]:
    """One page of the event log, newest first, and whether an older page follows: everything for
    administrators, their own boards' events for board users; NOT-FOUND for everyone else."""
    check_access("audit.read", db, user)
    page = min(max(page, 1), 10_000)
    events = events_for(db, user, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return events[:PAGE_SIZE], len(events) > PAGE_SIZE


def events_for(db: Session, user: User, board_id: int | None = None, limit: int = 200,
               offset: int = 0) -> list[AuditEvent]:
    """Admins see every event; board users their own boards' events; others none."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    if user.role is Role.ADMIN:
        return list(db.scalars(query.where(AuditEvent.board_id == board_id) if board_id else query))
    if user.role is Role.BOARD:
        allowed = {b.id for b in user.boards}
        if board_id is not None and board_id not in allowed:
            return []
        ids = [board_id] if board_id else list(allowed)
        return list(db.scalars(query.where(AuditEvent.board_id.in_(ids))))
    return []
