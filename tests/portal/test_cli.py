"""The commands: users create (password from standard input), tokens create, boards import."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from portal.users.models import ApiToken, Role, User
from portal.boards.models import Board
from portal.db import get_db

CSV = "number,name,kvk,sectors\n41234,Stichting A,41110298,PO\n30567,Stichting B,30475299,VO MBO\n"


def _import(runner: FlaskCliRunner, tmp_path: Path, text: str) -> object:
    path = tmp_path / "boards.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["boards", "import", str(path)])


def test_boards_import_creates_and_updates(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    assert "2 created, 0 updated" in _import(runner, tmp_path, CSV).output
    result = _import(runner, tmp_path, CSV.replace("Stichting B", "Stichting B nieuw"))
    assert "0 created, 1 updated" in result.output
    with app.app_context():
        board = get_db().scalar(select(Board).where(Board.number == "30567"))
        assert (board.name, board.sector_list) == ("Stichting B nieuw", ["VO", "MBO"])


def test_boards_import_is_all_or_nothing_and_names_the_lines(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    bad = CSV + "1234,Te kort,12345678,PO\n77777,Onbekend,77777777,XX\n"
    result = _import(runner, tmp_path, bad)
    assert result.exit_code == 1
    assert "BOARDS-ROWS" in result.output and "4: number '1234'" in result.output and "5: sectors 'XX'" in result.output
    with app.app_context():
        assert get_db().scalars(select(Board)).all() == []  # nothing imported
    assert "BOARDS-HEADER" in _import(runner, tmp_path, "nummer,naam\n").output


def test_users_create_reads_the_password_from_stdin(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    _import(runner, tmp_path, CSV)
    result = runner.invoke(args=["users", "create", "Fin@School.example", "--role", "board", "--board", "41234",
                                 "--board", "30567"], input="een-lang-wachtwoord\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = get_db().scalar(select(User).where(User.email == "fin@school.example"))
        assert user.role is Role.BOARD and [b.number for b in user.boards] == ["30567", "41234"]


def test_users_create_refuses_clearly(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _import(runner, tmp_path, CSV)
    cases = [(["x@y.example", "--role", "board"], "USER-BOARD"),
             (["x@y.example", "--role", "board", "--board", "99999"], "USER-BOARD"),
             (["x@y.example", "--role", "accountant"], "USER-FIRM"),
             (["x@y.example", "--role", "king"], "USER-ROLE"),
             (["not-an-email", "--role", "duo"], "USER-EMAIL")]
    for args, code in cases:
        result = runner.invoke(args=["users", "create", *args], input="een-lang-wachtwoord\n")
        assert result.exit_code == 1 and code in result.output, (args, result.output)
    result = runner.invoke(args=["users", "create", "x@y.example", "--role", "duo"], input="kort\n")
    assert "USER-PASSWORD" in result.output


def test_tokens_are_printed_once_and_stored_hashed(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    result = runner.invoke(args=["tokens", "create", "bestuur@demo.example"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("vp_") and len(token) > 40
    with app.app_context():
        (stored,) = get_db().scalars(select(ApiToken)).all()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash


def test_seed_demo_is_idempotent(runner: FlaskCliRunner, demo: None) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0


def test_a_revoked_token_no_longer_works(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    token = runner.invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/filings?board=41234&year=2025", headers=headers).status_code == 200
    assert "1 token(s) revoked" in runner.invoke(args=["tokens", "revoke", "bestuur@demo.example"]).output
    response = client.get("/api/v1/filings?board=41234&year=2025", headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "AUTH-INVALID"


def test_administrative_changes_are_logged(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    from portal.audit.models import AuditEvent

    _import(runner, tmp_path, CSV)
    runner.invoke(args=["users", "create", "a@b.example", "--role", "duo"], input="een-lang-wachtwoord\n")
    runner.invoke(args=["tokens", "create", "a@b.example"])
    runner.invoke(args=["tokens", "revoke", "a@b.example"])
    with app.app_context():
        actions = [e.action for e in get_db().scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["boards.imported", "user.created", "token.created", "token.revoked"]
