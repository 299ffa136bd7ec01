"""Digital assurance: real keys, real certificates, the committed sample filings; no mocks."""

from __future__ import annotations

import base64
import copy
import datetime
import io
import json
import random
import re
import zipfile
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
from cryptography.x509.oid import NameOID

from validators.assurance import (LEGACY_TYPE, OPINIONS, STATEMENT_TYPE, AssuranceError, Signer, Statement,
                                  audit_opinion_of, fingerprint, generate_key, parse_document, possession_proven,
                                  prove_possession, sign, verify)

from ..samples import sample

FILING = sample("2025/valid/po-small.xbrl")
INLINE = sample("2025/valid/po-small.xhtml")
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PASSPHRASE = b"correct horse battery staple"
OPINION_DATE = "2026-06-14"  # the samples' edu:AuditOpinionDate
SIGNER = Signer("m.dewit@dewit.example", "Accountantskantoor De Wit")


def _statement(filing: bytes = FILING, opinion: str = "goedkeurend", date: str = OPINION_DATE) -> Statement:
    return Statement.for_files(filing, PDF, "41234", 2025, opinion, date, SIGNER)


def _pem(key: Any) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(PASSPHRASE))


def _public_pem(key: Any) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _certificate(key: Any, first: str = "2026-01-01", last: str = "2027-12-31", name: str = "drs. M. de Wit RA",
                 usage: x509.KeyUsage | None = None) -> bytes:
    """A self-signed certificate for the key, valid from the first to the last day (UTC)."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Accountantskantoor De Wit")])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(datetime.datetime.fromisoformat(f"{first}T00:00:00+00:00"))
               .not_valid_after(datetime.datetime.fromisoformat(f"{last}T23:59:59+00:00")))
    if usage is not None:
        builder = builder.add_extension(usage, critical=True)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm).public_bytes(serialization.Encoding.PEM)


def _codes(outcome: Any) -> list[str]:
    return [code for code, _ in outcome.problems]


def _with_opinion(data: bytes, opinion: str) -> bytes:
    """A copy of a sample filing whose own AuditOpinionType is another value."""
    for old in (b">goedkeurend</edu:AuditOpinionType>", b">goedkeurend</ix:nonNumeric>"):
        if old in data:
            changed = data.replace(old, old.replace(b"goedkeurend", opinion.encode()))
            assert changed.count(opinion.encode()) == 1
            return changed
    raise AssertionError("the sample has no AuditOpinionType fact")


@pytest.fixture(scope="module")
def ed_key() -> tuple[bytes, bytes]:
    """An accountant's key as keygen makes it: (encrypted private PEM, public PEM)."""
    return generate_key(PASSPHRASE)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    """An ECDSA P-256 key."""
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    """An RSA 2048 key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def document(ed_key: tuple[bytes, bytes]) -> dict[str, Any]:
    """A document signed with the Ed25519 key over po-small.xbrl and the PDF."""
    return sign(_statement(), ed_key[0], PASSPHRASE)


# --- the statement -----------------------------------------------------------------------------------------

def test_canonical_form_is_fixed_bytes() -> None:
    statement = Statement("41234", 2025, "met-beperking", "2026-06-14", "a" * 64, "b" * 64,
                          Signer("a.de.vries@noord.example", 'Accountants "Noord" & Zoön B.V.'))
    assert statement.canonical() == (
        b'{"auditor_report_sha256":"' + b"b" * 64 + b'","board":"41234","filing_sha256":"' + b"a" * 64
        + b'","opinion":"met-beperking","opinion_date":"2026-06-14","signer":{"accountant":"a.de.vries@noord.example",'
        + '"firm":"Accountants \\"Noord\\" & Zoön B.V."}'.encode() + b',"type":"edu-assurance/2","year":2025}')
    assert Statement.from_dict(statement.to_dict()) == statement
    assert STATEMENT_TYPE == "edu-assurance/2" and OPINIONS[0] == "goedkeurend" and len(OPINIONS) == 4
    # The earlier type, without a signer: still exactly the bytes it was signed as.
    legacy = Statement("41234", 2025, "met-beperking", "2026-06-14", "a" * 64, "b" * 64)
    assert legacy.type == LEGACY_TYPE == "edu-assurance/1" and "signer" not in legacy.to_dict()
    assert legacy.canonical() == (
        b'{"auditor_report_sha256":"' + b"b" * 64 + b'","board":"41234","filing_sha256":"' + b"a" * 64
        + b'","opinion":"met-beperking","opinion_date":"2026-06-14","type":"edu-assurance/1","year":2025}')
    assert Statement.from_dict(legacy.to_dict(), LEGACY_TYPE) == legacy


@pytest.mark.parametrize("field, value", [
    ("board", "4123"), ("board", 41234), ("board", "١٢٣٤٥"), ("board", "41234\n"), ("year", "2025"), ("year", True),
    ("year", 1899), ("year", 2201), ("opinion", "Goedkeurend"), ("opinion_date", "2026-02-30"),
    ("opinion_date", "20260614"), ("opinion_date", "2026-06-14T00:00"), ("filing_sha256", "A" * 64),
    ("auditor_report_sha256", "a" * 63), ("filing_sha256", None)])
def test_statement_refuses_each_malformed_field(field: str, value: Any) -> None:
    data = {**_statement().to_dict(), field: value}
    with pytest.raises(AssuranceError) as caught:
        Statement.from_dict(data)
    assert caught.value.code == "ASSURANCE-FORMAT" and field in caught.value.message["en"]
    assert caught.value.message["nl"] != caught.value.message["en"]


def test_statement_refuses_missing_or_extra_fields() -> None:
    data = _statement().to_dict()
    legacy = {k: v for k, v in data.items() if k != "signer"}
    for broken, kind in (({k: v for k, v in data.items() if k != "year"}, STATEMENT_TYPE),
                         ({**data, "type": STATEMENT_TYPE}, STATEMENT_TYPE), ([data], STATEMENT_TYPE),
                         (legacy, STATEMENT_TYPE), (data, LEGACY_TYPE)):
        with pytest.raises(AssuranceError, match="ASSURANCE-FORMAT"):
            Statement.from_dict(broken, kind)


@pytest.mark.parametrize("signer", [None, "m.dewit@dewit.example", {"accountant": "m.dewit@dewit.example"},
                                    {"accountant": "m.dewit@dewit.example", "firm": "De Wit", "id": 3},
                                    {"accountant": "geen e-mailadres", "firm": "De Wit"},
                                    {"accountant": "a@b@c", "firm": "De Wit"},
                                    {"accountant": "m.dewit@dewit.example", "firm": ""},
                                    {"accountant": "m.dewit@dewit.example", "firm": " De Wit"},
                                    {"accountant": "m.dewit@dewit.example", "firm": "De Wit\x1b[2J"},
                                    {"accountant": "m.dewit@dewit.example", "firm": "De Wit\ud800"},
                                    {"accountant": "m.dewit@dewit.example", "firm": "W" * 201},
                                    {"accountant": "m.dewit@dewit.example", "firm": 7}])
def test_statement_refuses_a_malformed_signer(signer: Any) -> None:
    with pytest.raises(AssuranceError, match="ASSURANCE-FORMAT"):
        Statement.from_dict({**_statement().to_dict(), "signer": signer})


# --- keys --------------------------------------------------------------------------------------------------

def test_generate_key_encrypts_and_fingerprints(ed_key: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = ed_key
    assert private_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # cryptography will not read it without the passphrase
        serialization.load_pem_private_key(private_pem, None)
    key = serialization.load_pem_private_key(private_pem, PASSPHRASE)
    assert _public_pem(key) == public_pem
    assert re.fullmatch(r"SHA256:[0-9a-f]{64}", fingerprint(public_pem))
    with pytest.raises(AssuranceError, match="ASSURANCE-PASSPHRASE"):
        generate_key(b"")
    with pytest.raises(AssuranceError, match="ASSURANCE-FORMAT"):
        fingerprint(b"-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n")


def test_wrong_or_missing_passphrase_is_a_clear_error(ed_key: tuple[bytes, bytes]) -> None:
    for passphrase in (b"wrong", None):
        with pytest.raises(AssuranceError) as caught:
            sign(_statement(), ed_key[0], passphrase)
        assert caught.value.code == "ASSURANCE-PASSPHRASE" and caught.value.message["nl"]
    plain, _ = generate_key(None)
    with pytest.raises(AssuranceError, match="ASSURANCE-PASSPHRASE"):  # a passphrase for a plain key: refused
        sign(_statement(), plain, PASSPHRASE)
    with pytest.raises(AssuranceError, match="ASSURANCE-KEY"):
        sign(_statement(), b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n", PASSPHRASE)


# --- signing and verifying ---------------------------------------------------------------------------------

def test_ed25519_round_trip(ed_key: tuple[bytes, bytes], document: dict[str, Any]) -> None:
    assert set(document) == {"type", "statement", "algorithm", "public_key", "certificate", "signature"}
    assert document["algorithm"] == "Ed25519" and document["certificate"] is None
    stored = json.loads(json.dumps(document))  # what is stored and downloaded is JSON text
    outcome = verify(stored, FILING, PDF, trusted_key_pem=ed_key[1], filing_opinion=audit_opinion_of(FILING))
    assert outcome.valid and outcome.problems == []
    assert outcome.statement == _statement() and document["type"] == "edu-assurance/2"
    assert outcome.fingerprint == fingerprint(ed_key[1]) and outcome.signer == SIGNER
    assert outcome.certificate_subject is None


@pytest.mark.parametrize("kind, algorithm", [("ec", "ECDSA-SHA256"), ("rsa", "RSA-PKCS1v15-SHA256"),
                                             ("p384", "ECDSA-SHA256"), ("ed", "Ed25519")])
def test_round_trip_with_a_certificate(kind: str, algorithm: str, request: pytest.FixtureRequest) -> None:
    made = {"ed": ed25519.Ed25519PrivateKey.generate, "p384": lambda: ec.generate_private_key(ec.SECP384R1())}
    key = made[kind]() if kind in made else request.getfixturevalue(f"{kind}_key")
    certificate = _certificate(key)
    document = sign(_statement(), _pem(key), PASSPHRASE, certificate)
    assert document["algorithm"] == algorithm and document["public_key"] is None
    for trusted in (certificate, _public_pem(key)):  # the same key either way
        outcome = verify(json.loads(json.dumps(document)), FILING, PDF, trusted, "goedkeurend")
        assert outcome.valid, outcome.problems
        assert outcome.certificate_subject == "drs. M. de Wit RA" and outcome.signer == SIGNER
        assert outcome.fingerprint == fingerprint(certificate) == fingerprint(_public_pem(key))


def test_expired_certificate_fails(ec_key: ec.EllipticCurvePrivateKey) -> None:
    expired = _certificate(ec_key, "2024-01-01", "2025-12-31")
    with pytest.raises(AssuranceError, match="ASSURANCE-CERTIFICATE"):  # signing refuses it outright
        sign(_statement(), _pem(ec_key), PASSPHRASE, expired)
    # A document made elsewhere, exactly to the format, with that certificate.
    statement = _statement()
    document = {"type": STATEMENT_TYPE, "statement": statement.to_dict(), "algorithm": "ECDSA-SHA256",
                "public_key": None, "certificate": expired.decode(),
                "signature": base64.b64encode(ec_key.sign(statement.canonical(), ec.ECDSA(hashes.SHA256()))).decode()}
    outcome = verify(document, FILING, PDF)
    assert _codes(outcome) == ["ASSURANCE-CERTIFICATE"] and "2025-12-31" in outcome.problems[0][1]["en"]
    valid_until_opinion = _certificate(ec_key, "2025-01-01", OPINION_DATE)  # its last day still counts
    assert verify({**document, "certificate": valid_until_opinion.decode()}).valid
    not_yet = _certificate(ec_key, "2026-06-15", "2027-12-31")
    assert _codes(verify({**document, "certificate": not_yet.decode()})) == ["ASSURANCE-CERTIFICATE"]


def test_certificate_not_for_signing_or_of_another_key(ec_key: ec.EllipticCurvePrivateKey,
                                                       rsa_key: rsa.RSAPrivateKey) -> None:
    encipher_only = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=True,
                                  data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                  crl_sign=False, encipher_only=False, decipher_only=False)
    with pytest.raises(AssuranceError, match="ASSURANCE-CERTIFICATE"):
        sign(_statement(), _pem(rsa_key), PASSPHRASE, _certificate(rsa_key, usage=encipher_only))
    with pytest.raises(AssuranceError, match="ASSURANCE-KEY"):
        sign(_statement(), _pem(rsa_key), PASSPHRASE, _certificate(ec_key))
    with pytest.raises(AssuranceError, match="ASSURANCE-KEY"):  # only Ed25519 signs without a certificate
        sign(_statement(), _pem(ec_key), PASSPHRASE)
    p521 = ec.generate_private_key(ec.SECP521R1())  # not one of the two curves allowed
    with pytest.raises(AssuranceError, match="ASSURANCE-KEY"):
        sign(_statement(), _pem(p521), PASSPHRASE, _certificate(p521))


def test_one_changed_byte_in_the_filing_or_the_pdf(document: dict[str, Any]) -> None:
    filing = bytearray(FILING)
    filing[len(filing) // 2] ^= 0x01
    assert _codes(verify(document, bytes(filing), PDF)) == ["ASSURANCE-FILING"]
    pdf = bytearray(PDF)
    pdf[10] ^= 0x01
    assert _codes(verify(document, FILING, bytes(pdf))) == ["ASSURANCE-PDF"]


@pytest.mark.parametrize("field, value", [("opinion", "afkeurend"), ("year", 2024), ("board", "30567"),
                                          ("opinion_date", "2026-06-15"), ("auditor_report_sha256", "0" * 64)])
def test_a_changed_statement_field_breaks_the_signature(document: dict[str, Any], field: str, value: Any) -> None:
    changed = copy.deepcopy(document)
    changed["statement"][field] = value
    assert _codes(verify(changed, FILING)) == ["ASSURANCE-SIGNATURE"]


def test_another_key_or_a_changed_signature_fails(document: dict[str, Any]) -> None:
    _, other_public = generate_key(None)
    outcome = verify(document, FILING, PDF, trusted_key_pem=other_public)
    assert _codes(outcome) == ["ASSURANCE-KEY"] and fingerprint(other_public) in outcome.problems[0][1]["en"]
    # The other key put into the document: the signature is not that key's.
    assert _codes(verify({**document, "public_key": other_public.decode()})) == ["ASSURANCE-SIGNATURE"]
    signature = bytearray(base64.b64decode(document["signature"]))
    signature[0] ^= 0x80
    assert _codes(verify({**document, "signature": base64.b64encode(signature).decode()})) == ["ASSURANCE-SIGNATURE"]
    short = base64.b64encode(bytes(signature[:10])).decode()
    assert _codes(verify({**document, "signature": short})) == ["ASSURANCE-SIGNATURE"]


def _legacy_document(key: ed25519.Ed25519PrivateKey) -> dict[str, Any]:
    """An edu-assurance/1 document exactly as the earlier version of this module made it (no signer)."""
    statement = Statement.for_files(FILING, PDF, "41234", 2025, "goedkeurend", OPINION_DATE)
    return {"type": "edu-assurance/1", "statement": statement.to_dict(), "algorithm": "Ed25519",
            "public_key": _public_pem(key).decode(), "certificate": None,
            "signature": base64.b64encode(key.sign(statement.canonical())).decode()}


def test_an_earlier_document_without_a_signer_still_verifies() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    document = json.loads(json.dumps(_legacy_document(key)))
    assert set(document["statement"]) == {"board", "year", "opinion", "opinion_date", "filing_sha256",
                                          "auditor_report_sha256"}
    outcome = verify(document, FILING, PDF, _public_pem(key), "goedkeurend")
    assert outcome.valid and outcome.signer is None and outcome.statement.type == LEGACY_TYPE
    # It names no one, so it cannot be anyone's: a check for a named signer fails, and only that.
    assert _codes(verify(document, FILING, PDF, _public_pem(key), "goedkeurend", SIGNER)) == ["ASSURANCE-SIGNER"]
    # A signer written into it afterwards is not what was signed.
    added = {**document, "type": STATEMENT_TYPE, "statement": {**document["statement"], "signer": {
        "accountant": SIGNER.accountant, "firm": SIGNER.firm}}}
    assert _codes(verify(added, FILING, PDF)) == ["ASSURANCE-SIGNATURE"]


def test_only_statements_naming_the_signer_are_signed(ed_key: tuple[bytes, bytes]) -> None:
    unnamed = Statement.for_files(FILING, PDF, "41234", 2025, "goedkeurend", OPINION_DATE)
    with pytest.raises(AssuranceError, match="ASSURANCE-SIGNER"):
        sign(unnamed, ed_key[0], PASSPHRASE)


def test_the_signer_is_part_of_what_is_signed(document: dict[str, Any]) -> None:
    assert verify(document, FILING, PDF, signer=Signer("M.DeWit@DeWit.example", SIGNER.firm)).valid  # any case
    other = Signer("b.jansen@zuid.example", "Accountants Zuid")
    outcome = verify(document, FILING, PDF, signer=other)
    assert _codes(outcome) == ["ASSURANCE-SIGNER"]
    assert SIGNER.accountant in outcome.problems[0][1]["en"] and other.accountant in outcome.problems[0][1]["nl"]
    assert _codes(verify(document, FILING, PDF, signer=Signer(SIGNER.accountant, "Accountantskantoor de Wit"))) == [
        "ASSURANCE-SIGNER"]
    # Another firm's name put over the signature: the signature no longer holds.
    changed = copy.deepcopy(document)
    changed["statement"]["signer"] = {"accountant": other.accountant, "firm": other.firm}
    assert _codes(verify(changed, FILING, PDF, signer=other)) == ["ASSURANCE-SIGNATURE"]


# --- proof of possession -----------------------------------------------------------------------------------

NONCE = "Vq3x9bT0kZ_fGm2-LpQ8wR5yN1cJ7hD4sE6uA0oI3e"


@pytest.mark.parametrize("kind", ["ed", "ec", "rsa"])
def test_proof_of_possession_round_trip(kind: str, ed_key: tuple[bytes, bytes], request: pytest.FixtureRequest) -> None:
    if kind == "ed":
        private_pem, registered = ed_key[0], ed_key[1].decode()
    else:  # ECDSA and RSA keys are registered with their certificate
        key = request.getfixturevalue(f"{kind}_key")
        private_pem, registered = _pem(key), _certificate(key).decode()
    proof, signed_by = prove_possession(private_pem, PASSPHRASE, NONCE)
    assert signed_by == fingerprint(registered.encode())
    assert possession_proven(registered, NONCE, proof)
    assert possession_proven(registered, NONCE, "\n".join([proof[:30], proof[30:]]))  # wrapped when pasted
    assert not possession_proven(registered, NONCE[:-1] + "f", proof)  # another nonce
    assert not possession_proven(generate_key(None)[1].decode(), NONCE, proof)  # another key


def test_a_proof_is_no_assurance_and_junk_is_no_proof(ed_key: tuple[bytes, bytes], document: dict[str, Any]) -> None:
    public = ed_key[1].decode()
    # An assurance signature over other bytes proves nothing, whatever nonce is claimed.
    assert not possession_proven(public, NONCE, document["signature"])
    for junk in ("", "not base64!", "A" * 5000, base64.b64encode(b"\0" * 64).decode()):
        assert not possession_proven(public, NONCE, junk)
    proof, _ = prove_possession(ed_key[0], PASSPHRASE, NONCE)
    for pem in ("", "-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----", public + public):
        assert not possession_proven(pem, NONCE, proof)
    for nonce in ("", "kort", NONCE + "\n", "x" * 200, "nonce met spaties erin!"):
        assert not possession_proven(public, nonce, proof)
        with pytest.raises(AssuranceError, match="KEY-NONCE"):
            prove_possession(ed_key[0], PASSPHRASE, nonce)
    with pytest.raises(AssuranceError, match="ASSURANCE-PASSPHRASE"):
        prove_possession(ed_key[0], b"fout", NONCE)


@pytest.mark.parametrize("original", [FILING, INLINE], ids=["xbrl", "inline"])
def test_the_filings_own_opinion_must_match(ed_key: tuple[bytes, bytes], original: bytes) -> None:
    filing = _with_opinion(original, "met-beperking")
    assert audit_opinion_of(filing) == "met-beperking"
    document = sign(_statement(filing, "goedkeurend"), ed_key[0], PASSPHRASE)  # the library signs what it is told
    outcome = verify(document, filing, PDF, ed_key[1], audit_opinion_of(filing))
    assert _codes(outcome) == ["ASSURANCE-OPINION"]
    assert "met-beperking" in outcome.problems[0][1]["nl"] and "goedkeurend" in outcome.problems[0][1]["en"]


def test_every_problem_at_once_cheapest_first(ec_key: ec.EllipticCurvePrivateKey) -> None:
    statement = _statement()
    expired = _certificate(ec_key, "2020-01-01", "2020-12-31")
    document = {"type": STATEMENT_TYPE, "statement": {**statement.to_dict(), "year": 2024},
                "algorithm": "ECDSA-SHA256", "public_key": None, "certificate": expired.decode(),
                "signature": base64.b64encode(ec_key.sign(statement.canonical(), ec.ECDSA(hashes.SHA256()))).decode()}
    outcome = verify(document, FILING + b" ", PDF + b" ", generate_key(None)[1], "afkeurend",
                     Signer("iemand@anders.example", "Ander kantoor"))
    assert _codes(outcome) == ["ASSURANCE-FILING", "ASSURANCE-PDF", "ASSURANCE-OPINION", "ASSURANCE-SIGNER",
                               "ASSURANCE-KEY", "ASSURANCE-CERTIFICATE", "ASSURANCE-SIGNATURE"]
    assert not outcome.valid and all(m["nl"] and m["en"] and m["nl"] != m["en"] for _, m in outcome.problems)
    unreadable_trust = verify(document, trusted_key_pem=b"not a key")
    assert "ASSURANCE-KEY" in _codes(unreadable_trust)


# --- hostile documents -------------------------------------------------------------------------------------

def _hostile(document: dict[str, Any]) -> dict[str, Any]:
    """Each a document that must give exactly ASSURANCE-FORMAT."""
    public, signature = document["public_key"], document["signature"]
    statement = document["statement"]
    garbage_pem = "-----BEGIN PUBLIC KEY-----\nbm9uc2Vuc2U=\n-----END PUBLIC KEY-----"
    ec_public = _public_pem(ec.generate_private_key(ec.SECP256R1())).decode()
    x_public = _public_pem(x25519.X25519PrivateKey.generate()).decode()
    small_rsa = _certificate(rsa.generate_private_key(public_exponent=65537, key_size=1024)).decode()
    return {
        "none": None, "list": [document], "string": json.dumps(document), "number": 1, "empty": {},
        "missing field": {k: v for k, v in document.items() if k != "certificate"},
        "extra field": {**document, "comment": "x"},
        "other type": {**document, "type": "edu-assurance/3"},
        "earlier type with a signer": {**document, "type": LEGACY_TYPE},
        "no signer in this type": {**document, "statement": {k: v for k, v in statement.items() if k != "signer"}},
        "signer not an object": {**document, "statement": {**statement, "signer": "m.dewit@dewit.example"}},
        "signer with control characters": {**document, "statement": {**statement, "signer": {
            "accountant": "m.dewit@dewit.example", "firm": "De Wit\u202e"}}},
        "type not a string": {**document, "type": ["edu-assurance/1"]},
        "unknown algorithm": {**document, "algorithm": "MD5"},
        "algorithm of another key": {**document, "algorithm": "ECDSA-SHA256"},
        "algorithm not a string": {**document, "algorithm": {"name": "Ed25519"}},
        "statement a list": {**document, "statement": list(statement.items())},
        "statement with type": {**document, "statement": {**statement, "type": STATEMENT_TYPE}},
        "year a string": {**document, "statement": {**statement, "year": "2025"}},
        "year a float": {**document, "statement": {**statement, "year": 2025.0}},
        "board too short": {**document, "statement": {**statement, "board": "4123"}},
        "sha256 uppercase": {**document, "statement": {**statement, "filing_sha256": "A" * 64}},
        "no such date": {**document, "statement": {**statement, "opinion_date": "2026-13-01"}},
        "both keys": {**document, "certificate": public},
        "neither key": {**document, "public_key": None},
        "key a number": {**document, "public_key": 12345},
        "key not ascii": {**document, "public_key": public.replace("MC", "MĆ", 1)},
        "key with a lone surrogate": {**document, "public_key": public + "\ud800"},
        "pem with garbage": {**document, "public_key": garbage_pem},
        "pem of random bytes": {**document, "public_key": "-----BEGIN PUBLIC KEY-----\n"
                                + base64.b64encode(random.Random(1).randbytes(600)).decode()
                                + "\n-----END PUBLIC KEY-----"},
        "text before the pem": {**document, "public_key": "Vertrouw mij\n" + public},
        "two pem blocks": {**document, "public_key": public + public},
        "huge pem": {**document, "public_key": public.replace("\n-----END", "A" * 10_000_000 + "\n-----END")},
        "certificate of garbage": {**document, "public_key": None,
                                   "certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"},
        "public key as certificate": {**document, "public_key": None, "certificate": public},
        "bare ecdsa key": {**document, "public_key": ec_public, "algorithm": "ECDSA-SHA256"},
        "x25519 key": {**document, "public_key": x_public},
        "rsa 1024 certificate": {**document, "public_key": None, "certificate": small_rsa,
                                 "algorithm": "RSA-PKCS1v15-SHA256"},
        "huge base64": {**document, "signature": "A" * 20_000_000},
        "bad base64": {**document, "signature": "not base64!"},
        "base64 with a newline": {**document, "signature": signature[:20] + "\n" + signature[20:]},
        "empty signature": {**document, "signature": ""},
        "signature a list": {**document, "signature": [signature]},
    }


def test_hostile_documents_give_assurance_format_never_a_traceback(document: dict[str, Any]) -> None:
    for name, hostile in _hostile(document).items():
        outcome = verify(hostile, FILING, PDF)
        assert _codes(outcome) == ["ASSURANCE-FORMAT"], name
        assert not outcome.valid and outcome.statement is None and outcome.fingerprint is None, name
        assert outcome.problems[0][1]["nl"].startswith("Het verklaringsbestand is onjuist"), name


@pytest.mark.parametrize("text", [b"", b"not json", b"\xff\xfe{", b'{"type": "edu-assurance/1", "type": "x"}',
                                  b"[" * 100_000 + b"]" * 100_000, b'"' + b"a" * (1024 * 1024) + b'"'],
                         ids=["empty", "not json", "not utf-8", "duplicate key", "deep", "over 1 MB"])
def test_assurance_files_that_are_not_json(text: bytes) -> None:
    with pytest.raises(AssuranceError) as caught:
        parse_document(text)
    assert caught.value.code == "ASSURANCE-FORMAT"


def test_mutated_documents_never_raise_and_never_verify_another_statement(document: dict[str, Any]) -> None:
    """Random single-character changes to the stored JSON: whatever still verifies says the same thing."""
    text = json.dumps(document, indent=2)
    rng = random.Random(2025)
    verified = 0
    for _ in range(400):
        at = rng.randrange(len(text))
        mutated = text[:at] + rng.choice('0123456789abcdefAZ+/="{}[],: \\\n') + text[at + 1:]
        try:
            parsed = parse_document(mutated.encode())
        except AssuranceError as exc:
            assert exc.code == "ASSURANCE-FORMAT"
            continue
        outcome = verify(parsed, FILING, PDF)
        if outcome.valid:
            verified += 1
            assert outcome.statement == _statement()
    assert verified < 400


# --- the filing's own opinion ------------------------------------------------------------------------------

def test_audit_opinion_of_the_samples() -> None:
    assert audit_opinion_of(FILING) == "goedkeurend"
    assert audit_opinion_of(INLINE) == "goedkeurend"
    for opinion in OPINIONS:
        assert audit_opinion_of(_with_opinion(FILING, opinion)) == opinion
        assert audit_opinion_of(_with_opinion(INLINE, opinion)) == opinion


def test_audit_opinion_of_inline_resolves_the_prefix() -> None:
    namespace = b'"https://xbrl.onderwijs.example/2025/edu"'
    other_prefix = INLINE.replace(b"xmlns:edu=", b"xmlns:o=" + namespace + b" xmlns:edu=", 1).replace(
        b'name="edu:AuditOpinionType"', b'name="o:AuditOpinionType"')
    assert audit_opinion_of(other_prefix) == "goedkeurend"
    foreign = INLINE.replace(b"xmlns:edu=", b'xmlns:o="https://example.org/not-the-taxonomy" xmlns:edu=', 1).replace(
        b'name="edu:AuditOpinionType"', b'name="o:AuditOpinionType"')
    assert audit_opinion_of(foreign) is None
    excluded = INLINE.replace(b">goedkeurend</ix:nonNumeric>",
                              b">goed<ix:exclude>(zie toelichting)</ix:exclude>keurend</ix:nonNumeric>")
    assert audit_opinion_of(excluded) == "goedkeurend"


def test_audit_opinion_of_refuses_what_it_cannot_read_safely() -> None:
    declaration = b"<?xml version='1.0' encoding='UTF-8'?>\n"
    assert FILING.startswith(declaration)
    doctype = declaration + b"<!DOCTYPE xbrl [<!ENTITY o 'afkeurend'>]>\n" + FILING[len(declaration):]
    assert audit_opinion_of(doctype) is None
    xxe = declaration + b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' + FILING[len(declaration):]
    assert audit_opinion_of(xxe.replace(b">goedkeurend<", b">&e;<")) is None
    without = FILING.replace(b"edu:AuditOpinionType", b"edu:AuditorName")
    assert audit_opinion_of(without) is None
    for junk in (b"", PDF, FILING[: len(FILING) // 2], b"\x00\x01garbage", b"<html/>"):
        assert audit_opinion_of(junk) is None


def test_audit_opinion_of_a_report_package() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("jaarverslag/META-INF/reportPackage.json", '{"documentInfo": {}}')
        zf.writestr("jaarverslag/reports/po-small.xbrl", _with_opinion(FILING, "oordeelonthouding"))
    assert audit_opinion_of(buffer.getvalue()) == "oordeelonthouding"


def test_audit_opinion_of_takes_the_latest_period() -> None:
    """A prior-year opinion in another context does not count; two opinions for one period are ambiguous."""
    fact = b'<edu:AuditOpinionType contextRef="D2025" xml:lang="nl">goedkeurend</edu:AuditOpinionType>'
    assert fact in FILING
    prior_context = (b'<xbrli:context id="D2024"><xbrli:entity><xbrli:identifier scheme="https://xbrl.onderwijs.'
                     b'example/id/bevoegd-gezag">41234</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:'
                     b'startDate>2024-01-01</xbrli:startDate><xbrli:endDate>2024-12-31</xbrli:endDate></xbrli:'
                     b'period></xbrli:context>')
    prior = fact.replace(b"D2025", b"D2024").replace(b"goedkeurend", b"afkeurend")
    both_years = FILING.replace(fact, prior_context + prior + fact)
    assert audit_opinion_of(both_years) == "goedkeurend"
    twice = FILING.replace(fact, fact + fact.replace(b"goedkeurend", b"afkeurend"))
    assert audit_opinion_of(twice) is None
