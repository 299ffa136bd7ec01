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
from ..i18n import LANGUAGES, Message, both, both_p, say
from . import (LEGACY_TYPE, MAX_DOCUMENT_BYTES, OPINIONS, AssuranceError, Signer, Statement, Verification,
               audit_opinion_of, fingerprint, generate_key, parse_document, prove_possession, sign, verify)
from .statement import printable

COMMANDS = ("keygen", "prove-key", "sign-assurance", "verify-assurance")


class Usage(Exception):
    """A usage error (exit 2), in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(message["en"])
        self.message = message


def _say_both(message: Message, prefix: Message | None = None) -> str:
    """Dutch then English, one line each: commands without --lang speak to whoever runs them in both."""
    return "\n".join(f"{prefix[lang]}: {message[lang]}" if prefix else message[lang] for lang in LANGUAGES)


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
        print(_say_both(exc.message, both_p("command line", "error")), file=sys.stderr)
        return 2
    except AssuranceError as exc:
        coded = {lang: f"{exc.code}: {text}" for lang, text in exc.message.items()}
        print(_say_both(coded, both_p("command line", "error")), file=sys.stderr)
        return 1


def _read(path: Path | None, what: Message, limit: int | None = None) -> bytes:
    if path is None or not path.is_file():
        raise Usage(both("%(what)s does not exist: %(path)s", what=what, path=path))
    try:
        with path.open("rb") as f:
            return f.read() if limit is None else f.read(limit + 1)
    except OSError as exc:
        raise Usage(both("%(what)s cannot be read: %(path)s (%(reason)s)", what=what, path=path,
                         reason=exc.strerror)) from exc


def _passphrase(path: Path | None, confirm: bool) -> bytes:
    """From the file's first line, else asked (twice when making a key); never empty."""
    if path is not None:
        passphrase = _read(path, both("The passphrase file")).split(b"\n", 1)[0].rstrip(b"\r")
    else:
        try:
            passphrase = getpass.getpass(_prompt(both("key passphrase"))).encode("utf-8")
            if confirm and getpass.getpass(_prompt(both("again"))).encode("utf-8") != passphrase:
                raise Usage(both("The passphrases differ."))
        except EOFError as exc:
            raise Usage(both("No passphrase: type it or give --passphrase-file.")) from exc
    if not passphrase:
        raise Usage(both("The passphrase must not be empty."))
    return passphrase


def _prompt(question: Message) -> str:
    """A prompt on one line, Dutch first: "Nogmaals / again: "."""
    return " / ".join(question[lang] for lang in LANGUAGES) + ": "


def _keygen(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() or out.is_symlink():  # before asking for a passphrase; O_EXCL below closes the race
        raise Usage(both("%(path)s already exists; choose another file.", path=out))
    private_pem, public_pem = generate_key(_passphrase(args.passphrase_file, confirm=True))
    try:
        # O_EXCL: never overwrite a key (or follow a link planted in its place); 0600: only the owner reads it.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise Usage(both("%(path)s already exists.", path=out)) from exc
    except OSError as exc:
        raise Usage(both("%(path)s cannot be written (%(reason)s).", path=out, reason=exc.strerror)) from exc
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), 0o600)  # whatever the umask
        f.write(private_pem)
    print(public_pem.decode("ascii"), end="")
    print(fingerprint(public_pem))
    print(_say_both(both("Encrypted private key written to %(path)s. Publish the fingerprint above.", path=out)),
          file=sys.stderr)
    return 0


def _prove(args: argparse.Namespace) -> int:
    key_pem = _read(args.key, both("The key file"))
    proof, signed_by = prove_possession(key_pem, _passphrase(args.passphrase_file, confirm=False), args.nonce.strip())
    print(proof)
    print(_say_both(both("Proof for key %(key)s: paste it into the portal beside the code.", key=signed_by)),
          file=sys.stderr)
    return 0


def _signer(accountant: str | None, firm: str | None) -> Signer | None:
    if accountant is None and firm is None:
        return None
    if accountant is None or firm is None:
        raise Usage(both("Give --accountant and --firm together."))
    try:
        return Signer(accountant.strip().lower(), firm.strip())
    except AssuranceError as exc:
        raise Usage(exc.message) from exc


