"""Authorisations of audit firms, accountants' keys, PDFs with a version, and assurance.

Permission checks live here (the pages and the API share them); anything a user
may not see is NOT-FOUND. Services add and flush, never commit.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from validators import assurance

from ..accounts.models import Firm, Role, User
from ..attachments import clean_file_name
from ..db import utcnow
from ..errors import ServiceError
from ..filings.models import AUDITOR_REPORT, Filing, FilingDocument
from ..filings.services import board_for, get_filing
from ..filings.storage import FileStore
from ..filings.submission import receipt_for
from .models import CERTIFICATE, PORTAL_KEY, PUBLIC_KEY, AccountantKey, Assurance, Authorisation

ASSURABLE = ("valid", "valid-with-warnings")


def _not_found() -> ServiceError:
    return ServiceError("NOT-FOUND", "Niet gevonden.", "Not found.", 404)


def firms(db: Session) -> list[Firm]:
    """Every registered audit firm, by name."""
    return list(db.scalars(select(Firm).order_by(Firm.name)))


def authorisations_of(db: Session, user: User, number: str, year: int) -> list[Authorisation]:
    """A board's authorisations for the year (active and withdrawn), for its members."""
    board = board_for(db, user, number)
    return list(db.scalars(select(Authorisation).where(Authorisation.board_id == board.id, Authorisation.year == year)
                           .order_by(Authorisation.granted_at.desc())))


def authorise(db: Session, user: User, number: str, year: int, firm_id: int) -> Authorisation:
    """A board member lets a firm's accountants see the board's filings of `year`."""
    board = board_for(db, user, number)  # without a year: members only, an accountant cannot authorise itself
    firm = db.get(Firm, firm_id)
    if firm is None:
        raise ServiceError("AUTH-FIRM", "Kies een geregistreerd accountantskantoor.", "Choose a registered audit firm.")
    active = db.scalar(select(Authorisation).where(Authorisation.board_id == board.id, Authorisation.firm_id == firm.id,
                                                   Authorisation.year == year, Authorisation.withdrawn_at.is_(None)))
    if active is not None:
        raise ServiceError("AUTH-EXISTS", f"{firm.name} is al gemachtigd voor {year}.",
                           f"{firm.name} is already authorised for {year}.", 409)
    authorisation = Authorisation(board_id=board.id, firm_id=firm.id, year=year, granted_by_id=user.id)
    db.add(authorisation)
    db.flush()
    return authorisation


def withdraw(db: Session, user: User, authorisation_id: int) -> Authorisation:
    """A board member ends an authorisation; the firm's access ends at once."""
    authorisation = db.get(Authorisation, authorisation_id)
    if authorisation is None or user.role is not Role.BOARD or authorisation.board not in user.boards:
        raise _not_found()
    if authorisation.withdrawn_at is None:
        authorisation.withdrawn_at, authorisation.withdrawn_by_id = utcnow(), user.id
        db.flush()
    return authorisation


def clients(db: Session, user: User) -> list[Authorisation]:
    """The boards and years the accountant's firm is authorised for, now."""
    if user.role is not Role.ACCOUNTANT or user.firm_id is None:
        return []
    return list(db.scalars(select(Authorisation).where(Authorisation.firm_id == user.firm_id,
                                                       Authorisation.withdrawn_at.is_(None))
                           .order_by(Authorisation.year.desc(), Authorisation.board_id)))


def check_pdf(data: bytes, limit_mb: int) -> None:
    """A PDF as people send it: not empty, a PDF by its content, within the size limit."""
    if not data:
        raise ServiceError("DOC-EMPTY", "Het PDF-bestand is leeg.", "The PDF file is empty.")
    if len(data) > limit_mb * 1024 * 1024:
        raise ServiceError("DOC-SIZE", f"Een PDF mag hoogstens {limit_mb} MB zijn.",
                           f"A PDF may be {limit_mb} MB at most.", 413)
    if not data.lstrip()[:5] == b"%PDF-" or b"%%EOF" not in data[-2048:]:
        raise ServiceError("DOC-TYPE", "Dit is geen (volledig) PDF-bestand.", "This is not a (complete) PDF file.")


def _put_document(db: Session, store: FileStore, user: User, filing: Filing, kind: str, data: bytes,
                  name: str) -> FilingDocument:
    document = db.scalar(select(FilingDocument).where(FilingDocument.filing_id == filing.id,
                                                      FilingDocument.kind == kind))
    if document is None:
        document = FilingDocument(filing_id=filing.id, kind=kind)
        db.add(document)
    document.name = clean_file_name(name, f"{kind}.pdf", suffix=".pdf")  # it goes into a download header
    document.size, document.sha256 = len(data), store.put(data)
    document.uploaded_by_id, document.uploaded_at = user.id, utcnow()
    db.flush()
    return document


