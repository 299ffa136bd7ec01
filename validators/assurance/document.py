"""The signed assurance document: an accountant's signature over exactly the figures audited.

The accountant signs a canonical *statement*: the filing's sha256, the auditor's
report PDF's sha256 (controleverklaring), the board, the reporting year, the
opinion and its date, and the signer (the accountant's e-mail address and firm).
The signed *assurance document* is a plain JSON dict:

    {"type": "edu-assurance/2", "statement": {...}, "algorithm": "Ed25519",
     "public_key": "-----BEGIN PUBLIC KEY-----...", "certificate": null, "signature": "<base64>"}

Documents of the earlier type `edu-assurance/1` (no signer in the statement)
still verify; they are never made any more.

Anyone holding the filing and the accountant's public key (or its fingerprint)
verifies it offline with `verify`. A bare key must be Ed25519; with an X.509
certificate ECDSA (P-256/P-384, SHA-256, DER signature) and RSA (PKCS#1 v1.5,
SHA-256) keys are allowed too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from ..codes import (ASSURANCE_FILING, ASSURANCE_FORMAT, ASSURANCE_KEY, ASSURANCE_OPINION, ASSURANCE_PDF,
                     ASSURANCE_SIGNATURE, ASSURANCE_SIGNER)
from ..i18n import Message, both
from .keys import (ALGORITHMS, PublicKey, algorithm_of, certificate_problem, fingerprint, key_fingerprint,
                   load_document_key, load_private_key, load_signing_certificate, sign_bytes, signature_holds,
                   signer_of)
from .statement import LEGACY_TYPE, STATEMENT_TYPES, AssuranceError, Signer, Statement, printable

DOCUMENT_KEYS = frozenset({"type", "statement", "algorithm", "public_key", "certificate", "signature"})
# A signature is at most 1,024 bytes (RSA 8192) and a certificate a few kB: anything much bigger is hostile,
# and is refused before any decoding or parsing.
MAX_SIGNATURE_CHARS = 2048
MAX_PEM_CHARS = 32 * 1024
MAX_DOCUMENT_BYTES = 1024 * 1024

Problem = tuple[str, dict[str, str]]


@dataclass(frozen=True)
class Verification:
    """The outcome of `verify`: valid only when there are no problems."""

    valid: bool
    problems: list[tuple[str, dict[str, str]]]
    statement: Statement | None
    fingerprint: str | None
    signer: Signer | None  # as the signed statement names them (None in an edu-assurance/1 document)
    certificate_subject: str | None  # a certificate's subject common name: its claim, checked by no one here


def _problem(code: str, message: Message) -> Problem:
    return code, message


def parse_document(data: bytes | str) -> Any:
    """Read an assurance document's JSON text; AssuranceError ASSURANCE-FORMAT when it is not JSON.

    Duplicate keys are refused: another reader could take the other value, and
    then a person and the verifier would not be looking at the same statement.
    The result is not checked further: `verify` does that.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise AssuranceError(ASSURANCE_FORMAT, both("The assurance file is too large (over 1 MB)."))

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate key")
        return dict(pairs)

    try:
        return json.loads(data, object_pairs_hook=no_duplicates)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise AssuranceError(ASSURANCE_FORMAT, both("The assurance file is not valid JSON.")) from exc


def sign(statement: Statement, private_key_pem: bytes, passphrase: bytes | None,
         certificate_pem: bytes | None = None) -> dict[str, Any]:
    """Sign the statement: the assurance document, already verified. AssuranceError when refused.

    The statement must name its signer (ASSURANCE-SIGNER otherwise): documents
    of the type without one are no longer made. ASSURANCE-PASSPHRASE for a
    wrong or missing passphrase, ASSURANCE-KEY for a key that cannot sign here
    (not Ed25519 without a certificate, or not the certificate's key),
    ASSURANCE-CERTIFICATE for a certificate that cannot be read or is not valid
    on the opinion date.
    """
    if not isinstance(statement, Statement):
        raise TypeError("statement must be a Statement")
    if statement.signer is None:
        raise AssuranceError(ASSURANCE_SIGNER, both("Name the signer: the accountant's e-mail address and the firm."))
    key = load_private_key(private_key_pem, passphrase)
    certificate_text: str | None = None
    if certificate_pem is None:
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise AssuranceError(ASSURANCE_KEY, both("Without a certificate only an Ed25519 key can sign."))
    else:
        certificate = load_signing_certificate(certificate_pem)
        if key_fingerprint(certificate.public_key()) != key_fingerprint(key.public_key()):
            raise AssuranceError(ASSURANCE_KEY, both("The private key does not belong to the certificate."))
        # Only the certificate itself goes into the document, re-encoded from its DER: no chain, no comments.
        certificate_text = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    algorithm = algorithm_of(key.public_key())
    assert algorithm is not None  # load_private_key admits only keys that may sign
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    signature = sign_bytes(key, statement.canonical())
    document = {"type": statement.type, "statement": statement.to_dict(), "algorithm": algorithm,
                "public_key": None if certificate_text else public_pem.decode("ascii"),
                "certificate": certificate_text, "signature": base64.b64encode(signature).decode("ascii")}
    # Refuse to hand out what would not verify (an expired certificate, a certificate not for signing).
    outcome = verify(document)
    if not outcome.valid:
        code, message = outcome.problems[0]
        raise AssuranceError(code, message)
    return document


