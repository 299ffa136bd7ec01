"""Log in, log out, change the password, switch language: thin views over the account services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from ..db import get_db
from ..errors import ServiceError
from ..extensions import login_manager
from ..i18n import LANGUAGES, client_address, pick
from ..security import end_session, safe_next, session_is_current, start_session
from . import services
from .models import User

bp = Blueprint("users", __name__)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The signed-in user, on every request, while the session is current: of the user's present
    generation (no logout, new password or deactivation since), not idle too long, not too old.
    Otherwise the session is dropped and the user logs in again."""
    user = get_db().scalar(select(User).where(User.id == int(user_id), User.active.is_(True)))
    config = current_app.config
    if user is None or not session_is_current(user.session_generation, config["SESSION_IDLE_MINUTES"],
                                              config["SESSION_LIFETIME_HOURS"]):
        end_session()
        return None
    return user


def _begin(user: User) -> None:
    """A fresh session for `user` (no fixation), remembering its language."""
    end_session()
    login_user(user)
    start_session(user.session_generation)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The login form; on success, back to where the user was going (on this site only)."""
    if current_user.is_authenticated:
        return redirect(url_for("boards.home"))
    error = None
    status = 200
    if request.method == "POST":
        db = get_db()
        config = current_app.config
        try:
            user = services.authenticate(db, request.form.get("email", ""), request.form.get("password", ""),
                                         client_address(), config["LOGIN_MAX_FAILURES"],
                                         config["LOGIN_PAUSE_SECONDS"], config["LOGIN_DELAY_SECONDS"])
        except ServiceError as exc:
            db.commit()  # the failed attempt counts towards the rate limit
            error, status = pick(exc.message), exc.status
        else:
            db.commit()
            _begin(user)
            return redirect(safe_next(request.args.get("next")) or url_for("boards.home"))
    return render_template("users/login.html", error=error), status


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Log out (a form post with a CSRF token, never a link): every session of the user ends,
    so a copy of the cookie taken earlier opens nothing either."""
    db = get_db()
    user = db.get(User, current_user.id)
    services.log_out(db, user, client_address())
    db.commit()
    logout_user()
    end_session()
    flash(_("You are logged out."))
    return redirect(url_for("users.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Any:
    """Change one's own password: every other session of the user ends, this one goes on."""
    error, status = None, 200
    if request.method == "POST":
        db = get_db()
        config = current_app.config
        user = db.get(User, current_user.id)
        try:
            services.change_password(db, user, request.form.get("current", ""), request.form.get("new", ""),
                                     request.form.get("repeat", ""), client_address(), config["LOGIN_MAX_FAILURES"],
                                     config["LOGIN_PAUSE_SECONDS"])
        except ServiceError as exc:
            db.commit()  # a wrong current password counts as a failed login
            error, status = pick(exc.message), exc.status
        else:
            db.commit()
            _begin(user)
            flash(_("Your password was changed; other sessions have ended."))
            return redirect(url_for("boards.home"))
    return render_template("users/password.html", error=error), status


@bp.post("/language/<lang>")
def switch_language(lang: str) -> Any:
    """Switch the pages to `lang` (nl or en), remembered for the user."""
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang  # loaded in this request's session
            get_db().commit()
    return redirect(_page_to_return_to(safe_next(request.form.get("next"))) or url_for("boards.home"))


def _page_to_return_to(path: str | None) -> str | None:
    """The page the switch was on: `path` if it answers GET. A refusal is drawn in answer to its form,
    at the form's address, which only takes POST (/filings/2/assurance): then the nearest page above
    it that answers GET, the one the form was on (/filings/2); None (home) if there is none. A page
    that was not found stays as it is."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    above = path
    while above and above != "/":
        try:
            adapter.match(urlsplit(above).path, method="GET")
            return above
        except (RequestRedirect, NotFound):  # a trailing slash added, or no such page: the page as it was
            if above == path:
                return path
        except MethodNotAllowed:
            pass
        above = urlsplit(above).path.rsplit("/", 1)[0]
    return None