def add_annual_report(db: Session, store: FileStore, user: User, filing_id: int, data: bytes, name: str,
                      limit_mb: int) -> FilingDocument:
    """The board adds (or replaces, until submission) the annual report PDF of a version."""
    from ..filings.models import ANNUAL_REPORT

    filing = get_filing(db, user, filing_id)
    if user.role is not Role.BOARD:
        raise _not_found()
    if receipt_for(db, filing) is not None:
        raise ServiceError("DOC-SUBMITTED", "Deze versie is al ingediend; upload een nieuwe versie.",
                           "This version was submitted; upload a new version.", 409)
    check_pdf(data, limit_mb)
    return _put_document(db, store, user, filing, ANNUAL_REPORT, data, name)


def documents_of(db: Session, filing: Filing) -> list[FilingDocument]:
    """The PDFs of a version, annual report first."""
    return list(db.scalars(select(FilingDocument).where(FilingDocument.filing_id == filing.id)
                           .order_by(FilingDocument.kind)))


def document_of(db: Session, store: FileStore, user: User, filing_id: int, kind: str) -> tuple[bytes, str]:
    """A version's PDF, for those who may see the version."""
    filing = get_filing(db, user, filing_id)
    document = db.scalar(select(FilingDocument).where(FilingDocument.filing_id == filing.id,
                                                      FilingDocument.kind == kind))
    if document is None:
        raise _not_found()
    return store.get(document.sha256), document.name


def keys_of(db: Session, user: User) -> list[AccountantKey]:
    """The accountant's signing keys, newest first."""
    return list(db.scalars(select(AccountantKey).where(AccountantKey.user_id == user.id)
                           .order_by(AccountantKey.created_at.desc(), AccountantKey.id.desc())))


def require_accountant(user: User) -> None:
    """NOT-FOUND for anyone but an accountant (keys and assurance are theirs alone)."""
    if user.role is not Role.ACCOUNTANT:
        raise _not_found()


def create_portal_key(db: Session, user: User, passphrase: str) -> AccountantKey:
    """A new Ed25519 key made here; its private half is kept only encrypted with the passphrase."""
    require_accountant(user)
    if len(passphrase) < 12:
        raise ServiceError("KEY-PASSPHRASE", "Kies een wachtwoordzin van minstens 12 tekens.",
                           "Choose a passphrase of at least 12 characters.")
    private_pem, public_pem = assurance.generate_key(passphrase.encode("utf-8"))
    key = AccountantKey(user_id=user.id, kind=PORTAL_KEY, public_pem=public_pem.decode("ascii"),
                        encrypted_private_pem=private_pem.decode("ascii"),
                        fingerprint=assurance.fingerprint(public_pem))
    db.add(key)
    db.flush()
    return key


def register_key(db: Session, user: User, pem: str) -> AccountantKey:
    """A public key (from `python -m validators keygen`) or an X.509 certificate, made outside."""
    require_accountant(user)
    text = (pem or "").strip()
    field = "certificate" if "BEGIN CERTIFICATE" in text else "public_key"
    try:
        certificate, _key = assurance.load_document_key(text, field)
        fingerprint = assurance.fingerprint(text.encode("ascii"))
    except (assurance.AssuranceError, UnicodeError) as exc:
        raise ServiceError("KEY-FORMAT", "Plak één PEM-blok: een publieke sleutel of een X.509-certificaat.",
                           "Paste one PEM block: a public key or an X.509 certificate.") from exc
    key = AccountantKey(user_id=user.id, kind=CERTIFICATE if certificate is not None else PUBLIC_KEY,
                        public_pem=text, fingerprint=fingerprint,
                        subject=assurance.signer_of(certificate) if certificate is not None else None)
    db.add(key)
    db.flush()
    return key


def revoke_key(db: Session, user: User, key_id: int) -> AccountantKey:
    """The accountant stops using a key; assurances made with it stay as they were."""
    key = db.get(AccountantKey, key_id)
    if key is None or key.user_id != user.id:
        raise _not_found()
    key.revoked_at = key.revoked_at or utcnow()
    db.flush()
    return key


def _check_opinion(filing_bytes: bytes, opinion: str) -> None:
    filed = assurance.audit_opinion_of(filing_bytes)
    if filed != opinion:
        shown = filed or "ontbreekt / missing"
        raise ServiceError("ASSURANCE-OPINION",
                            f"Het oordeel '{opinion}' verschilt van het oordeel in de jaarverantwoording "
                            f"(AuditOpinionType: {shown}). Corrigeer het bestand of kies het juiste oordeel.",
                            f"The opinion '{opinion}' differs from the opinion in the annual report "
                            f"(AuditOpinionType: {shown}). Correct the file or choose the right opinion.")


