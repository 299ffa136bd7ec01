"""What keeps a browser session safe: where a redirect may go, how long a session lives and
when it ends, the headers every answer carries, and whose address the portal sees.

Sessions are Flask's signed cookies, so the server cannot forget one; instead each user row
carries a session generation that the session repeats. Logging out, changing the password
and deactivation raise the generation, and every cookie signed before then stops working
(`session_is_current`, called by flask-login's user loader on every request). A session also
ends after SESSION_IDLE_MINUTES without a request and SESSION_LIFETIME_HOURS after its login.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

# Keys this module keeps in the session, beside flask-login's own.
GENERATION, STARTED, SEEN = "_generation", "_started", "_seen"
# How often the idle clock is written back (each write re-sends the cookie).
SEEN_RESOLUTION = 60
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site to redirect to after login or a language switch, else None
    (the caller goes home). Only a plain absolute path (with a query) passes: no scheme, no host, no
    backslash, no control or invisible character (browsers drop tabs and newlines, so "/\\t/evil.example"
    would become "//evil.example"), nothing that starts with "//", no "." or ".." segment (which a
    browser would resolve into "//"), and nothing longer than 2,000 characters."""
    if not target or len(target) > 2000 or "\\" in target:
        return None
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in target):
        return None  # control, format, private, unassigned and separator characters (a space is plain text)
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    decoded = unquote(parts.path)
    if "\\" in decoded or any(segment in (".", "..") for segment in decoded.split("/")):
        return None
    return target


def start_session(generation: int) -> None:
    """After a login (the caller has cleared the session): remember the user's generation and the time."""
    now = int(time.time())
    session[GENERATION], session[STARTED], session[SEEN] = generation, now, now
    session.permanent = True  # the cookie carries an expiry; Flask refuses it after the absolute lifetime


def session_is_current(generation: int, idle_minutes: int, lifetime_hours: int) -> bool:
    """True while the session belongs to the user's current generation, was used within the idle time
    and is younger than the lifetime; then the idle clock is moved on. False means: log in again."""
    now = int(time.time())
    started, seen = session.get(STARTED), session.get(SEEN)
    if session.get(GENERATION) != generation or not isinstance(started, int) or not isinstance(seen, int):
        return False
    if now - seen > idle_minutes * 60 or now - started > lifetime_hours * 3600:
        return False
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN] = now
    return True


def end_session() -> None:
    """Forget everything of the session but its language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def install(app: Flask) -> None:
    """Trust the configured number of reverse proxies for the client's address, and add the security
    headers to every answer."""
    if app.config["PROXY_FIX_X_FOR"] > 0:
        # Only the last N X-Forwarded-For entries come from our own proxies; anything before is the client's say.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])  # type: ignore[method-assign]
    hsts = app.config["HSTS_SECONDS"]

    @app.after_request
    def _security_headers(response: Any) -> Any:
        # Nothing of ours is framed or sniffed; scripts and styles only from this site; forms post only here.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if hsts > 0:
            response.headers["Strict-Transport-Security"] = f"max-age={hsts}"
        if not request.path.startswith("/static/"):
            # Pages, downloads and API answers may hold one user's data: no browser or proxy keeps a copy.
            response.headers["Cache-Control"] = "no-store"
        return response
