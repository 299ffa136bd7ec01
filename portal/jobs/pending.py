"""What a transaction asks to start once it commits: validate a filing, wake the background jobs.

Services call these; `portal.jobs.init_app` runs what they asked for from the session's
after-commit event. This module depends on nothing of the portal, so every service can use it."""

from __future__ import annotations

from sqlalchemy.orm import Session

PENDING = "portal.jobs.pending"  # key in Session.info: what to start once the transaction commits
VALIDATE, WAKE = "validate", "wake"


def validate_after_commit(db: Session, filing_id: int) -> None:
    """Queue `filing_id` for validation once `db` commits (its row is queued by then)."""
    db.info.setdefault(PENDING, []).append((VALIDATE, filing_id))


def wake_after_commit(db: Session) -> None:
    """Wake the background jobs (deliveries, e-mail) once `db` commits: look now, not at the next round."""
    db.info.setdefault(PENDING, []).append((WAKE, None))
