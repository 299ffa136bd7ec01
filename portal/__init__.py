"""The portal's app factory.

    create_app()                 # configuration from instance/config.py and PORTAL_* variables
    create_app({"TESTING": True, "DATABASE_URL": "sqlite://..."})
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from validators.report import SEVERITIES

from . import config, db, security
from .extensions import csrf, login_manager
from .storage import web as storage_web
from .i18n import LANGUAGES, by_statement, language, pick, signal_reason, statement_label, t


def start_worker(app: Flask) -> None:
    """Start the local validation threads (WORKER=local); `python app.py` calls this."""
    if app.config["WORKER"] == "local" and "runner" not in app.extensions:
        from .jobs.local import LocalRunner

        app.extensions["runner"] = LocalRunner(app, app.config["VALIDATION_WORKERS"]).start()


def create_app(overrides: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the app, in this order: configuration, database, extensions, blueprints, CLI, error pages."""
    instance = instance_path or os.environ.get("PORTAL_INSTANCE_PATH") or os.path.abspath("instance")
    app = Flask(__name__, instance_path=os.path.abspath(instance), instance_relative_config=True)
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    config.load(app, overrides)
    db.init_app(app)
    security.install(app)
    storage_web.install(app)  # a failing file store answers 503 STORAGE-UNAVAILABLE, never a 500

    # Extensions: every form carries a CSRF token; unauthenticated pages redirect to login.
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None

    from .accounts import views as accounts_views
    from .boards import views as boards_views
    from .filings import views as filings_views

    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(boards_views.bp)
    app.register_blueprint(filings_views.bp)

    from .recipients import views as recipients_views

    app.register_blueprint(recipients_views.bp)

    from .inspectorate import views as inspectorate_views

    app.register_blueprint(inspectorate_views.bp)

    from .figures import views as figures_views

    app.register_blueprint(figures_views.bp)

    from .accountants import views as accountants_views

    app.register_blueprint(accountants_views.bp)

    from .api import views as api_views
    from .api.auth import error as api_error

    csrf.exempt(api_views.bp)  # bearer tokens, no cookies: nothing for CSRF to protect
    app.register_blueprint(api_views.bp)

    from . import cli, ops

    cli.init_app(app)
    ops.install(app)  # /healthz, /readyz, /metrics, the request log, 503 while the database is away
    app.jinja_env.globals.update(t=t, language=language, pick=pick, statement_label=statement_label, utcnow=db.utcnow,
                                 LANGUAGES=LANGUAGES, signal_reason=signal_reason, by_statement=by_statement,
                                 SEVERITIES=SEVERITIES)

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> Any:
        return render_template("error.html", message=t("csrf")), 400

    @app.errorhandler(404)
    def _not_found(_error: Exception) -> Any:
        if request.path.startswith("/api/"):
            return api_error("NOT-FOUND", "Niet gevonden.", "Not found.", 404)
        return render_template("error.html", message=t("not_found")), 404

    @app.errorhandler(403)
    def _forbidden(_error: Exception) -> Any:
        if request.path.startswith("/api/"):
            return api_error("FORBIDDEN", "Deze gegevens zijn voor een andere rol.", "This is for another role.", 403)
        return render_template("error.html", message=t("forbidden")), 403

    @app.errorhandler(413)
    def _too_large(_error: Exception) -> Any:
        if request.path.startswith("/api/"):
            mb = app.config["MAX_UPLOAD_MB"]
            return api_error("IN-SIZE", f"Het bestand is groter dan {mb} MB.", f"The upload exceeds {mb} MB.", 413)
        return render_template("error.html", message=t("too_large")), 413

    return app


__all__ = ["create_app", "start_worker"]
