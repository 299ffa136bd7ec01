"""Commands: flask --app app db upgrade | seed-demo | users create/password/deactivate/activate | tokens create |
boards import | outbox send | files copy-to-database."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from . import migrate
from .users import services as users
from .boards import services as boards
from .boards.models import Board
from .db import get_db
from .audit.services import record
from .errors import ServiceError
from .jobs.lease import job_lock
from .outbox.sender import send_pending

db_group = AppGroup("db", help="The database schema.")
users_group = AppGroup("users", help="People who log in.")
tokens_group = AppGroup("tokens", help="Personal API tokens.")
boards_group = AppGroup("boards", help="The school board registry.")

DEMO_PASSWORD = "demo-wachtwoord-2025"  # demo data on a local machine only; printed by seed-demo
DEMO_BOARDS = "number,name,kvk,sectors\n" \
    "41234,Stichting Openbaar Primair Onderwijs De Linde,41110298,PO\n" \
    "30567,Stichting Voortgezet Onderwijs Rijnmond,30475299,VO\n" \
    "25123,Stichting ROC Midden-Nederland,25047631,MBO\n" \
    "20111,Stichting Samenwerkingsverband Passend Onderwijs,20093667,PO SO\n"
DEMO_USERS = (("bestuur@demo.example", "board", ["41234"], None, "Fatima de Boer"),
              ("bestuur2@demo.example", "board", ["30567", "25123"], None, "Jeroen Visser"),
              ("accountant@demo.example", "accountant", [], "Accountants Noord B.V.", "Marieke de Wit"),
              ("duo@demo.example", "duo", [], None, "DUO"), ("ocw@demo.example", "ocw", [], None, "OCW"),
              ("inspectie@demo.example", "inspectorate", [], None, "Inspectie"),
              ("beheer@demo.example", "admin", [], None, "Beheerder"))


def _fail(error: ServiceError) -> None:
    raise click.ClickException(f"{error.code}: {error.message['en']}")


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Create or update the schema (Alembic migrations)."""
    migrate.upgrade(current_app.extensions["db_engine"])
    click.echo("database is up to date")


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True, help="board, accountant, duo, ocw, inspectorate or admin")
@click.option("--board", "boards_", multiple=True, help="school board number (board users; repeatable)")
@click.option("--firm", help="audit firm (accountants)")
@click.option("--name", default="", help="display name")
def users_create(email: str, role: str, boards_: tuple[str, ...], firm: str | None, name: str) -> None:
    """Create a user; the password is read from standard input (never from the command line)."""
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    db = get_db()
    try:
        user = users.create_user(db, email, password, role, list(boards_), firm, name)
    except ServiceError as error:
        _fail(error)
    record(db, "user.created", user, role=user.role.value, boards=list(boards_), firm=firm)
    db.commit()
    click.echo(f"created {user.email} ({user.role.value})")


@users_group.command("password")
@click.argument("email")
def users_password(email: str) -> None:
    """Give a user a new password (read from standard input); every session of the user ends."""
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "New password", hide_input=True, confirmation_prompt=True)
    db = get_db()
    try:
        user = users.set_password(db, email, password)
    except ServiceError as error:
        _fail(error)
    record(db, "user.password_set", user)
    db.commit()
    click.echo(f"new password set for {user.email}; their sessions have ended")


@users_group.command("deactivate")
@click.argument("email")
def users_deactivate(email: str) -> None:
    """Deactivate an account: no login, no API token, and every session ends at once."""
    db = get_db()
    try:
        user = users.set_active(db, email, False)
    except ServiceError as error:
        _fail(error)
    record(db, "user.deactivated", user)
    db.commit()
    click.echo(f"{user.email} deactivated; their sessions have ended")


@users_group.command("activate")
@click.argument("email")
def users_activate(email: str) -> None:
    """Let a deactivated account log in again (its old sessions stay ended)."""
    db = get_db()
    try:
        user = users.set_active(db, email, True)
    except ServiceError as error:
        _fail(error)
    record(db, "user.activated", user)
    db.commit()
    click.echo(f"{user.email} activated")


@tokens_group.command("create")
@click.argument("email")
def tokens_create(email: str) -> None:
    """Create a personal API token and print it (it is shown only this once)."""
    db = get_db()
    try:
        token = users.create_token(db, email)
    except ServiceError as error:
        _fail(error)
    record(db, "token.created", token[:10], object_email=users.normalise_email(email))
    db.commit()
    click.echo(token)


@tokens_group.command("revoke")
@click.argument("email")
@click.option("--prefix", help="only the token starting with this (as shown when it was made); default: all")
def tokens_revoke(email: str, prefix: str | None) -> None:
    """Revoke a user's API tokens."""
    db = get_db()
    try:
        count = users.revoke_tokens(db, email, prefix)
    except ServiceError as error:
        _fail(error)
    record(db, "token.revoked", users.normalise_email(email), count=count, prefix=prefix)
    db.commit()
    click.echo(f"{count} token(s) revoked")