def _sign(args: argparse.Namespace) -> int:
    filing = _read(args.file, both("The XBRL file"))
    pdf = _read(args.pdf, both("The auditor's report"))
    key_pem = _read(args.key, both("The key file"))
    certificate_pem = None if args.certificate is None else _read(args.certificate, both("The certificate"))
    if not pdf.startswith(b"%PDF-"):
        raise Usage(both("%(path)s is not a PDF file.", path=args.pdf))
    signer = _signer(args.accountant, args.firm)
    try:
        statement = Statement.for_files(filing, pdf, args.board, args.year, args.opinion, args.date, signer)
    except AssuranceError as exc:
        raise Usage(exc.message) from exc
    own = audit_opinion_of(filing)
    if own is None:
        print(_say_both(both("Note: the opinion type (AuditOpinionType) could not be read from the XBRL file and was "
                             "not compared.")), file=sys.stderr)
    elif own != args.opinion:
        raise AssuranceError(ASSURANCE_OPINION, both(
            "The XBRL file reports the opinion type '%(own)s', not '%(chosen)s'. Sign only what the file itself "
            "reports: have the file corrected or choose the right --opinion.", own=printable(own, 40),
            chosen=args.opinion))
    document = sign(statement, key_pem, _passphrase(args.passphrase_file, confirm=False), certificate_pem)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Usage(both("%(path)s cannot be written (%(reason)s).", path=args.out, reason=exc.strerror)) from exc
    signed_by = verify(document).fingerprint
    print(_say_both(both("Signed with key %(key)s.", key=signed_by)), file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    filing = _read(args.file, both("The XBRL file"))
    raw = _read(args.assurance, both("The assurance file"), limit=MAX_DOCUMENT_BYTES)
    pdf = None if args.pdf is None else _read(args.pdf, both("The auditor's report"))
    expected = _signer(args.accountant, args.firm)
    trusted = None
    if args.public_key is not None:
        trusted = _read(args.public_key, both("The public key"))
        try:
            fingerprint(trusted)
        except AssuranceError as exc:
            raise Usage({lang: f"{args.public_key}: {text}" for lang, text in exc.message.items()}) from exc
    try:
        document = parse_document(raw)
    except AssuranceError as exc:
        outcome = Verification(False, [(exc.code, exc.message)], None, None, None, None)
    else:
        outcome = verify(document, filing, pdf, trusted, audit_opinion_of(filing), expected)
    notes = []
    if outcome.fingerprint is not None:
        if trusted is None:
            notes.append(say(args.lang, "Note: without --public-key the signature only proves that the holder of the "
                                        "key with this fingerprint signed it. Compare the fingerprint with the one "
                                        "the accountant published."))
        if pdf is None:
            notes.append(say(args.lang, "Note: the auditor's report (PDF) was not compared; give it with --pdf."))
    if args.format == "json":
        print(json.dumps(_as_json(outcome), ensure_ascii=False))
        for note in notes:  # standard output stays one JSON object
            print(note, file=sys.stderr)
    else:
        print(_as_text(outcome, args.file.name, args.lang))
        for note in notes:
            print(f"  {note}")
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
    verdict = say(lang, "ASSURANCE VALID") if outcome.valid else say(lang, "ASSURANCE INVALID")
    s = outcome.statement
    if s is None:
        lines = [f"{name}: {verdict}"]
    else:
        lines = [say(lang, "%(name)s: %(verdict)s - %(opinion)s, school board %(board)s, year %(year)s, opinion of "
                           "%(date)s", name=name, verdict=verdict, opinion=s.opinion, board=s.board, year=s.year,
                     date=s.opinion_date)]
        lines.append("  " + (say(lang, "signer (as named in the signed statement): %(signer)s", signer=s.signer)
                             if s.signer is not None else
                             say(lang, "the assurance (%(type)s) names no signer", type=LEGACY_TYPE)))
    if outcome.fingerprint is not None:
        lines.append("  " + (say(lang, "signed with key %(key)s (%(subject)s, according to the certificate)",
                                 key=outcome.fingerprint, subject=outcome.certificate_subject)
                             if outcome.certificate_subject else
                             say(lang, "signed with key %(key)s", key=outcome.fingerprint)))
    lines.extend(f"  {code}: {message[lang]}" for code, message in outcome.problems)
    return "\n".join(lines)
