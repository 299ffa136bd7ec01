"""Accounts: create users, check passwords with a rate limit, change passwords, deactivate,
end sessions, issue API tokens.

Services check, add and flush; the caller commits. Cheapest checks first.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from datetime import timedelta

from argon2 import PasswordHasher
from flask import current_app, has_app_context
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..boards.models import Board
from ..db import utcnow
from ..audit.services import record
from ..errors import ServiceError
from .models import ApiToken, Firm, LoginAttempt, Membership, Role, User

# argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over 64 MiB), and
# a profile that costs a thousandth of it for the test suite only (config.py refuses it outside
# TESTING): the suite logs in and seeds demo users thousands of times, which is not what it tests.
HASHERS = {"argon2id": PasswordHasher(), "argon2id-test": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)}
# Verified when the account does not exist, so a wrong email costs as long as a wrong password.
_DUMMY_HASHES = {name: hasher.hash("not a real password") for name, hasher in HASHERS.items()}


def _profile() -> str:
    return current_app.config.get("PASSWORD_HASH", "argon2id") if has_app_context() else "argon2id"


class _Hasher:
    """The configured profile's hasher, looked up per use (one process may hold apps of both)."""

    def __getattr__(self, name: str) -> object:
        return getattr(HASHERS[_profile()], name)


