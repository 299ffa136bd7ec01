"""A firm cannot present another firm's signature as its own: a key is registered only with
proof that the accountant holds it (a signed, fresh, single-use nonce of the portal), belongs to
one accountant, and the signed statement names the signer, which must be the one attaching it."""

from __future__ import annotations

import base64
import datetime
import json
import re
from collections.abc import Callable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.accountants.models import AccountantKey, Assurance, KeyChallenge
from portal.users.models import User
from portal.cli import DEMO_PASSWORD
from portal.db import get_db, utcnow
from portal.storage import open_store
from validators import assurance

from ..samples import VALID
from .accountant_steps import ACCOUNTANT, FIRM, PDF, attach, attach_raw, authorise, nonce, register_key, upload
from .conftest import log_in, submit

B, B_FIRM = "b.jansen@zuid.example", "Accountants Zuid B.V."
COLLEAGUE = "c.smit@noord.example"  # another accountant of A's firm
OUTSIDE = b"de sleutel van A buiten het portaal"


def _accountant(app: Flask, runner: FlaskCliRunner, email: str, firm: str) -> FlaskClient:
    done = runner.invoke(args=["users", "create", email, "--role", "accountant", "--firm", firm],
                         input=DEMO_PASSWORD + "\n")
    assert done.exit_code == 0, done.output
    client = app.test_client()
    log_in(client, email)
    return client


def _code(page: str) -> str | None:
    match = re.search(r"\b((?:KEY|ASSURANCE)-[A-Z]+)\b", page)
    return match.group(1) if match else None


def _key_count(app: Flask, fingerprint: str) -> int:
    with app.app_context():
        return get_db().scalar(select(func.count(AccountantKey.id)).where(AccountantKey.fingerprint == fingerprint))


@pytest.fixture
def a_key() -> tuple[bytes, bytes]:
    """Accountant A's own key, made outside the portal (keygen): (encrypted private PEM, public PEM)."""
    return assurance.generate_key(OUTSIDE)


