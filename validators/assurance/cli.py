"""The accountant's digital assurance on the command line: keygen, prove-key, sign-assurance, verify-assurance.

    python -m validators keygen --out PRIVATE.pem [--passphrase-file F]
    python -m validators prove-key --key PRIVATE.pem --nonce NONCE [--passphrase-file F]
    python -m validators sign-assurance FILE --pdf PDF --board NUMBER --year YEAR --opinion OPINION
        --date YYYY-MM-DD --accountant EMAIL --firm NAME --key PRIVATE.pem [--certificate CERT.pem]
        [--passphrase-file F] [--out ASSURANCE.json]
    python -m validators verify-assurance FILE ASSURANCE.json [--pdf PDF] [--public-key KEY.pem]
        [--accountant EMAIL --firm NAME] [--format text|json] [--lang nl|en]

Exit codes as for validate: 0 ok (valid), 1 refused or not valid, 2 usage error
(a missing or unreadable file, a malformed argument). Refusals and usage errors
are printed in Dutch and English: keygen, prove-key and sign-assurance have no --lang.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..codes import ASSURANCE_OPINION
from . import (LEGACY_TYPE, MAX_DOCUMENT_BYTES, OPINIONS, AssuranceError, Signer, Statement, Verification,
               audit_opinion_of, fingerprint, generate_key, parse_document, prove_possession, sign, verify)
from .statement import printable

COMMANDS = ("keygen", "prove-key", "sign-assurance", "verify-assurance")

WORDS = {
    "nl": {"valid": "VERKLARING GELDIG", "invalid": "VERKLARING ONGELDIG", "board": "bevoegd gezag",
           "year": "verslagjaar", "dated": "verklaring van", "key": "ondertekend met sleutel",
           "claims": "volgens het certificaat", "signer": "ondertekenaar (zo genoemd in de ondertekende verklaring)",
           "no signer": f"de verklaring ({LEGACY_TYPE}) noemt geen ondertekenaar",
           "no trusted key": "Let op: zonder --public-key bewijst de handtekening alleen dat de houder van de sleutel "
                             "met deze vingerafdruk heeft ondertekend. Vergelijk de vingerafdruk met de door de "
                             "accountant gepubliceerde.",
           "no pdf": "Let op: de controleverklaring (PDF) is niet vergeleken; geef die met --pdf."},
    "en": {"valid": "ASSURANCE VALID", "invalid": "ASSURANCE INVALID", "board": "school board", "year": "year",
           "dated": "opinion of", "key": "signed with key", "claims": "according to the certificate",
           "signer": "signer (as named in the signed statement)",
           "no signer": f"the assurance ({LEGACY_TYPE}) names no signer",
           "no trusted key": "Note: without --public-key the signature only proves that the holder of the key with "
                             "this fingerprint signed it. Compare the fingerprint with the one the accountant "
                             "published.",
           "no pdf": "Note: the auditor's report (PDF) was not compared; give it with --pdf."},
}


class Usage(Exception):
    """A usage error (exit 2), in both languages."""

    def __init__(self, nl: str, en: str) -> None:
        super().__init__(en)
        self.nl, self.en = nl, en


def add_commands(commands: Any) -> None:
    """Add the four subcommands to the parser's subparsers (argparse's _SubParsersAction)."""
    k = commands.add_parser("keygen", help="make an encrypted Ed25519 signing key")
    k.add_argument("--out", required=True, type=Path, help="where to write the encrypted private key (mode 0600)")
    k.add_argument("--passphrase-file", type=Path, help="read the passphrase from this file's first line")
    p = commands.add_parser("prove-key", help="prove to the portal that you hold a key: sign its nonce")
    p.add_argument("--key", required=True, type=Path, help="the encrypted private key (PEM)")
    p.add_argument("--nonce", required=True, help="the code the portal's key page shows")
    p.add_argument("--passphrase-file", type=Path)
    s = commands.add_parser("sign-assurance", help="sign the accountant's assurance on a filing")
    s.add_argument("file", type=Path, help="the XBRL filing (.xbrl, .xhtml, report package)")
    s.add_argument("--pdf", required=True, type=Path, help="the auditor's report (controleverklaring) as PDF")
    s.add_argument("--board", required=True, help="the 5-digit school board number")
    s.add_argument("--year", required=True, type=int, help="the reporting year")
    s.add_argument("--opinion", required=True, choices=OPINIONS)
    s.add_argument("--date", required=True, help="the opinion date, YYYY-MM-DD")
    s.add_argument("--accountant", required=True, help="the signer: your e-mail address, as in the portal")
    s.add_argument("--firm", required=True, help="the signer's audit firm, as in the portal")
    s.add_argument("--key", required=True, type=Path, help="the encrypted private key (PEM)")
    s.add_argument("--certificate", type=Path, help="an X.509 certificate (PEM) for the key")
    s.add_argument("--passphrase-file", type=Path)
    s.add_argument("--out", type=Path, help="write the assurance document here (default: standard output)")
    v = commands.add_parser("verify-assurance", help="verify an assurance document against a filing")
    v.add_argument("file", type=Path, help="the XBRL filing")
    v.add_argument("assurance", type=Path, help="the assurance document (JSON)")
    v.add_argument("--pdf", type=Path, help="the auditor's report PDF, to compare too")
    v.add_argument("--public-key", type=Path, help="the accountant's public key or certificate (PEM) to trust")
    v.add_argument("--accountant", help="the signer expected: e-mail address (with --firm)")
    v.add_argument("--firm", help="the signer's audit firm expected (with --accountant)")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--lang", choices=("nl", "en"), default="nl")


def run(args: argparse.Namespace) -> int:
    """Run one of COMMANDS; returns the exit code."""
    handler = {"keygen": _keygen, "prove-key": _prove, "sign-assurance": _sign,
               "verify-assurance": _verify}[args.command]
    try:
        return handler(args)
    except Usage as exc:
        print(f"fout: {exc.nl}\nerror: {exc.en}", file=sys.stderr)
        return 2
    except AssuranceError as exc:
        print(f"fout: {exc.code}: {exc.message['nl']}\nerror: {exc.code}: {exc.message['en']}", file=sys.stderr)
        return 1


def _read(path: Path | None, what_nl: str, what_en: str, limit: int | None = None) -> bytes:
    if path is None or not path.is_file():
        raise Usage(f"{what_nl} bestaat niet: {path}", f"{what_en} does not exist: {path}")
    try:
        with path.open("rb") as f:
            return f.read() if limit is None else f.read(limit + 1)
    except OSError as exc:
        raise Usage(f"{what_nl} kan niet worden gelezen: {path} ({exc.strerror})",
                    f"{what_en} cannot be read: {path} ({exc.strerror})") from exc


def _passphrase(path: Path | None, confirm: bool) -> bytes:
    """From the file's first line, else asked (twice when making a key); never empty."""
    if path is not None:
        passphrase = _read(path, "Het wachtwoordbestand", "The passphrase file").split(b"\n", 1)[0].rstrip(b"\r")
    else:
        try:
            passphrase = getpass.getpass("Wachtwoord van de sleutel / key passphrase: ").encode("utf-8")
            if confirm and getpass.getpass("Nogmaals / again: ").encode("utf-8") != passphrase:
                raise Usage("De wachtwoorden verschillen.", "The passphrases differ.")
        except EOFError as exc:
            raise Usage("Geen wachtwoord: typ het in of geef --passphrase-file.",
                        "No passphrase: type it or give --passphrase-file.") from exc
    if not passphrase:
        raise Usage("Het wachtwoord mag niet leeg zijn.", "The passphrase must not be empty.")
    return passphrase


