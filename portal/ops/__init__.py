"""Operations: liveness and readiness probes, Prometheus metrics, structured logs, and a clear
503 (never a 500) while the database cannot be reached.

    GET /healthz   200 {"status": "ok"} while the process answers (touches nothing else)
    GET /readyz    200 or 503 {"ready", "checks": {"database", "broker", "store"}}
    GET /metrics   Prometheus text, with "Authorization: Bearer PORTAL_METRICS_TOKEN" (404 unset)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from . import logs
from .health import Readiness
from .metrics import Metrics, authorised, exposition

bp = Blueprint("ops", __name__)
RETRY_AFTER = "30"


@bp.get("/healthz")
def healthz() -> Any:
    """The process is up."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    """Database, broker (if any) and file store reachable: 200, else 503; each check named."""
    ready, body = current_app.extensions["readiness"].report()
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics() -> Any:
    """The Prometheus metrics, for the holder of METRICS_TOKEN."""
    authorised()
    return exposition(current_app.extensions["metrics"])


def _unavailable(exc: Exception) -> Any:
    """The database is down, restarting or out of connections: 503 with Retry-After, as the API's
    JSON error under /api/ and as a page elsewhere; nothing was committed, a retry may work."""
    current_app.logger.error("request failed on the database: %s", exc)
    if request.path.startswith("/api/"):
        from ..api.auth import error

        response = error("SERVICE-UNAVAILABLE", "De database is nu niet bereikbaar; probeer het later opnieuw.",
                         "The database cannot be reached right now; please try again later.", 503)
    else:
        from ..i18n import t

        g._login_user = current_app.login_manager.anonymous_user()  # the page must not ask the database who
        response = current_app.make_response((render_template("error.html", message=t("unavailable")), 503))
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def install(app: Flask) -> None:
    """The probes, the metrics, the request log and the 503 for a database that cannot be reached."""
    app.extensions["readiness"] = Readiness(app)
    app.extensions["metrics"] = Metrics(app)
    app.register_blueprint(bp)
    logs.install(app)
    app.after_request(app.extensions["metrics"].observe)
    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(PoolTimeout, _unavailable)


__all__ = ["install", "logs"]
