"""Every state-changing route of the app, tried by the board, its authorised accountant (and DUO)
against a submitted version, leaves the version as it was: its rows, its receipt, its stored
bytes and what the pages show. The routes come from the app's url_map, so a new one fails here
until it is added with what each role tries there."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.accountants.models import AccountantKey, Authorisation
from portal.cli import DEMO_PASSWORD
from portal.db import get_db
from portal.drafts.services import forms_of
from portal.submissions.models import Delivery
from validators import assurance
from validators.forms import read_instance

from ..samples import VALID, VALID_INLINE
from .accountant_steps import ACCOUNTANT, FIRM, OTHER_PDF, PASSPHRASE, attach_raw, authorise, register_key
from .conftest import csrf_token, log_in
from .submitted import World, file, seen, submitted_version

Action = Callable[[World], list[int]]


def _post(client: FlaskClient, path: str, **data: Any) -> int:
    form = {"csrf_token": csrf_token(client, "/"), **data}
    return client.post(path, data=form, content_type="multipart/form-data").status_code


def _ids(world: World) -> dict[str, int]:
    with world.app.app_context():
        db = get_db()
        return {"key": db.scalar(select(AccountantKey.id).order_by(AccountantKey.id)),
                "authorisation": db.scalar(select(Authorisation.id).where(Authorisation.withdrawn_at.is_(None))),
                "delivery": db.scalar(select(Delivery.id).where(Delivery.recipient == "duo"))}


def _keys(world: World) -> list[int]:
    private_pem, public_pem = assurance.generate_key(b"buiten het portaal")
    return [_post(world.board, "/accountant/keys", action="generate", passphrase=PASSPHRASE, passphrase2=PASSPHRASE),
            _post(world.accountant, "/accountant/keys", action="generate", passphrase=PASSPHRASE,
                  passphrase2=PASSPHRASE),
            register_key(world.accountant, public_pem, private_pem, b"buiten het portaal")[0]]


def _revoke(world: World) -> list[int]:
    key = _ids(world)["key"]  # the key the version's assurance was signed with
    # Confirmed, as the page's required checkbox sends it (tests/portal/test_confirmations.py: without it).
    return [_post(client, f"/accountant/keys/{key}/revoke", confirm="yes") for client in (world.board, world.accountant)]


def _api_upload(world: World) -> list[int]:
    statuses = []
    for email, test in (("bestuur@demo.example", "false"), ("bestuur@demo.example", "false"), (ACCOUNTANT, "true")):
        for data in (VALID, VALID_INLINE):  # the same bytes give the submitted version back; others a new one
            statuses.append(world.board.post("/api/v1/filings", headers=world.tokens[email],
                                             content_type="multipart/form-data",
                                             data={"file": (file(data), "jv.xbrl"), "board": "41234",
                                                   "year": "2025", "test": test}).status_code)
    return statuses


def _api_submit(world: World) -> list[int]:
    return [world.board.post(f"/api/v1/filings/{world.filing_id}/submit", headers=world.tokens[email],
                             json={"declaration": True}).status_code for email in ("bestuur@demo.example", ACCOUNTANT)]


def _form_start(world: World) -> list[int]:
    """The board starts its draft, then takes the submitted version into it (a correction); the
    accountant may read a draft, not start one."""
    return [_post(world.board, "/boards/41234/2025/form/start", revision="2"),
            _post(world.board, "/boards/41234/2025/form/start", revision="3", filing_id=str(world.filing_id)),
            _post(world.accountant, "/boards/41234/2025/form/start", revision="4")]


def _form_save(world: World) -> list[int]:
    return [_post(world.board, "/boards/41234/2025/form/BalanceSheet", revision="4",
                  **{"f-CashAndCashEquivalents-2025-12-31": "1.234"}),
            _post(world.accountant, "/boards/41234/2025/form/BalanceSheet", revision="5",
                  **{"f-CashAndCashEquivalents-2025-12-31": "1"})]


def _form_check(world: World) -> list[int]:
    return [_post(client, "/boards/41234/2025/form/check") for client in (world.board, world.accountant)]


def _form_file(world: World) -> list[int]:
    return [_post(client, "/boards/41234/2025/form/file") for client in (world.board, world.accountant)]


def _api_put_draft(world: World) -> list[int]:
    """The board makes a draft of the submitted version's own figures and saves it again; the
    accountant may not change it."""
    facts = [f.to_dict() for f in read_instance(forms_of(2025), VALID)]
    return [world.board.put("/api/v1/drafts/41234/2025", headers=world.tokens[email],
                            json={"revision": revision, "facts": facts}).status_code
            for email, revision in (("bestuur@demo.example", 0), ("bestuur@demo.example", 1), (ACCOUNTANT, 2))]


def _api_file_draft(world: World) -> list[int]:
    """The draft filed (twice: one new version) by the board, checked as a test version by the
    accountant, who files nothing else."""
    return [world.board.post("/api/v1/drafts/41234/2025/file", headers=world.tokens[email], json=body).status_code
            for email, body in (("bestuur@demo.example", {}), ("bestuur@demo.example", {}),
                                (ACCOUNTANT, {"test": True}), (ACCOUNTANT, {}))]


def _withdraw(world: World) -> list[int]:
    authorisation = _ids(world)["authorisation"]
    statuses = [_post(world.accountant, f"/authorisations/{authorisation}/withdraw", confirm="yes"),
                _post(world.board, f"/authorisations/{authorisation}/withdraw", confirm="yes")]
    authorise(world.board)  # the firm again, for the routes after this one
    return statuses


def _authorise(world: World) -> list[int]:
    return [_post(world.accountant, "/boards/41234/2025/authorisations", firm_id="1"),
            _post(world.board, "/boards/41234/2025/authorisations", firm_id="1")]


def _upload(world: World) -> list[int]:
    return [_post(client, "/boards/41234/2025/upload", file=(file(data), "jv.xbrl"), **extra)
            for client, extra in ((world.board, {}), (world.board, {"test": "yes"}),
                                  (world.accountant, {"test": "yes"}), (world.accountant, {}))  # accountant: tests only
            for data in (VALID, VALID_INLINE)]


def _correction(world: World) -> list[int]:
    return [_post(client, "/duo/2025/41234/correction", message="Graag de jaarrekening corrigeren.")
            for client in (world.board, world.accountant, world.duo)]


def _acknowledge(world: World) -> list[int]:
    delivery = _ids(world)["delivery"]
    return [_post(client, f"/duo/deliveries/{delivery}/acknowledge") for client in (world.board, world.accountant,
                                                                                    world.duo)]


def _assurance(world: World) -> list[int]:
    key = str(_ids(world)["key"])
    filing_bytes = VALID
    statement = assurance.Statement.for_files(filing_bytes, OTHER_PDF, "41234", 2025, "goedkeurend", "2026-03-15",
                                              assurance.Signer(ACCOUNTANT, FIRM))
    with world.app.app_context():
        private = get_db().get(AccountantKey, int(key)).encrypted_private_pem.encode()
    signed = json.dumps(assurance.sign(statement, private, PASSPHRASE.encode())).encode()
    statuses = [attach_raw(client, world.filing_id, key, pdf=OTHER_PDF).status_code
                for client in (world.board, world.accountant)]
    statuses.append(attach_raw(world.accountant, world.filing_id, key, signed=signed, pdf=OTHER_PDF).status_code)
    return statuses


def _documents(world: World) -> list[int]:
    return [_post(client, f"/filings/{world.filing_id}/documents", file=(file(OTHER_PDF), "ander.pdf"))
            for client in (world.board, world.accountant)]


def _submit(world: World) -> list[int]:
    return [_post(client, f"/filings/{world.filing_id}/submit", declaration="yes")
            for client in (world.board, world.accountant)]


def _language(world: World) -> list[int]:
    return [_post(client, f"/language/{lang}") for client in (world.board, world.accountant, world.duo)
            for lang in ("en", "nl")]


def _login(world: World) -> list[int]:
    """Each logs in again (as itself) while logged in."""
    return [_post(client, "/login", email=email, password=DEMO_PASSWORD) for client, email in (
        (world.board, "bestuur@demo.example"), (world.accountant, ACCOUNTANT), (world.duo, "duo@demo.example"))]


def _password(world: World) -> list[int]:
    """Each changes its own password, and back (the session it changes it in goes on)."""
    statuses = []
    for client in (world.board, world.accountant, world.duo):
        for current, new in ((DEMO_PASSWORD, "een-ander-wachtwoord-2026"), ("een-ander-wachtwoord-2026", DEMO_PASSWORD)):
            statuses.append(_post(client, "/account/password", current=current, new=new, repeat=new))
    return statuses


def _logout(world: World) -> list[int]:
    statuses = []
    for client, email in ((world.board, "bestuur@demo.example"), (world.accountant, ACCOUNTANT),
                          (world.duo, "duo@demo.example")):
        statuses.append(_post(client, "/logout"))
        log_in(client, email)
    return statuses


# Each state-changing route with what the board, its authorised accountant (and DUO, where it may act)
# try there, and the answers expected; withdrawing the authorisation runs last but one, then login/out.
ROUTES: dict[tuple[str, str], tuple[Action, list[int]]] = {
    ("/filings/<int:filing_id>/assurance", "POST"): (_assurance, [404, 409, 409]),
    ("/filings/<int:filing_id>/documents", "POST"): (_documents, [409, 404]),
    ("/filings/<int:filing_id>/submit", "POST"): (_submit, [302, 404]),
    ("/api/v1/filings/<id>/submit", "POST"): (_api_submit, [200, 404]),
    ("/api/v1/filings", "POST"): (_api_upload, [202] * 6),
    ("/api/v1/drafts/<board>/<year>", "PUT"): (_api_put_draft, [200, 200, 403]),
    ("/api/v1/drafts/<board>/<year>/file", "POST"): (_api_file_draft, [202, 202, 202, 403]),
    ("/boards/<number>/<int:year>/upload", "POST"): (_upload, [302] * 6 + [403] * 2),
    ("/accountant/keys", "POST"): (_keys, [404, 302, 302]),
    ("/accountant/keys/<int:key_id>/revoke", "POST"): (_revoke, [404, 302]),
    ("/boards/<number>/<int:year>/authorisations", "POST"): (_authorise, [404, 302]),
    ("/duo/<int:year>/<number>/correction", "POST"): (_correction, [403, 403, 302]),
    ("/duo/deliveries/<int:delivery_id>/acknowledge", "POST"): (_acknowledge, [403, 403, 302]),
    ("/authorisations/<int:authorisation_id>/withdraw", "POST"): (_withdraw, [404, 302]),
    ("/boards/<number>/<int:year>/form/start", "POST"): (_form_start, [302, 302, 403]),
    ("/boards/<number>/<int:year>/form/<statement_id>", "POST"): (_form_save, [302, 403]),
    ("/boards/<number>/<int:year>/form/check", "POST"): (_form_check, [302, 302]),
    ("/boards/<number>/<int:year>/form/file", "POST"): (_form_file, [302, 403]),
    ("/language/<lang>", "POST"): (_language, [302] * 6),
    ("/login", "POST"): (_login, [302, 302, 302]),
    ("/logout", "POST"): (_logout, [302, 302, 302]),
    ("/account/password", "POST"): (_password, [302] * 6),
}


def test_every_state_changing_route_leaves_a_submitted_version_as_it_was(app: Flask, runner: FlaskCliRunner,
                                                                         demo: None) -> None:
    changing = {(rule.rule, method) for rule in app.url_map.iter_rules()
                for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    # A new route that changes state must be added to ROUTES, with what each role tries there.
    assert changing == set(ROUTES), (changing - set(ROUTES), set(ROUTES) - changing)
    world = submitted_version(app, runner)
    before = seen(world)
    assert before["board receipt"]["assurance"] is not None and "handtekening geldig" in before["board page"]
    for (rule, method), (action, expected) in ROUTES.items():
        assert action(world) == expected, rule
        assert seen(world) == before, rule


