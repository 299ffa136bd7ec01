"""Structured logs: one line per request and one per job, as JSON (PORTAL_LOG_FORMAT=json, the
default) or as plain text for a person at a terminal (PORTAL_LOG_FORMAT=text).

Every log line of the process goes through the same formatter once `configure()` has run (the
entry points call it: `python app.py`, the Celery worker and beat), so the web server's and
Celery's own messages are JSON too. A JSON line always has "time", "level", "logger" and
"message"; a request line adds "event": "request", "method", "path" (never the query string: it
may carry a token or a search), "status", "duration_ms", "user_id" and, on a filing's routes,
"filing_id"; a job line adds "event": "job", "job" (validation, delivery), the ids it concerns,
"outcome" and "duration_ms".
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from flask import Flask, g, request
from flask.wrappers import Response

ACCESS = logging.getLogger("portal.access")
JOBS = logging.getLogger("portal.jobs.log")
# Probes and scrapes come every few seconds: logged only when they fail (or at DEBUG).
QUIET_PATHS = ("/healthz", "/readyz", "/metrics")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's time (UTC), level, logger and message, its structured fields, any exception."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A log record as a plain line, its structured fields as key=value after the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The usual line, then the fields that the message does not already say."""
        line = super().format(record)
        fields = getattr(record, "fields", None) or {}
        extra = " ".join(f"{key}={value}" for key, value in fields.items() if key not in ("event",))
        return f"{line} [{extra}]" if extra else line


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for PORTAL_LOG_FORMAT (json or text)."""
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(log_format: str, level: int | str = logging.INFO) -> None:
    """Send every log record of this process to stderr in `log_format`, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # Python's warnings too, as log lines, not bare text on stderr


def event(logger: logging.Logger, level: int, message: str, **fields: Any) -> None:
    """Log `message` with structured `fields` (keys of the JSON line)."""
    logger.log(level, message, extra={"fields": fields})


@contextmanager
def job_log(job: str, **fields: Any) -> Iterator[dict[str, Any]]:
    """One line for one job, when it ends: `job` (validation, delivery), the `fields` given and
    those the block adds to the yielded dict (at least "outcome"), and its duration. A job that
    raises is logged with outcome "failed" and the exception's type, and the exception goes on."""
    started = time.perf_counter()
    entry: dict[str, Any] = dict(fields)
    level = logging.INFO
    try:
        yield entry
    except BaseException as exc:
        entry.update(outcome="failed", error=type(exc).__name__)
        level = logging.ERROR
        raise
    finally:
        entry.setdefault("outcome", "unknown")
        duration = round((time.perf_counter() - started) * 1000, 1)
        ids = " ".join(f"{key} {value}" for key, value in fields.items())
        event(JOBS, level, f"{job} {ids}: {entry['outcome']} in {duration:.0f} ms", event="job", job=job,
              **entry, duration_ms=duration)


def _user_id() -> int | None:
    # Only a user this request has already loaded: logging must not query the database (a probe
    # stays free of it, and a request that failed on the database must still be logged).
    user = g.get("api_user") or g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def _filing_id() -> int | None:
    args = request.view_args or {}
    value = args.get("filing_id", args.get("id") if request.path.startswith("/api/v1/filings/") else None)
    # The API's routes take the id as text (its table checks it): a number only if it is one.
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isascii() and
                                                     value.isdigit() and len(value) < 19) else None


def install(app: Flask) -> None:
    """Log one line per request when it is answered."""

    @app.before_request
    def _start() -> None:
        g.ops_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("ops_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
        quiet = request.path in QUIET_PATHS and response.status_code < 400
        event(ACCESS, logging.DEBUG if quiet else logging.INFO,
              f"{request.method} {request.path} {response.status_code}", event="request", method=request.method,
              path=request.path, status=response.status_code, duration_ms=duration, user_id=_user_id(),
              filing_id=_filing_id())
        return response