def _keygen(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() or out.is_symlink():  # before asking for a passphrase; O_EXCL below closes the race
        raise Usage(f"{out} bestaat al; kies een ander bestand.", f"{out} already exists; choose another file.")
    private_pem, public_pem = generate_key(_passphrase(args.passphrase_file, confirm=True))
    try:
        # O_EXCL: never overwrite a key (or follow a link planted in its place); 0600: only the owner reads it.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise Usage(f"{out} bestaat al.", f"{out} already exists.") from exc
    except OSError as exc:
        raise Usage(f"{out} kan niet worden geschreven ({exc.strerror}).",
                    f"{out} cannot be written ({exc.strerror}).") from exc
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), 0o600)  # whatever the umask
        f.write(private_pem)
    print(public_pem.decode("ascii"), end="")
    print(fingerprint(public_pem))
    print(f"Versleutelde privésleutel geschreven naar {out}. Publiceer de vingerafdruk hierboven.\n"
          f"Encrypted private key written to {out}. Publish the fingerprint above.", file=sys.stderr)
    return 0


def _prove(args: argparse.Namespace) -> int:
    key_pem = _read(args.key, "Het sleutelbestand", "The key file")
    proof, signed_by = prove_possession(key_pem, _passphrase(args.passphrase_file, confirm=False), args.nonce.strip())
    print(proof)
    print(f"Bewijs voor sleutel {signed_by}: plak het in het portaal bij de code.\n"
          f"Proof for key {signed_by}: paste it into the portal beside the code.", file=sys.stderr)
    return 0


def _signer(accountant: str | None, firm: str | None) -> Signer | None:
    if accountant is None and firm is None:
        return None
    if accountant is None or firm is None:
        raise Usage("Geef --accountant en --firm samen.", "Give --accountant and --firm together.")
    try:
        return Signer(accountant.strip().lower(), firm.strip())
    except AssuranceError as exc:
        raise Usage(exc.message["nl"], exc.message["en"]) from exc


