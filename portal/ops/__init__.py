"""Operations: liveness and readiness probes, Prometheus metrics, structured logs.

    GET /healthz   200 {"status": "ok"} while the process answers (touches nothing else)
    GET /readyz    200 or 503 {"ready", "checks": {"database", "broker", "store"}}
    GET /metrics   Prometheus text, with "Authorization: Bearer PORTAL_METRICS_TOKEN" (404 unset)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify

from . import logs
from .health import Readiness
from .metrics import Metrics, authorised, exposition

bp = Blueprint("ops", __name__)


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


def install(app: Flask) -> None:
    """The probes, the metrics and the request log (portal/errors.py answers a database that cannot be
    reached)."""
    app.extensions["readiness"] = Readiness(app)
    app.extensions["metrics"] = Metrics(app)
    app.register_blueprint(bp)
    logs.install(app)
    app.after_request(app.extensions["metrics"].observe)


__all__ = ["install", "logs"]
