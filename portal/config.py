"""Every setting of the portal, declared once: name, type, default and meaning.

Values come, later ones winning, from the defaults below, the instance
folder's `config.py`, and environment variables `PORTAL_<NAME>` (parsed by the
declared type). Secrets never live in the repository: without a SECRET_KEY
from config or environment, one is generated into the instance folder (mode
0600) on first start, so sessions survive restarts.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask


@dataclass(frozen=True)
class Setting:
    """One configuration key."""

    name: str
    type: type
    default: Any
    meaning: str


SETTINGS = (
    Setting("SECRET_KEY", str, None, "signs sessions and CSRF tokens; generated into the instance folder if unset"),
    Setting("DATABASE_URL", str, None, "SQLAlchemy URL; default: SQLite file portal.db in the instance folder (WAL)"),
    Setting("HOST", str, "127.0.0.1", "address `python app.py` serves on"),
    Setting("PORT", int, 5000, "port `python app.py` serves on"),
    Setting("SESSION_COOKIE_SECURE", bool, False, "send the session cookie over HTTPS only (set true in production)"),
    Setting("SESSION_IDLE_MINUTES", int, 30, "a session unused this long ends (the user logs in again)"),
    Setting("SESSION_LIFETIME_HOURS", int, 12, "a session ends this long after its login, used or not"),
    Setting("LOGIN_MAX_FAILURES", int, 5, "failed logins for one account from one address before that address "
                                          "pauses for that account (an address pauses for every account after "
                                          "four times as many)"),
    Setting("LOGIN_PAUSE_SECONDS", int, 900, "the pause after too many failed logins, and how long failures count"),
    Setting("LOGIN_DELAY_SECONDS", float, 2.0, "longest delay before each login to an account that failed "
                                               "LOGIN_MAX_FAILURES times from any addresses (slows guessing "
                                               "without locking the real user out)"),
    Setting("PROXY_FIX_X_FOR", int, 0, "trusted reverse proxies in front of the portal; their X-Forwarded-For "
                                       "gives the client's address (0: use the connection's address)"),
    Setting("HSTS_SECONDS", int, 0, "Strict-Transport-Security max-age sent with every answer (0: not sent; set "
                                    "it only when the portal is reached over HTTPS alone)"),
    Setting("UPLOAD_RATE_WINDOW_SECONDS", int, 600, "the window the upload limits count in"),
    Setting("UPLOAD_RATE_PER_USER", int, 30, "new versions one user may upload within the window (0: no limit)"),
    Setting("UPLOAD_RATE_PER_BOARD", int, 60, "new versions of one board (all its users and accountants) within "
                                              "the window (0: no limit)"),
    Setting("DEFAULT_LANGUAGE", str, "nl", "language of the pages until a user switches: nl or en"),
    Setting("MAX_UPLOAD_MB", int, 25, "largest upload accepted, in megabytes"),
    Setting("WORKER", str, "auto", "who validates: local (threads in `python app.py`), celery, none; auto: celery "
                                   "when CELERY_BROKER_URL is set, else local"),
    Setting("CELERY_BROKER_URL", str, None, "Redis URL of the Celery broker, e.g. redis://127.0.0.1:6379/0"),
    Setting("JOB_LEASE_SECONDS", int, 30, "a job (a validation, a delivery) holds its claim for this long and renews it "
                                          "every third of it while it works; a claim not renewed in time is given up"),
    Setting("SWEEP_SECONDS", int, 15, "how often the sweep queues again what lost its claim (Celery beat's schedule; "
                                      "the local runner's round)"),
    Setting("VALIDATION_RESEND_SECONDS", int, 300, "Celery: a filing queued this long gets its message sent again (a "
                                                   "message lost while the broker was down)"),
    Setting("DELIVERY_RETRY_SECONDS", int, 10, "a failed delivery is tried again after this long, doubling per attempt"),
    Setting("DELIVERY_RETRY_MAX_SECONDS", int, 3600, "the longest pause between two attempts of a delivery"),
    Setting("VALIDATION_WORKERS", int, max(1, os.cpu_count() or 1), "Arelle worker processes (and local threads)"),
    Setting("VALIDATION_NICE", int, 10, "niceness added to the Arelle worker processes, so that on a shared host the "
                                        "web server's requests get the CPU first (0: same priority)"),
    Setting("WEB_THREADS", int, 16, "request threads of `python app.py` (waitress)"),
    Setting("BROKER_TIMEOUT_SECONDS", float, 1.0, "Celery: longest wait to reach the broker when sending a message "
                                                  "from a request; it is never retried in the request"),
    Setting("BROKER_RETRY_SECONDS", float, 2.0, "Celery: after a send failed, this process sends nothing for this long "
                                                "(requests do not each wait for a broker that is down), then sends "
                                                "every filing still queued since, oldest first"),
    Setting("DATABASE_CONNECT_TIMEOUT_SECONDS", int, 3, "PostgreSQL: longest wait for a new connection (at least 2)"),
    Setting("READY_TIMEOUT_SECONDS", float, 2.0, "/readyz: longest wait for each check (database, broker, store)"),
    Setting("METRICS_TOKEN", str, None, "bearer token Prometheus sends to read /metrics; unset: /metrics is 404"),
    Setting("LOG_FORMAT", str, "json", "json: one JSON object per log line (requests, jobs, everything); text: "
                                       "plain lines for a person at a terminal"),
    Setting("FILE_STORE", str, "folder", "where files are kept (uploads, PDFs, exports), by sha256: folder (FILES_PATH, "
                                         "which every process must see) or database (rows in the portal's database, "
                                         "reached by every host that reaches the database: for more than one host)"),
    Setting("FILES_PATH", str, None, "the folder store's folder; default: files/ in the instance folder"),
    Setting("PASSWORD_HASH", str, "argon2id", "how passwords are hashed: argon2id (3 passes over 64 MiB); "
                                              "argon2id-test (1 pass, 1 MiB) only with TESTING, for the test suite"),
    Setting("SMTP_HOST", str, None, "SMTP server for e-mail; unset: messages stay in the portal's outbox only"),
    Setting("SMTP_PORT", int, 25, "SMTP port"),
    Setting("SMTP_STARTTLS", bool, False, "use STARTTLS"),
    Setting("SMTP_USER", str, None, "SMTP login, if the server wants one"),
    Setting("SMTP_PASSWORD", str, None, "SMTP password (from instance/config.py or the environment, never the repo)"),
    Setting("SMTP_FROM", str, "verantwoordingsportaal@localhost", "sender address of the portal's e-mail"),
    Setting("CONTACT_EMAIL", str, "helpdesk@verantwoordingsportaal.example",
            "the helpdesk's e-mail address, shown on the help page, the error pages and every page's footer"),
    Setting("SUPPORT_PHONE", str, None, "the helpdesk's telephone number, shown beside CONTACT_EMAIL (unset: none)"),
    Setting("DEADLINES", str, "", "per-year deadlines overriding 1 July of the next year, e.g. '2025=2026-07-15'"),
    Setting("TEST_RETENTION_DAYS", int, 30, "days a test version (pre-validation) is kept before it is deleted"),
    Setting("KEY_PROOF_MINUTES", int, 10, "minutes the nonce an accountant signs to register a key stays valid"),
)


def _parse(setting: Setting, raw: str) -> Any:
    if setting.type is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"PORTAL_{setting.name} must be true or false, not {raw!r}")
    return setting.type(raw)


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config: defaults, then instance/config.py, then PORTAL_* variables, then `overrides` (tests)."""
    for setting in SETTINGS:
        app.config[setting.name] = setting.default
    app.config.from_pyfile("config.py", silent=True)
    for setting in SETTINGS:
        raw = os.environ.get(f"PORTAL_{setting.name}")
        if raw is not None:
            app.config[setting.name] = _parse(setting, raw)
    app.config.update(overrides or {})

    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'portal.db'}"
    if app.config["WORKER"] == "auto":
        app.config["WORKER"] = "celery" if app.config["CELERY_BROKER_URL"] else "local"
    if app.config["LOG_FORMAT"] not in ("json", "text"):
        raise ValueError(f"PORTAL_LOG_FORMAT must be json or text, not {app.config['LOG_FORMAT']!r}")
    if app.config["FILE_STORE"] not in ("folder", "database"):
        raise ValueError(f"PORTAL_FILE_STORE must be folder or database, not {app.config['FILE_STORE']!r}")
    if app.config["PASSWORD_HASH"] not in ("argon2id", "argon2id-test") or (
            app.config["PASSWORD_HASH"] == "argon2id-test" and not app.config.get("TESTING")):
        # a cheap hash would make stolen password hashes cheap to crack: never outside the test suite
        raise ValueError(f"PORTAL_PASSWORD_HASH must be argon2id (argon2id-test only with TESTING), "
                         f"not {app.config['PASSWORD_HASH']!r}")
    if not app.config["FILES_PATH"]:
        app.config["FILES_PATH"] = str(instance / "files")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    # The signed cookie itself is refused after the absolute lifetime too (Flask's default is 31 days).
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_LIFETIME_HOURS"]))


def _instance_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value