@boards_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def boards_import(file: Path) -> None:
    """Import or update boards from CSV with the header number,name,kvk,sectors."""
    db = get_db()
    try:
        created, updated = boards.import_csv(db, file.read_text(encoding="utf-8-sig"))
    except ServiceError as error:
        _fail(error)
    except UnicodeDecodeError:
        raise click.ClickException("BOARDS-ENCODING: the file is not UTF-8 text") from None
    record(db, "boards.imported", file.name, created=created, updated=updated)
    db.commit()
    click.echo(f"{created} created, {updated} updated")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Demo boards and one user per role (idempotent), for `make run`."""
    migrate.upgrade(current_app.extensions["db_engine"])
    db = get_db()
    boards.import_csv(db, DEMO_BOARDS)
    for email, role, numbers, firm, name in DEMO_USERS:
        try:
            users.create_user(db, email, DEMO_PASSWORD, role, numbers, firm, name)
        except ServiceError as error:
            if error.code != "USER-EXISTS":
                _fail(error)
    db.commit()
    count = len(db.scalars(select(Board)).all())
    click.echo(f"demo data ready: {count} boards; log in as bestuur@demo.example with password {DEMO_PASSWORD}")


outbox_group = AppGroup("outbox", help="The e-mail outbox.")


@outbox_group.command("send")
def outbox_send() -> None:
    """Send what waits in the outbox now (needs PORTAL_SMTP_HOST)."""
    if not current_app.config["SMTP_HOST"]:
        raise click.ClickException("SMTP-UNSET: set PORTAL_SMTP_HOST to send e-mail")
    # The workers' housekeeping sends the outbox too: one sender at a time, or a message goes twice.
    with job_lock(get_db(), "housekeeping", timedelta(minutes=10)) as held:
        if not held:
            raise click.ClickException("OUTBOX-BUSY: a worker is sending the outbox right now; try again in a minute")
        click.echo(f"{send_pending(current_app._get_current_object())} sent")


files_group = AppGroup("files", help="The file store.")


@files_group.command("copy-to-database")
@click.option("--from", "source", type=click.Path(file_okay=False, path_type=Path),
              help="the folder store to copy (default: FILES_PATH)")
def files_copy_to_database(source: Path | None) -> None:
    """Copy every file of the folder store into the database store, checking each one's sha256;
    run it again at any time: what is there already is checked, not copied twice. Exits 1 when a
    file was damaged or unreadable (listed; not copied)."""
    from .storage.database import DatabaseStore
    from .storage.folder import FolderStore
    from .storage.transfer import copy_to_database

    folder = FolderStore(source or Path(current_app.config["FILES_PATH"]))
    if not folder.root.is_dir():
        raise click.ClickException(f"FILES-FOLDER: there is no folder {folder.root}")
    done = copy_to_database(folder, DatabaseStore(current_app.extensions["db_engine"]))
    for label, names in (("damaged (its bytes do not match its name; not copied)", done.damaged),
                         ("unreadable (not copied)", done.unreadable), ("repaired in the database", done.repaired),
                         ("ignored (not a stored file)", done.ignored)):
        for name in names:
            click.echo(f"{label}: {name}")
    click.echo(done.summary())
    if not done.complete:
        raise SystemExit(1)


filings_group = AppGroup("filings", help="Filing versions.")


@filings_group.command("keep-facts")
def filings_keep_facts() -> None:
    """Keep the facts of every version validated before the portal kept them, so their statements and
    comparisons can be shown: each file is validated again here (its report does not change). Run it
    once after the upgrade, beside the running portal; run it again at any time: a version whose
    facts are kept is skipped."""
    from sqlalchemy import exists
    from sqlalchemy.exc import IntegrityError

    from .filings.models import ERROR, Filing, FilingFacts
    from .jobs.core import engine, keep_facts

    db = get_db()
    app = current_app._get_current_object()
    ids = list(db.scalars(select(Filing.id).where(Filing.report_json.is_not(None), Filing.version.is_not(None),
                                                  Filing.status != ERROR,
                                                  ~exists().where(FilingFacts.filing_id == Filing.id))
                          .order_by(Filing.id)))
    started_here = "engine" not in app.extensions  # a command's own engine is stopped when it is done
    try:
        for filing_id in ids:
            filing = db.get(Filing, filing_id)
            count = keep_facts(app, filing)
            try:
                db.commit()
            except IntegrityError:  # a validation kept them meanwhile
                db.rollback()
                count = 0
            name = f"{filing.board.number} {filing.year} v{filing.version}"
            click.echo(f"{name}: " + ("the file does not load, nothing kept" if count is None else f"{count} facts kept"))
    finally:
        if started_here and "engine" in app.extensions:
            engine(app).close()
    click.echo(f"{len(ids)} versions without kept facts")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (db_group, users_group, tokens_group, boards_group, outbox_group, files_group, filings_group,
                    seed_demo):
        app.cli.add_command(command)
