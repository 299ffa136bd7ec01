"""Bearer-token authentication for the API (no cookies, so no CSRF token either)."""

from __future__ import annotations

import hashlib

from flask import request
from sqlalchemy import select

from ..users.models import ApiToken, User
from ..db import get_db
from ..errors import ServiceError


def token_user(header: str | None) -> User | None:
    """The active user a bearer token belongs to, if the token is valid and not revoked."""
    if not header or not header.startswith("Bearer "):
        return None
    digest = hashlib.sha256(header[7:].strip().encode()).hexdigest()
    # One query for token and user: every API request (a status poll too) pays for it.
    return get_db().scalar(select(User).join(ApiToken, ApiToken.user_id == User.id)
                           .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None), User.active.is_(True)))


def authenticate() -> User:
    """The user of the request's bearer token; AUTH-REQUIRED or AUTH-INVALID (401) otherwise."""
    header = request.headers.get("Authorization")
    user = token_user(header)
    if user is None:
        if not header:
            raise ServiceError("AUTH-REQUIRED", "An API token is required.", 401)
        raise ServiceError("AUTH-INVALID", "The API token is invalid or revoked.", 401)
    return user
