"""Keys and certificates for digital assurance: generating, reading, fingerprinting.

Which keys may sign is decided here, once, for signing and verifying alike:
Ed25519; ECDSA on P-256 or P-384; RSA of 2048 to 8192 bits.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from ..codes import ASSURANCE_CERTIFICATE, ASSURANCE_FORMAT, ASSURANCE_KEY, ASSURANCE_PASSPHRASE
from ..i18n import both
from .statement import AssuranceError, printable

ALGORITHMS = ("Ed25519", "ECDSA-SHA256", "RSA-PKCS1v15-SHA256")
CURVES = ("secp256r1", "secp384r1")  # P-256 and P-384
RSA_BITS = (2048, 8192)

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

_ENCRYPTED_PEM = re.compile(rb"-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED")
_PEM_LABELS = {"public_key": "PUBLIC KEY", "certificate": "CERTIFICATE"}  # document field -> PEM label
# Errors cryptography raises for bytes that are not what they claim to be.
_UNREADABLE = (ValueError, TypeError, UnsupportedAlgorithm)


def generate_key(passphrase: bytes | None) -> tuple[bytes, bytes]:
    """A new Ed25519 key: (PKCS#8 PEM private key, encrypted with the passphrase; SubjectPublicKeyInfo PEM).

    Unencrypted only when passphrase is None, which the command line never allows.
    """
    if passphrase is not None and not passphrase:
        raise AssuranceError(ASSURANCE_PASSPHRASE, both("The passphrase must not be empty."))
    key = ed25519.Ed25519PrivateKey.generate()
    protection: serialization.KeySerializationEncryption = (
        serialization.NoEncryption() if passphrase is None else serialization.BestAvailableEncryption(passphrase))
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return private_pem, public_pem


def fingerprint(public_key_pem_or_certificate_pem: bytes) -> str:
    """"SHA256:" + hex SHA-256 of the DER SubjectPublicKeyInfo (a certificate's: of its public key).

    A key and a certificate for it have the same fingerprint, so people can
    compare keys by this short string. AssuranceError ASSURANCE-FORMAT when the
    PEM cannot be read.
    """
    data = public_key_pem_or_certificate_pem
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return key_fingerprint(x509.load_pem_x509_certificate(data).public_key())
        return key_fingerprint(serialization.load_pem_public_key(data))
    except _UNREADABLE as exc:
        raise AssuranceError(ASSURANCE_FORMAT, both("This is not a readable public key or certificate (PEM).")) from exc


def key_fingerprint(key: object) -> str:
    """The fingerprint of a loaded public key (see `fingerprint`)."""
    der = key.public_bytes(serialization.Encoding.DER,  # type: ignore[attr-defined]
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return "SHA256:" + hashlib.sha256(der).hexdigest()


def load_signing_certificate(certificate_pem: bytes) -> x509.Certificate:
    """The signer's own certificate file: its first certificate (a chain or openssl's "Bag Attributes"
    text may come with it). ASSURANCE-CERTIFICATE when it cannot be read or its key cannot sign."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
        usable = algorithm_of(certificate.public_key()) is not None
    except _UNREADABLE as exc:
        raise AssuranceError(ASSURANCE_CERTIFICATE,
                             both("The certificate is not a readable X.509 certificate (PEM).")) from exc
    if not usable:
        raise AssuranceError(ASSURANCE_CERTIFICATE, both("This certificate's key cannot sign assurance."))
    return certificate


def algorithm_of(key: object) -> str | None:
    """The document's algorithm name for a public key that may sign assurance, else None."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in CURVES:
        return "ECDSA-SHA256"
    if isinstance(key, rsa.RSAPublicKey) and RSA_BITS[0] <= key.key_size <= RSA_BITS[1]:
        return "RSA-PKCS1v15-SHA256"
    return None


def sign_bytes(key: PrivateKey, data: bytes) -> bytes:
    """The signature of `data` by a key that may sign, in the algorithm `algorithm_of` names for it."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def signature_holds(public_key: PublicKey, signature: bytes, data: bytes) -> bool:
    """True when `signature` is the key's over `data` (in the key's algorithm); never raises for junk."""
    try:
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, data)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):  # a malformed signature is simply not a valid one
        return False
    return True


