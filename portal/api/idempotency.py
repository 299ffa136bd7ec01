"""Idempotency keys: a retried upload with the same key and the same request gets the first answer.

A key is 1 to 200 printable ASCII characters (the table checks that before it gets here), so it is
stored whole and found again whole. What identifies "the same request" is everything the upload
depends on: board, year, test flag, file name and the file's bytes."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import ServiceError
from .models import IdempotencyKey


def request_hash(board: str, year: int, test: bool, file_name: str, data: bytes) -> str:
    """A digest of the request; JSON keeps the parts apart (no name can pose as part of the bytes)."""
    parts = json.dumps([board, year, test, file_name, hashlib.sha256(data).hexdigest()])
    return hashlib.sha256(parts.encode()).hexdigest()


def earlier_answer(db: Session, user_id: int, key: str, digest: str) -> IdempotencyKey | None:
    """The stored first answer for this user's key, None when the key is new; IDEMPOTENCY-MISMATCH
    (422) when the key was used for a different request."""
    earlier = db.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))
    if earlier is not None and earlier.request_hash != digest:
        raise ServiceError("IDEMPOTENCY-MISMATCH", "This Idempotency-Key was used for a different request.", 422)
    return earlier


def remember(db: Session, user_id: int, key: str, digest: str, status: int, body: str) -> bool:
    """Store the answer for the key in the current transaction; False when a concurrent request
    with the same key stored its answer first (the caller then rolls back and answers as that one)."""
    try:
        with db.begin_nested():
            db.add(IdempotencyKey(user_id=user_id, key=key, request_hash=digest, status_code=status, body=body))
    except IntegrityError:
        return False
    return True
