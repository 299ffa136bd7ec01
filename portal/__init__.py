"""The portal's app factory.

    create_app()                 # configuration from instance/config.py and PORTAL_* variables
    create_app({"TESTING": True, "DATABASE_URL": "sqlite://..."})
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_login import current_user

from validators.report import SEVERITIES, SUBMITTABLE

from . import config, db, errors, expired, formatting, jobs, security
from .access import allowed
from .audit.presenter import describe
from .extensions import csrf, login_manager
from .i18n import LANGUAGES, by_statement, check_catalogues, language, named, pick, signal_reason, statement_label


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
    jobs.init_app(app)  # work a transaction asks for starts after its commit
    security.install(app)
    formatting.init_app(app)  # numbers, amounts and times in the page's language, in Dutch time
    check_catalogues()  # the Dutch texts are compiled (make setup), or the portal does not start
    errors.install(app)  # every refusal and failure: the API's JSON error or an error page, never a 500

    # Extensions: every form carries a CSRF token; unauthenticated pages redirect to login.
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "users.login"
    login_manager.login_message = None
    expired.install(app)  # an expired form or session: what happened, and the way back to the form's page

    from .users import views as users_views
    from .boards import views as boards_views
    from .filings import views as filings_views

    app.register_blueprint(users_views.bp)
    app.register_blueprint(boards_views.bp)
    app.register_blueprint(filings_views.bp)

    from .audit import views as audit_views
    from .duo import views as duo_views
    from .outbox import views as outbox_views
    from .submissions import views as submissions_views

    app.register_blueprint(submissions_views.bp)
    app.register_blueprint(duo_views.bp)
    app.register_blueprint(outbox_views.bp)
    app.register_blueprint(audit_views.bp)

    from .inspectorate import views as inspectorate_views

    app.register_blueprint(inspectorate_views.bp)

    from .figures import views as figures_views

    app.register_blueprint(figures_views.bp)

    from .accountants import views as accountants_views

    app.register_blueprint(accountants_views.bp)

    from .drafts import views as drafts_views

    app.register_blueprint(drafts_views.bp)

    from .reading import compare_views, statements_views, viewer_views  # noqa: F401  (they add routes to bp)
    from .reading.blueprint import bp as reading_bp

    app.register_blueprint(reading_bp)
    from .reading.statements import finding_anchor, has_statements, signal_rows

    # The report links each finding and each signalling value's inputs to their rows in the statements.
    app.jinja_env.globals.update(has_statements=has_statements, finding_anchor=finding_anchor, signal_rows=signal_rows)

    from .help import views as help_views

    app.register_blueprint(help_views.bp)

    from .api import views as api_views

    csrf.exempt(api_views.bp)  # bearer tokens, no cookies: nothing for CSRF to protect
    app.register_blueprint(api_views.bp)

    from . import cli, listing, ops

    cli.init_app(app)
    ops.install(app)  # /healthz, /readyz, /metrics, the request log
    app.jinja_env.globals.update(named=named, language=language, pick=pick, statement_label=statement_label, utcnow=db.utcnow,
                                 LANGUAGES=LANGUAGES, signal_reason=signal_reason, by_statement=by_statement,
                                 SEVERITIES=SEVERITIES, SUBMITTABLE=SUBMITTABLE,
                                 describe=describe)
    # Sortable list headings (portal/listing.py): which way a column is sorted, and where a click leads.
    app.jinja_env.globals.update(aria_sort=listing.aria_sort, next_direction=listing.next_direction)

    @app.context_processor
    def _access() -> dict[str, Any]:
        # Pages show a link or a form by the same policy the service will apply (portal/access.py).
        def can(action: str, **context: Any) -> bool:
            return bool(current_user.is_authenticated) and allowed(action, db.get_db(), current_user, **context)
        return {"can": can}

    return app


__all__ = ["create_app", "start_worker"]