def attach(db: Session, store: FileStore, user: User, filing_id: int, opinion: str, opinion_date: str,
           pdf: bytes, pdf_name: str, key_id: int, passphrase: str | None = None,
           signed: bytes | None = None, limit_mb: int = 25) -> Assurance:
    """The accountant's assurance on exactly this version: signed here with a portal key and
    its passphrase, or signed outside (`python -m validators sign-assurance`) and uploaded.
    Either way it is verified against the stored filing and PDF before it is kept."""
    filing = get_filing(db, user, filing_id)  # accountants: only an authorised board and year
    require_accountant(user)
    if filing.is_test or filing.status not in ASSURABLE:
        raise ServiceError("ASSURANCE-VERSION", "Verklaren kan alleen bij een gevalideerde versie zonder fouten die "
                           "geen testversie is.", "Assurance goes with a validated version without errors that is "
                           "not a test version.", 409)
    key = db.get(AccountantKey, key_id)
    if key is None or key.user_id != user.id or key.revoked_at is not None:
        raise ServiceError("ASSURANCE-KEY", "Kies een van uw eigen, geldige sleutels.",
                           "Choose one of your own keys that is not revoked.")
    if opinion not in assurance.OPINIONS:
        raise ServiceError("ASSURANCE-OPINION", "Kies een soort oordeel.", "Choose the type of opinion.")
    check_pdf(pdf, limit_mb)
    filing_bytes = store.get(filing.file_sha256)
    _check_opinion(_instance_bytes(filing_bytes, filing.file_name), opinion)
    try:
        statement = assurance.Statement.for_files(filing_bytes, pdf, filing.board.number, filing.year, opinion,
                                                  opinion_date)
        if signed is not None:
            document = assurance.parse_document(signed)
        elif key.encrypted_private_pem is not None:
            document = assurance.sign(statement, key.encrypted_private_pem.encode("ascii"),
                                      (passphrase or "").encode("utf-8"))
        else:
            raise ServiceError("ASSURANCE-SIGNED", "Met deze sleutel tekent u buiten het portaal: upload het "
                               "ondertekende verklaringsbestand.", "With this key you sign outside the portal: "
                               "upload the signed assurance file.")
    except assurance.AssuranceError as exc:
        raise ServiceError(exc.code, exc.message["nl"], exc.message["en"]) from exc
    result = assurance.verify(document, filing_bytes, pdf, key.public_pem.encode("ascii"), opinion)
    if not result.valid:
        code, message = result.problems[0]
        raise ServiceError(code, message["nl"], message["en"])
    if result.statement != statement:  # an uploaded document about other facts than this form says
        raise ServiceError("ASSURANCE-STATEMENT", "Het ondertekende bestand gaat over een ander oordeel of een andere "
                           "datum dan u hier invulde.", "The signed file states another opinion or date than you "
                           "entered here.")
    _put_document(db, store, user, filing, AUDITOR_REPORT, pdf, pdf_name)
    kept = Assurance(filing_id=filing.id, accountant_id=user.id, firm_id=user.firm_id, key_id=key.id,
                     opinion=opinion, opinion_date=statement.opinion_date,
                     auditor_report_sha256=statement.auditor_report_sha256,
                     document_json=json.dumps(document, ensure_ascii=False, sort_keys=True))
    db.add(kept)
    db.flush()
    return kept


def _instance_bytes(data: bytes, name: str) -> bytes:
    """The XBRL document itself, also out of a report package (intake's limits apply)."""
    from validators.intake import Limits, Rejected, accept

    try:
        return accept(data, name, Limits()).data
    except Rejected:
        return data


def assurance_for(db: Session, store: FileStore, filing: Filing) -> tuple[Assurance | None, bool]:
    """The latest assurance on exactly this version, and whether it still verifies against the
    stored filing and PDF (any other version has none: new figures need new assurance)."""
    kept = db.scalar(select(Assurance).where(Assurance.filing_id == filing.id)
                     .order_by(Assurance.created_at.desc(), Assurance.id.desc()).limit(1))
    if kept is None:
        return None, False
    try:
        filing_bytes, pdf = store.get(filing.file_sha256), store.get(kept.auditor_report_sha256)
    except (OSError, ValueError):
        return kept, False
    result = assurance.verify(kept.document, filing_bytes, pdf, kept.key.public_pem.encode("ascii"), kept.opinion)
    return kept, result.valid and result.statement is not None and result.statement.filing_sha256 == filing.file_sha256



def filing_context(db: Session, store: FileStore, user: User, filing: Filing) -> dict[str, object]:
    """What the filing page shows this user of the version's documents and assurance."""
    kept, valid = assurance_for(db, store, filing)
    return {"documents": documents_of(db, filing), "assurance": kept, "assurance_valid": valid,
            "opinions": assurance.OPINIONS,
            "my_keys": [k for k in keys_of(db, user) if k.revoked_at is None] if user.role is Role.ACCOUNTANT else []}