def verify(document: Any, filing: bytes | None = None, auditor_report: bytes | None = None,
           trusted_key_pem: bytes | None = None, filing_opinion: str | None = None,
           signer: Signer | None = None) -> Verification:
    """Verify an assurance document, cheapest check first; never raises for a hostile document.

    The files, the filing's own opinion, the expected signer and a trusted key
    are each checked only when given (an edu-assurance/1 document names no
    signer, so it fails an expected one). Without a trusted key a valid result
    proves only that the holder of the key with `fingerprint` signed the
    statement, naming the signer it names.
    """
    try:
        statement, certificate, public_key, signature = _shape(document)
    except AssuranceError as exc:
        return Verification(False, [(exc.code, exc.message)], None, None, None, None)
    signed_by = key_fingerprint(public_key)
    problems: list[Problem] = []
    filing_sha256 = None if filing is None else hashlib.sha256(filing).hexdigest()
    if filing_sha256 is not None and filing_sha256 != statement.filing_sha256:
        problems.append(_problem(ASSURANCE_FILING, both(
            "The XBRL file is not the file the accountant's assurance covers: its sha256 differs (%(found)s... "
            "instead of %(signed)s...).", found=filing_sha256[:16], signed=statement.filing_sha256[:16])))
    if auditor_report is not None and hashlib.sha256(auditor_report).hexdigest() != statement.auditor_report_sha256:
        problems.append(_problem(ASSURANCE_PDF,
                                 both("The auditor's report (PDF) is not the one signed: its sha256 differs.")))
    if filing_opinion is not None and filing_opinion != statement.opinion:
        reported = printable(filing_opinion, 40)  # the filing's text, quoted
        problems.append(_problem(ASSURANCE_OPINION, both(
            "The XBRL file reports the opinion type '%(reported)s', the signed assurance '%(signed)s'.",
            reported=reported, signed=statement.opinion)))
    if signer is not None:
        problems.extend(_signer_problems(statement.signer, signer))
    if trusted_key_pem is not None:
        problems.extend(_trust_problems(trusted_key_pem, signed_by))
    if certificate is not None:
        problem = certificate_problem(certificate, statement.opinion_date)
        if problem:
            problems.append(problem)
    if not signature_holds(public_key, signature, statement.canonical()):
        problems.append(_problem(ASSURANCE_SIGNATURE, both(
            "The signature does not verify: the statement was changed after signing or signed with another key.")))
    subject = signer_of(certificate) if certificate is not None else None
    return Verification(not problems, problems, statement, signed_by, statement.signer, subject)


def _signer_problems(named: Signer | None, expected: Signer) -> list[Problem]:
    if named is None:
        return [_problem(ASSURANCE_SIGNER, both("The assurance (%(type)s) names no signer; expected %(expected)s. "
                                                "Sign again with the current version.", type=LEGACY_TYPE,
                                                expected=expected))]
    if named.same_as(expected):
        return []
    return [_problem(ASSURANCE_SIGNER, both("The assurance was signed by %(named)s, not by %(expected)s.",
                                            named=printable(str(named)), expected=expected))]


def _trust_problems(trusted_key_pem: bytes, signed_by: str) -> list[Problem]:
    try:
        trusted = fingerprint(trusted_key_pem)
    except AssuranceError:
        return [_problem(ASSURANCE_KEY, both("The trusted key cannot be read."))]
    if trusted == signed_by:
        return []
    return [_problem(ASSURANCE_KEY, both("Signed with key %(signed_by)s, not with the trusted key %(trusted)s.",
                                         signed_by=signed_by, trusted=trusted))]


def _malformed(reason: Message) -> AssuranceError:
    """ASSURANCE-FORMAT, saying what is wrong; the reason may be whole sentences of another refusal."""
    lowered = {lang: text[:1].lower() + text[1:] for lang, text in reason.items()}
    return AssuranceError(ASSURANCE_FORMAT, both("The assurance document is malformed: %(reason)s", reason=lowered))


def _shape(document: Any) -> tuple[Statement, x509.Certificate | None, PublicKey, bytes]:
    """ASSURANCE-FORMAT: the document's structure, checked before any cryptography; its parsed parts."""
    if not isinstance(document, dict):
        raise _malformed(both("it is not a JSON object."))
    if set(document) != DOCUMENT_KEYS:
        raise _malformed(both("its fields must be exactly %(fields)s.", fields=", ".join(sorted(DOCUMENT_KEYS))))
    if not isinstance(document["type"], str) or document["type"] not in STATEMENT_TYPES:
        raise _malformed(both("unknown type (known: %(known)s).", known=", ".join(STATEMENT_TYPES)))
    if not isinstance(document["algorithm"], str) or document["algorithm"] not in ALGORITHMS:
        raise _malformed(both("unknown algorithm (known: %(known)s).", known=", ".join(ALGORITHMS)))
    try:
        statement = Statement.from_dict(document["statement"], document["type"])
    except AssuranceError as exc:
        raise _malformed(exc.message) from exc
    if (document["public_key"] is None) == (document["certificate"] is None):
        raise _malformed(both("exactly one of public_key and certificate must be given."))
    field = "public_key" if document["certificate"] is None else "certificate"
    pem = document[field]
    if not isinstance(pem, str) or len(pem) > MAX_PEM_CHARS or not pem.isascii():
        raise _malformed(both("the key or certificate is not PEM text."))
    signature_text = document["signature"]
    if not isinstance(signature_text, str) or not 0 < len(signature_text) <= MAX_SIGNATURE_CHARS:
        raise _malformed(both("the signature is missing or too long."))
    try:
        signature = base64.b64decode(signature_text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _malformed(both("the signature is not valid base64.")) from exc
    try:
        certificate, key = load_document_key(pem, field)
    except AssuranceError as exc:
        raise _malformed(exc.message) from exc
    if algorithm_of(key) != document["algorithm"]:
        raise _malformed(both("the algorithm does not fit the key."))
    if certificate is None and not isinstance(key, ed25519.Ed25519PublicKey):
        raise _malformed(both("a key without a certificate must be Ed25519."))
    return statement, certificate, key, signature
