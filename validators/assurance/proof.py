"""Proof of possession: the holder of a signing key shows it holds the private half.

Before the portal registers a public key or certificate made outside it, the
accountant signs a fresh, single-use nonce the portal handed out, with the
matching private key (`python -m validators prove-key`). What is signed is its
own canonical JSON, never an assurance statement:

    {"fingerprint":"SHA256:...","nonce":"...","type":"edu-key-proof/1"}

so a proof can never be taken for an assurance, nor an assurance for a proof,
and a proof for one key or one nonce is worth nothing for another.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from ..codes import KEY_NONCE
from ..i18n import both
from .keys import key_fingerprint, load_document_key, load_private_key, sign_bytes, signature_holds
from .statement import AssuranceError

PROOF_TYPE = "edu-key-proof/1"
# The portal's nonces are URL-safe base64 (secrets.token_urlsafe); anything else is a typing or pasting mistake.
NONCE = re.compile(r"[A-Za-z0-9_-]{16,128}")
MAX_PROOF_CHARS = 2048  # a signature is at most 1,024 bytes (RSA 8192)


def proof_message(nonce: str, key_fingerprint_text: str) -> bytes:
    """The exact bytes the key's holder signs: the nonce and the key's fingerprint, as canonical JSON."""
    return json.dumps({"fingerprint": key_fingerprint_text, "nonce": nonce, "type": PROOF_TYPE}, sort_keys=True,
                      separators=(",", ":")).encode("ascii")


def _check_nonce(nonce: str) -> None:
    if not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
        raise AssuranceError(KEY_NONCE, both("The code (nonce) is not the portal's: copy it exactly."))


def prove_possession(private_key_pem: bytes, passphrase: bytes | None, nonce: str) -> tuple[str, str]:
    """(the proof as base64 text, the key's fingerprint): the private key's signature over the nonce.

    AssuranceError KEY-NONCE for a malformed nonce, ASSURANCE-PASSPHRASE or
    ASSURANCE-KEY when the key cannot be used (as for signing assurance).
    """
    _check_nonce(nonce)
    key = load_private_key(private_key_pem, passphrase)
    signed_by = key_fingerprint(key.public_key())
    signature = sign_bytes(key, proof_message(nonce, signed_by))
    return base64.b64encode(signature).decode("ascii"), signed_by


def possession_proven(public_pem: str, nonce: str, proof: str) -> bool:
    """True when `proof` is the signature, by the private half of the public key or certificate
    `public_pem`, over `nonce` and that key's fingerprint. Never raises for junk: junk is no proof.
    """
    if not isinstance(proof, str) or not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
        return False
    proof = "".join(proof.split())  # a pasted proof may have been wrapped
    if not 0 < len(proof) <= MAX_PROOF_CHARS:
        return False
    try:
        signature = base64.b64decode(proof, validate=True)
        text = (public_pem or "").strip()
        _certificate, key = load_document_key(text, "certificate" if "BEGIN CERTIFICATE" in text else "public_key")
    except (binascii.Error, ValueError, AssuranceError):
        return False
    return signature_holds(key, signature, proof_message(nonce, key_fingerprint(key)))