def load_private_key(pem: bytes, passphrase: bytes | None) -> PrivateKey:
    """The signing key from its PEM: ASSURANCE-PASSPHRASE or ASSURANCE-KEY when it cannot be used."""
    if not isinstance(pem, bytes):
        raise TypeError("private_key_pem must be bytes")
    try:
        key = serialization.load_pem_private_key(pem, passphrase)
    except TypeError as exc:
        # cryptography says TypeError for a passphrase missing for an encrypted key, or given for a plain one.
        if passphrase is None:
            raise AssuranceError(ASSURANCE_PASSPHRASE,
                                 both("The key is protected by a passphrase; give the passphrase.")) from exc
        raise AssuranceError(ASSURANCE_PASSPHRASE, both("This key is not protected by a passphrase; use an encrypted "
                                                        "key (python -m validators keygen).")) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        if passphrase is not None and _ENCRYPTED_PEM.search(pem):
            raise AssuranceError(ASSURANCE_PASSPHRASE, both("The key's passphrase is wrong.")) from exc
        raise AssuranceError(ASSURANCE_KEY, both("The key file is not a readable private key (PEM).")) from exc
    if algorithm_of(key.public_key()) is None:
        raise AssuranceError(ASSURANCE_KEY, both("This kind of key cannot sign assurance (allowed: Ed25519, ECDSA "
                                                 "P-256/P-384, RSA 2048-8192 bits)."))
    return key  # type: ignore[return-value]


def load_document_key(text: str, field: str) -> tuple[x509.Certificate | None, PublicKey]:
    """The certificate (or None) and public key of a document's field "public_key" or "certificate".

    Strict: exactly one PEM block of the expected kind and nothing around it,
    so no text can hide in the document. AssuranceError ASSURANCE-FORMAT otherwise.
    """
    label = _PEM_LABELS[field]
    body = text.strip()
    if (not body.startswith(f"-----BEGIN {label}-----") or not body.endswith(f"-----END {label}-----")
            or body.count("-----BEGIN") != 1):
        raise AssuranceError(ASSURANCE_FORMAT, both("The field %(field)s is not exactly one '%(label)s' PEM block.",
                                                    field=field, label=label))
    try:
        if field == "certificate":
            certificate = x509.load_pem_x509_certificate(body.encode("ascii"))
            key = certificate.public_key()
        else:
            certificate, key = None, serialization.load_pem_public_key(body.encode("ascii"))
    except (*_UNREADABLE, UnicodeError) as exc:
        raise AssuranceError(ASSURANCE_FORMAT, both("The PEM block in %(field)s cannot be read.", field=field)) from exc
    if algorithm_of(key) is None:
        raise AssuranceError(ASSURANCE_FORMAT, both("This kind of key is not supported."))
    return certificate, key  # type: ignore[return-value]


def certificate_problem(certificate: x509.Certificate, opinion_date: str) -> tuple[str, dict[str, str]] | None:
    """ASSURANCE-CERTIFICATE when the certificate was not valid on the opinion date or is not for signing.

    Valid on a date means: that day (UTC) falls between the certificate's first
    and last day of validity, both included. Only the certificate itself is
    checked: no chain, no revocation (this runs offline).
    """
    day = datetime.date.fromisoformat(opinion_date)
    try:
        first, last = certificate.not_valid_before_utc.date(), certificate.not_valid_after_utc.date()
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    except ValueError:  # an extension that cannot be parsed
        return ASSURANCE_CERTIFICATE, both("The certificate has unreadable extensions.")
    if not first <= day <= last:
        return ASSURANCE_CERTIFICATE, both("The certificate was not valid on the opinion date (%(date)s); valid from "
                                           "%(first)s to %(last)s.", date=opinion_date, first=first, last=last)
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        return ASSURANCE_CERTIFICATE, both("The certificate is not meant for signing (key usage).")
    return None


def signer_of(certificate: x509.Certificate) -> str | None:
    """The certificate's subject common name, made safe to print (it is the certificate's claim, unverified)."""
    try:
        names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        value = names[0].value if names else None
    except ValueError:
        return None
    if not isinstance(value, str):
        return None
    return printable(value) or None