def test_b_cannot_register_as_its_own_a_key_it_does_not_hold(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                             demo: None, a_key: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = a_key
    log_in(client, ACCOUNTANT)
    status, page = register_key(client, public_pem, private_pem, OUTSIDE)
    assert status == 302 and assurance.fingerprint(public_pem) in page
    a_proof_code = nonce(client)  # A's next nonce, and a proof A made for it
    a_proof, _ = assurance.prove_possession(private_pem, OUTSIDE, a_proof_code)

    b = _accountant(app, runner, B, B_FIRM)
    b_private, _b_public = assurance.generate_key(b"sleutel van B")
    code = nonce(b)
    own_proof, _ = assurance.prove_possession(b_private, b"sleutel van B", code)
    attempts = {"no proof": "", "junk": "bm9wZQ==", "B's key signed B's nonce": own_proof,
                "an assurance signature": json.loads(json.dumps(_signed(private_pem)))["signature"]}
    for what, proof in attempts.items():
        status, page = register_key(b, public_pem, None, b"", code=code, proof=proof)
        assert (status, _code(page)) == (400, "KEY-PROOF"), what
    status, page = register_key(b, public_pem, None, b"", code=a_proof_code, proof=a_proof)  # A's nonce, A's proof
    assert (status, _code(page)) == (409, "KEY-NONCE")
    # Even holding A's private key (leaked, or lent), B cannot make the key B's: it is A's.
    status, page = register_key(b, public_pem, private_pem, OUTSIDE)
    assert (status, _code(page)) == (409, "KEY-REGISTERED") and "hoort bij" in page
    assert _key_count(app, assurance.fingerprint(public_pem)) == 1
    with app.app_context():  # and the database holds that, whatever code runs
        db = get_db()
        b_id = db.scalar(select(User.id).where(User.email == B))
        db.add(AccountantKey(user_id=b_id, kind="public-key", public_pem=public_pem.decode(),
                             fingerprint=assurance.fingerprint(public_pem)))
        with pytest.raises(IntegrityError):
            db.flush()
        db.rollback()


def _signed(private_pem: bytes, accountant: str = ACCOUNTANT, firm: str = FIRM) -> dict:
    statement = assurance.Statement.for_files(VALID, PDF, "41234", 2025, "goedkeurend", "2026-03-15",
                                              assurance.Signer(accountant, firm))
    return assurance.sign(statement, private_pem, OUTSIDE)


def test_a_proof_needs_the_users_own_fresh_unused_nonce(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                        demo: None) -> None:
    log_in(client, ACCOUNTANT)
    code = nonce(client)
    assert nonce(client) == code  # the page keeps showing it while it is fresh
    keys = [assurance.generate_key(b"sleutel %d" % n) for n in range(4)]
    assert register_key(client, keys[0][1], keys[0][0], b"sleutel 0", code=code)[0] == 302
    status, page = register_key(client, keys[1][1], keys[1][0], b"sleutel 1", code=code)  # used already
    assert (status, _code(page)) == (409, "KEY-NONCE")
    fresh = nonce(client)
    assert fresh != code
    with app.app_context():  # ten minutes later
        db = get_db()
        db.execute(update(KeyChallenge).where(KeyChallenge.nonce == fresh)
                   .values(expires_at=utcnow() - datetime.timedelta(seconds=1)))
        db.commit()
    status, page = register_key(client, keys[2][1], keys[2][0], b"sleutel 2", code=fresh)
    assert (status, _code(page)) == (409, "KEY-NONCE")
    assert nonce(client) not in (code, fresh)  # the page hands out a new one
    b = _accountant(app, runner, B, B_FIRM)
    status, page = register_key(client, keys[3][1], keys[3][0], b"sleutel 3", code=nonce(b))  # another's nonce
    assert (status, _code(page)) == (409, "KEY-NONCE")
    status, page = register_key(client, keys[3][1], keys[3][0], b"sleutel 3", code="verzonnen-code-1234567890")
    assert (status, _code(page)) == (409, "KEY-NONCE")
    assert register_key(client, keys[3][1], keys[3][0], b"sleutel 3")[0] == 302
    with app.app_context():
        assert get_db().scalar(select(func.count(AccountantKey.id))) == 2
    assert client.get("/accountant/keys").status_code == 200
    board = app.test_client()
    log_in(board, "bestuur@demo.example")
    assert board.get("/accountant/keys").status_code == 404  # keys and nonces are accountants' alone


def test_b_cannot_attach_a_document_a_signed(app: Flask, client: FlaskClient, runner: FlaskCliRunner, demo: None,
                                             a_key: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = a_key
    log_in(client, "bestuur@demo.example")
    authorise(client)
    b = _accountant(app, runner, B, B_FIRM)
    colleague = _accountant(app, runner, COLLEAGUE, FIRM)
    authorise(client, B_FIRM)
    filing_id = upload(app, client, VALID)
    a_document = json.dumps(_signed(private_pem)).encode()
    legacy = _legacy_document(private_pem)

    for other, email in ((b, B), (colleague, COLLEAGUE)):
        other_private, other_public = assurance.generate_key(OUTSIDE)
        assert register_key(other, other_public, other_private, OUTSIDE)[0] == 302
        page = attach(other, filing_id, signed=a_document)
        assert "ASSURANCE-SIGNER" in page and f"ondertekend door {ACCOUNTANT} ({FIRM}), niet door {email}" in page
        page = attach(other, filing_id, signed=legacy)
        assert "ASSURANCE-SIGNER" in page and "noemt geen ondertekenaar" in page
    # B holding A's key as B's own (as a registration from before proofs were asked could): still A's document.
    with app.app_context():
        db = get_db()
        held = AccountantKey(user_id=db.scalar(select(User.id).where(User.email == B)), kind="public-key",
                             public_pem=public_pem.decode(), fingerprint=assurance.fingerprint(public_pem))
        db.add(held)
        db.commit()
        held_id = str(held.id)
    for signed in (a_document, legacy):
        refused = attach_raw(b, filing_id, held_id, signed=signed)
        assert refused.status_code == 400 and "ASSURANCE-SIGNER" in refused.get_data(as_text=True)
    with app.app_context():
        assert get_db().scalar(select(func.count(Assurance.id))) == 0
    for viewer in (client, b):
        assert "handtekening geldig" not in viewer.get(f"/filings/{filing_id}").get_data(as_text=True)


def _legacy_document(private_pem: bytes) -> bytes:
    """A's edu-assurance/1 document, as signed before statements named their signer."""
    key = serialization.load_pem_private_key(private_pem, OUTSIDE)
    statement = assurance.Statement.for_files(VALID, PDF, "41234", 2025, "goedkeurend", "2026-03-15")
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return json.dumps({"type": "edu-assurance/1", "statement": statement.to_dict(), "algorithm": "Ed25519",
                       "public_key": public.decode(), "certificate": None,
                       "signature": base64.b64encode(key.sign(statement.canonical())).decode()}).encode()


def test_an_earlier_assurance_without_a_signer_still_shows_as_signed(app: Flask, client: FlaskClient, demo: None,
                                                                     a_key: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = a_key
    log_in(client, "bestuur@demo.example")
    authorise(client)
    filing_id = upload(app, client, VALID)
    legacy = _legacy_document(private_pem)
    with app.app_context():  # attached before this version of the portal: its row as it was kept
        open_store(app).put(PDF)  # first, as the portal does: on SQLite a store waits for other writers
        db = get_db()
        a = db.scalar(select(User).where(User.email == ACCOUNTANT))
        key = AccountantKey(user_id=a.id, kind="public-key", public_pem=public_pem.decode(),
                            fingerprint=assurance.fingerprint(public_pem))
        db.add(key)
        db.flush()
        db.add(Assurance(filing_id=filing_id, accountant_id=a.id, firm_id=a.firm_id, key_id=key.id,
                         opinion="goedkeurend", opinion_date="2026-03-15",
                         auditor_report_sha256=json.loads(legacy)["statement"]["auditor_report_sha256"],
                         document_json=legacy.decode()))
        db.commit()
    page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "handtekening geldig" in page and "(edu-assurance/1) noemt geen ondertekenaar" in page
    assert "toegevoegd door accountant@demo.example (Accountants Noord B.V.)" in page
    assert submit(client, filing_id).status_code == 302
    assert client.get("/receipts/JV-2025-41234-0001.json").get_json()["assurance"]["signature_valid"] is True
    document = json.loads(client.get(f"/filings/{filing_id}/assurance.json").data)
    outcome = assurance.verify(document, VALID, PDF, public_pem, "goedkeurend")
    assert outcome.valid and outcome.signer is None


def _certificate(key: ec.EllipticCurvePrivateKey) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drs. M. de Wit RA")])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
            .not_valid_after(datetime.datetime(2027, 12, 31, tzinfo=datetime.UTC))
            .sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))


def test_a_certificates_name_is_only_what_it_claims(app: Flask, client: FlaskClient, demo: None,
                                                    switch: Callable[[str], None]) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(OUTSIDE))
    certificate = _certificate(key)
    log_in(client, "bestuur@demo.example")
    authorise(client)
    filing_id = upload(app, client, VALID)
    switch(ACCOUNTANT)
    bare = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    status, page = register_key(client, bare, private_pem, OUTSIDE)
    assert (status, _code(page)) == (400, "KEY-FORMAT")  # ECDSA signs with its certificate only
    status, page = register_key(client, certificate, private_pem, OUTSIDE)
    assert status == 302 and "drs. M. de Wit RA, volgens het certificaat" in page
    statement = assurance.Statement.for_files(VALID, PDF, "41234", 2025, "goedkeurend", "2026-03-15",
                                              assurance.Signer(ACCOUNTANT, FIRM))
    signed = json.dumps(assurance.sign(statement, private_pem, OUTSIDE, certificate)).encode()
    page = attach(client, filing_id, signed=signed)
    assert "handtekening geldig" in page and "accountant@demo.example (Accountants Noord B.V.)" in page
    assert "(drs. M. de Wit RA, volgens het certificaat)" in page