_hasher = _Hasher()
DELAY_SLOTS = 2  # of the web server's 8 threads, at most this many wait in a login delay
_delay_slots = threading.BoundedSemaphore(DELAY_SLOTS)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD = 12


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-case and trimmed."""
    return email.strip().lower()


def firm_named(db: Session, name: str | None) -> Firm:
    """The audit firm with this name, registered on first mention."""
    name = " ".join((name or "").split())[:200]
    firm = db.scalar(select(Firm).where(Firm.name == name))
    if firm is None:
        firm = Firm(name=name)
        db.add(firm)
        db.flush()
    return firm


def create_user(db: Session, email: str, password: str, role: str, boards: list[str] | None = None,
                firm: str | None = None, name: str = "") -> User:
    """A new user; board users need at least one registered board, accountants a firm."""
    email = normalise_email(email)
    if not EMAIL.fullmatch(email):
        raise ServiceError("USER-EMAIL", "'%(email)s' is not a valid e-mail address.", email=email)
    try:
        role_value = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ServiceError("USER-ROLE", "Unknown role '%(role)s' (choose from %(roles)s).", role=role, roles=roles) from None
    _check_new_password(password)
    if db.scalar(select(User.id).where(User.email == email)) is not None:
        raise ServiceError("USER-EXISTS", "User %(email)s already exists.", 409, email=email)
    board_rows: list[Board] = []
    if role_value is Role.BOARD:
        if not boards:
            raise ServiceError("USER-BOARD", "A board user belongs to at least one school board.")
        board_rows = list(db.scalars(select(Board).where(Board.number.in_(boards))))
        missing = sorted(set(boards) - {b.number for b in board_rows})
        if missing:
            raise ServiceError("USER-BOARD", "Unknown school board: %(missing)s.", missing=', '.join(missing))
    if role_value is Role.ACCOUNTANT and not (firm or "").strip():
        raise ServiceError("USER-FIRM", "An accountant belongs to an audit firm (--firm).")
    user = User(email=email, name=name, role=role_value, password_hash=_hasher.hash(password),
                firm=firm_named(db, firm) if role_value is Role.ACCOUNTANT else None)
    db.add(user)
    db.flush()
    for board in board_rows:
        db.add(Membership(user_id=user.id, board_id=board.id))
    db.flush()
    return user


def authenticate(db: Session, email: str, password: str, address: str, max_failures: int,
                 pause_seconds: int, delay_seconds: float = 0.0, record_login: bool = True) -> User:
    """The user with these credentials; records every attempt.

    Failures count per account and address together, so guessing from one address pauses that
    address for that account (LOGIN-PAUSED) but never locks the real user out from elsewhere;
    an address that fails on many accounts pauses after four times as many. An account that
    failed `max_failures` times from anywhere answers every attempt a little later, up to
    `delay_seconds`, which slows guessing spread over many addresses."""
    email = normalise_email(email)
    since = utcnow() - timedelta(seconds=pause_seconds)
    failures = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    by_pair = db.scalar(failures.where(LoginAttempt.email == email, LoginAttempt.address == address)) or 0
    by_address = db.scalar(failures.where(LoginAttempt.address == address)) or 0
    if by_pair >= max_failures or by_address >= max_failures * 4:
        raise ServiceError("LOGIN-PAUSED", "Too many failed attempts. Try again in fifteen minutes.", 429)
    by_account = db.scalar(failures.where(LoginAttempt.email == email)) or 0
    if by_account >= max_failures and delay_seconds > 0:
        # A delay holds one of the web server's few threads: only DELAY_SLOTS logins wait at once,
        # or a flood of guesses at one account would hold them all and stop the portal for everyone.
        if not _delay_slots.acquire(blocking=False):
            raise ServiceError("LOGIN-BUSY", "Many logins to this account are being tried right now. Try again in a "
                               "few seconds.", 429)
        try:
            # Before the password is checked, right or wrong alike, so the delay says nothing about it.
            time.sleep(min(delay_seconds, delay_seconds * (by_account - max_failures + 1) / max_failures))
        finally:
            _delay_slots.release()
    user = db.scalar(select(User).where(User.email == email))
    ok = _verify(user.password_hash if user else _DUMMY_HASHES[_profile()], password) and user is not None and user.active
    db.add(LoginAttempt(email=email, address=address, succeeded=ok))
    db.flush()
    if not ok or user is None:
        raise ServiceError("LOGIN-FAILED", "E-mail address or password is wrong.", 401)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    if record_login:
        record(db, "user.logged_in", user, user, address)
    return user


def end_sessions(user: User) -> None:
    """End every browser session of the user: each carries the old generation, which no longer matches."""
    user.session_generation = (user.session_generation or 0) + 1


def log_out(db: Session, user: User, address: str) -> None:
    """The user logs out: every session of theirs ends, in the audit log."""
    end_sessions(user)
    record(db, "user.logged_out", user, user, address)


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ServiceError("USER-PASSWORD", "A password has at least %(MIN_PASSWORD)s characters.", MIN_PASSWORD=MIN_PASSWORD)


def change_password(db: Session, user: User, current: str, new: str, repeated: str, address: str,
                    max_failures: int, pause_seconds: int) -> User:
    """The user changes their own password: the current one is checked as a login is (counted and
    paused alike), the new one twice; every session of the user ends (the caller starts a new one)."""
    if new != repeated:
        raise ServiceError("PASSWORD-REPEAT", "The new passwords differ.")
    _check_new_password(new)
    try:
        authenticate(db, user.email, current, address, max_failures, pause_seconds, record_login=False)
    except ServiceError as exc:
        if exc.code != "LOGIN-FAILED":
            raise
        raise ServiceError("PASSWORD-CURRENT", "The current password is wrong.", 401) from None
    user.password_hash = _hasher.hash(new)
    end_sessions(user)
    record(db, "user.password_changed", user, user, address)
    db.flush()
    return user


def _user_named(db: Session, email: str) -> User:
    user = db.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise ServiceError("USER-UNKNOWN", "No user %(email)s.", 404, email=email)
    return user


def set_password(db: Session, email: str, password: str) -> User:
    """An administrator gives the user a new password; every session of the user ends."""
    user = _user_named(db, email)
    _check_new_password(password)
    user.password_hash = _hasher.hash(password)
    end_sessions(user)
    db.flush()
    return user


def set_active(db: Session, email: str, active: bool) -> User:
    """An administrator deactivates (or reactivates) an account. Deactivation ends every session
    at once, and a later reactivation does not bring them back."""
    user = _user_named(db, email)
    user.active = active
    end_sessions(user)
    db.flush()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_token(db: Session, email: str) -> str:
    """A new personal API token for the user; returned once, only its hash is kept."""
    user = _user_named(db, email)
    token = "vp_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, token_hash=hashlib.sha256(token.encode()).hexdigest(), prefix=token[:10]))
    db.flush()
    return token


def revoke_tokens(db: Session, email: str, prefix: str | None = None) -> int:
    """Revoke a user's tokens (those starting with `prefix`, or all); returns how many."""
    user = _user_named(db, email)
    tokens = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    revoked = [t for t in tokens if prefix is None or t.prefix.startswith(prefix[:10])]
    for token in revoked:
        token.revoked_at = utcnow()
    db.flush()
    return len(revoked)
