"""Log in, log out, switch language: thin views over the account services."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..audit.services import record
from ..db import get_db
from ..errors import ServiceError
from ..extensions import login_manager
from ..i18n import LANGUAGES, client_address, pick, safe_next, t
from . import services
from .models import User

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return get_db().scalar(select(User).where(User.id == int(user_id), User.active.is_(True)))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The login form; on success, back to where the user was going."""
    if current_user.is_authenticated:
        return redirect(url_for("boards.home"))
    error = None
    status = 200
    if request.method == "POST":
        db = get_db()
        try:
            user = services.authenticate(db, request.form.get("email", ""), request.form.get("password", ""),
                                         client_address(), current_app.config["LOGIN_MAX_FAILURES"],
                                         current_app.config["LOGIN_PAUSE_SECONDS"])
        except ServiceError as exc:
            db.commit()  # the failed attempt counts towards the rate limit
            error, status = pick(exc.message), exc.status
        else:
            record(db, "user.logged_in", user, user, client_address())
            db.commit()
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("boards.home"))
    return render_template("accounts/login.html", error=error), status


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Log out (a form post with a CSRF token, never a link)."""
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(t("logged_out"))
    return redirect(url_for("accounts.login"))


@bp.post("/language/<lang>")
def switch_language(lang: str) -> Any:
    """Switch the pages to `lang` (nl or en), remembered for the user."""
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang  # loaded in this request's session
            get_db().commit()
    return redirect(safe_next(request.form.get("next")) or url_for("boards.home"))
