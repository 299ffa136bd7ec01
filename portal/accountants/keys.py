"""Accountants' signing keys: made here, or registered with proof that the accountant holds them.

A public key or certificate made outside the portal is registered only with a
signature, by its private half, over a nonce the portal handed this accountant
(random, single use, valid for KEY_PROOF_MINUTES): `python -m validators
prove-key`. A key's fingerprint belongs to one accountant: no one can register
it again. So the portal account and firm that registered a key are the verified
identity behind it; a certificate's names are only what the certificate claims.
Services add and flush, never commit.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from validators import assurance

from ..users.models import User
from ..db import utcnow
from ..access import check_access
from ..audit.services import record
from ..errors import ServiceError, confirmation_required, not_found
from .models import CERTIFICATE, PORTAL_KEY, PUBLIC_KEY, AccountantKey, KeyChallenge


def keys_of(db: Session, user: User) -> list[AccountantKey]:
    """The accountant's signing keys, newest first."""
    return list(db.scalars(select(AccountantKey).where(AccountantKey.user_id == user.id)
                           .order_by(AccountantKey.created_at.desc(), AccountantKey.id.desc())))


def challenge_for(db: Session, user: User, minutes: int) -> KeyChallenge:
    """The nonce the key page shows: the accountant's unused one while it has at least half its
    time left, else a new one (the accountant's expired ones are deleted then)."""
    check_access("accountant.sign", db, user)
    now = utcnow()
    current = db.scalar(select(KeyChallenge).where(KeyChallenge.user_id == user.id, KeyChallenge.used_at.is_(None),
                                                   KeyChallenge.expires_at > now + timedelta(minutes=minutes / 2))
                        .order_by(KeyChallenge.expires_at.desc()).limit(1))
    if current is not None:
        return current
    db.execute(delete(KeyChallenge).where(KeyChallenge.user_id == user.id, KeyChallenge.expires_at <= now))
    challenge = KeyChallenge(user_id=user.id, nonce=secrets.token_urlsafe(32), created_at=now,
                             expires_at=now + timedelta(minutes=minutes))
    db.add(challenge)
    db.flush()
    return challenge


def create_portal_key(db: Session, user: User, passphrase: str, repeated: str,
                      address: str | None = None) -> AccountantKey:
    """A new Ed25519 key made here; its private half is kept only encrypted with the passphrase
    (typed twice). The portal made it for this accountant, so no proof of possession is asked."""
    check_access("accountant.sign", db, user)
    if passphrase != repeated:
        raise ServiceError("KEY-PASSPHRASE", "The passphrases differ.")
    if len(passphrase) < 12:
        raise ServiceError("KEY-PASSPHRASE", "Choose a passphrase of at least 12 characters.")
    private_pem, public_pem = assurance.generate_key(passphrase.encode("utf-8"))
    key = AccountantKey(user_id=user.id, kind=PORTAL_KEY, public_pem=public_pem.decode("ascii"),
                        encrypted_private_pem=private_pem.decode("ascii"),
                        fingerprint=assurance.fingerprint(public_pem))
    db.add(key)
    db.flush()
    record(db, "key.added", key, user, address, kind=key.kind, fingerprint=key.fingerprint, proof="made in the portal")
    return key


def _registered() -> ServiceError:
    return ServiceError("KEY-REGISTERED", "This key is already registered in the portal. A key belongs to one "
                        "accountant; make a key of your own.", 409)


def register_key(db: Session, user: User, pem: str, nonce: str, proof: str,
                 address: str | None = None) -> AccountantKey:
    """A public key (from `python -m validators keygen`) or an X.509 certificate made outside,
    with the proof that the accountant holds its private half: the signature over `nonce`
    made by `python -m validators prove-key`. Refused: KEY-FORMAT, KEY-NONCE (unknown,
    another's, expired or used), KEY-PROOF (no valid signature), KEY-REGISTERED (the key is
    anyone's already)."""
    check_access("accountant.sign", db, user)
    text = (pem or "").strip()
    field = "certificate" if "BEGIN CERTIFICATE" in text else "public_key"
    try:
        certificate, public_key = assurance.load_document_key(text, field)
        fingerprint = assurance.fingerprint(text.encode("ascii"))
    except (assurance.AssuranceError, UnicodeError) as exc:
        raise ServiceError("KEY-FORMAT", "Paste one PEM block: a public key or an X.509 certificate.") from exc
    if certificate is None and assurance.algorithm_of(public_key) != "Ed25519":
        raise ServiceError("KEY-FORMAT", "A bare public key must be Ed25519; register an ECDSA or RSA key with its "
                           "certificate.")
    now = utcnow()
    challenge = db.scalar(select(KeyChallenge).where(KeyChallenge.nonce == (nonce or "").strip(),
                                                     KeyChallenge.user_id == user.id))
    if challenge is None or challenge.used_at is not None or challenge.expires_at <= now:
        raise ServiceError("KEY-NONCE", "This code has expired or was used: make the proof again with the code the "
                           "page shows now.", 409)
    if not assurance.possession_proven(text, challenge.nonce, proof or ""):
        raise ServiceError("KEY-PROOF", "The proof does not verify: sign this page's code with this key's private key "
                           "(python -m validators prove-key).")
    if db.scalar(select(AccountantKey.id).where(AccountantKey.fingerprint == fingerprint)) is not None:
        raise _registered()
    # Used once: only the request that marks it used goes on (another at the same moment finds it used).
    marked = db.execute(update(KeyChallenge).where(KeyChallenge.id == challenge.id, KeyChallenge.used_at.is_(None))
                        .values(used_at=now).execution_options(synchronize_session=False))
    if marked.rowcount != 1:
        raise ServiceError("KEY-NONCE", "This code was used already.", 409)
    key = AccountantKey(user_id=user.id, kind=CERTIFICATE if certificate is not None else PUBLIC_KEY,
                        public_pem=text, fingerprint=fingerprint,
                        subject=assurance.signer_of(certificate) if certificate is not None else None)
    try:
        with db.begin_nested():  # the same key registered by another at the same moment
            db.add(key)
    except IntegrityError as exc:
        raise _registered() from exc
    record(db, "key.added", key, user, address, kind=key.kind, fingerprint=key.fingerprint, proof="signed nonce")
    return key


def revoke_key(db: Session, user: User, key_id: int, address: str | None = None,
               confirmed: bool = False) -> AccountantKey:
    """The accountant stops using a key, having confirmed it; assurances made with it stay as they
    were. The key stays the accountant's: no one else can register it."""
    key = db.get(AccountantKey, key_id)
    if key is None or key.user_id != user.id:
        raise not_found()
    if not confirmed:
        raise confirmation_required()
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.flush()
    record(db, "key.revoked", key, user, address, fingerprint=key.fingerprint)
    return key