def _sign(args: argparse.Namespace) -> int:
    filing = _read(args.file, "Het XBRL-bestand", "The XBRL file")
    pdf = _read(args.pdf, "De controleverklaring", "The auditor's report")
    key_pem = _read(args.key, "Het sleutelbestand", "The key file")
    certificate_pem = None if args.certificate is None else _read(args.certificate, "Het certificaat",
                                                                  "The certificate")
    if not pdf.startswith(b"%PDF-"):
        raise Usage(f"{args.pdf} is geen PDF-bestand.", f"{args.pdf} is not a PDF file.")
    signer = _signer(args.accountant, args.firm)
    try:
        statement = Statement.for_files(filing, pdf, args.board, args.year, args.opinion, args.date, signer)
    except AssuranceError as exc:
        raise Usage(exc.message["nl"], exc.message["en"]) from exc
    own = audit_opinion_of(filing)
    if own is None:
        print("Let op: de soort controleverklaring (AuditOpinionType) kon niet uit het XBRL-bestand worden gelezen "
              "en is niet vergeleken.\nNote: the opinion type (AuditOpinionType) could not be read from the XBRL "
              "file and was not compared.", file=sys.stderr)
    elif own != args.opinion:
        own = printable(own, 40)
        raise AssuranceError(
            ASSURANCE_OPINION,
            f"Het XBRL-bestand vermeldt als soort controleverklaring '{own}', niet '{args.opinion}'. Onderteken "
            "alleen wat het bestand zelf vermeldt: laat het bestand corrigeren of kies de juiste --opinion.",
            f"The XBRL file reports the opinion type '{own}', not '{args.opinion}'. Sign only what the file itself "
            "reports: have the file corrected or choose the right --opinion.")
    document = sign(statement, key_pem, _passphrase(args.passphrase_file, confirm=False), certificate_pem)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Usage(f"{args.out} kan niet worden geschreven ({exc.strerror}).",
                        f"{args.out} cannot be written ({exc.strerror}).") from exc
    signed_by = verify(document).fingerprint
    print(f"Ondertekend met sleutel {signed_by}.\nSigned with key {signed_by}.", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    filing = _read(args.file, "Het XBRL-bestand", "The XBRL file")
    raw = _read(args.assurance, "Het verklaringsbestand", "The assurance file", limit=MAX_DOCUMENT_BYTES)
    pdf = None if args.pdf is None else _read(args.pdf, "De controleverklaring", "The auditor's report")
    expected = _signer(args.accountant, args.firm)
    trusted = None
    if args.public_key is not None:
        trusted = _read(args.public_key, "De publieke sleutel", "The public key")
        try:
            fingerprint(trusted)
        except AssuranceError as exc:
            raise Usage(f"{args.public_key}: {exc.message['nl']}", f"{args.public_key}: {exc.message['en']}") from exc
    try:
        document = parse_document(raw)
    except AssuranceError as exc:
        outcome = Verification(False, [(exc.code, exc.message)], None, None, None, None)
    else:
        outcome = verify(document, filing, pdf, trusted, audit_opinion_of(filing), expected)
    notes = []
    if outcome.fingerprint is not None:
        notes = ([] if trusted is not None else ["no trusted key"]) + ([] if pdf is not None else ["no pdf"])
    w = WORDS[args.lang]
    if args.format == "json":
        print(json.dumps(_as_json(outcome), ensure_ascii=False))
        for note in notes:  # standard output stays one JSON object
            print(w[note], file=sys.stderr)
    else:
        print(_as_text(outcome, args.file.name, args.lang))
        for note in notes:
            print(f"  {w[note]}")
    return 0 if outcome.valid else 1


def _as_json(outcome: Verification) -> dict[str, Any]:
    return {"valid": outcome.valid,
            "problems": [{"code": code, "message": dict(message)} for code, message in outcome.problems],
            "statement": None if outcome.statement is None else outcome.statement.to_dict(),
            "type": None if outcome.statement is None else outcome.statement.type,
            "signer": None if outcome.signer is None else {"accountant": outcome.signer.accountant,
                                                           "firm": outcome.signer.firm},
            "fingerprint": outcome.fingerprint, "certificate_subject": outcome.certificate_subject}


def _as_text(outcome: Verification, name: str, lang: str) -> str:
    """The verdict first, then who signed, then one line per problem with its code."""
    w = WORDS[lang]
    verdict = f"{name}: {w['valid'] if outcome.valid else w['invalid']}"
    s = outcome.statement
    if s is not None:
        verdict += f" - {s.opinion}, {w['board']} {s.board}, {w['year']} {s.year}, {w['dated']} {s.opinion_date}"
    lines = [verdict]
    if s is not None:
        lines.append(f"  {w['signer']}: {s.signer}" if s.signer is not None else f"  {w['no signer']}")
    if outcome.fingerprint is not None:
        subject = f" ({outcome.certificate_subject}, {w['claims']})" if outcome.certificate_subject else ""
        lines.append(f"  {w['key']} {outcome.fingerprint}{subject}")
    lines.extend(f"  {code}: {message[lang]}" for code, message in outcome.problems)
    return "\n".join(lines)
