"""The statement an accountant signs, and the error every assurance refusal raises.

Two versions of the statement exist. `edu-assurance/2` (what is signed now) names
the signer: the accountant's e-mail address and the audit firm, so a signed
document cannot be presented by anyone else as their own. `edu-assurance/1`
(signed before) names no signer; it still verifies, as signed by the key alone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from ..codes import ASSURANCE_FORMAT
from ..i18n import Message, both

# The taxonomy's AuditOpinionType enumeration (taxonomies/model/taxonomy.toml), in its order.
OPINIONS = ("goedkeurend", "met-beperking", "oordeelonthouding", "afkeurend")
STATEMENT_TYPE = "edu-assurance/2"  # what is signed now
LEGACY_TYPE = "edu-assurance/1"  # no signer named; still verified, never signed any more
STATEMENT_TYPES = (LEGACY_TYPE, STATEMENT_TYPE)

# [0-9], not \d: \d also matches other scripts' digits, which no board number has.
_BOARD = re.compile(r"[0-9]{5}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# An e-mail address as the portal keeps it: ASCII, no spaces, one @ with text on both sides.
_EMAIL = re.compile(r"[!-?A-~]{1,64}@[!-?A-~]{1,189}")
_NAME_CHARS = 200  # the portal's firm names are at most this long


class AssuranceError(Exception):
    """A refusal with a stable code (ASSURANCE-...) and a Dutch and English message."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(f"{code}: {message['en']}")
        self.code = code
        self.message = dict(message)


def _refuse(message: Message) -> AssuranceError:
    return AssuranceError(ASSURANCE_FORMAT, message)


@dataclass(frozen=True)
class Signer:
    """Who signs, as the signed statement names them: the accountant's e-mail address and the firm.

    Printable text only (no control characters, no lone surrogates, nothing
    around it), so the canonical bytes stay exactly RFC 8785 JCS and what a
    person reads is what was signed.
    """

    accountant: str
    firm: str

    def __post_init__(self) -> None:
        if not isinstance(self.accountant, str) or not _EMAIL.fullmatch(self.accountant):
            raise _refuse(both("The signer (signer.accountant) must be an e-mail address."))
        firm = self.firm
        if (not isinstance(firm, str) or not 0 < len(firm) <= _NAME_CHARS or not firm.isprintable()
                or firm != firm.strip()):
            raise _refuse(both("The signer's firm (signer.firm) must be a name of 1 to %(count)s printable "
                               "characters.", count=_NAME_CHARS))

    def same_as(self, other: Signer) -> bool:
        """The same accountant (e-mail addresses compared without case) of the same firm."""
        return self.accountant.lower() == other.accountant.lower() and self.firm == other.firm

    def __str__(self) -> str:
        return f"{self.accountant} ({self.firm})"

    @classmethod
    def from_dict(cls, data: Any) -> Signer:
        """Read a statement's "signer" strictly: exactly accountant and firm."""
        if not isinstance(data, dict) or set(data) != {"accountant", "firm"}:
            raise _refuse(both("The signer must have exactly the fields accountant and firm."))
        return cls(**data)


@dataclass(frozen=True)
class Statement:
    """What the accountant declares: this opinion, on this date, on exactly these two files.

    Every field is checked when a Statement is made, so nothing malformed can be
    signed or come out of `from_dict`; AssuranceError ASSURANCE-FORMAT otherwise.
    """

    board: str
    year: int
    opinion: str
    opinion_date: str
    filing_sha256: str
    auditor_report_sha256: str
    signer: Signer | None = None  # None only in an edu-assurance/1 statement, which is verified, never signed

    def __post_init__(self) -> None:
        if not isinstance(self.board, str) or not _BOARD.fullmatch(self.board):
            raise _refuse(both("The board number (board) must be a string of 5 digits."))
        # bool is an int in Python, but true is not a year.
        if type(self.year) is not int or not 1900 <= self.year <= 2200:
            raise _refuse(both("The reporting year (year) must be an integer from 1900 to 2200."))
        if not isinstance(self.opinion, str) or self.opinion not in OPINIONS:
            raise _refuse(both("The opinion type (opinion) must be one of %(opinions)s.",
                               opinions=", ".join(OPINIONS)))
        if not isinstance(self.opinion_date, str) or not _is_date(self.opinion_date):
            raise _refuse(both("The opinion date (opinion_date) must be a real date YYYY-MM-DD."))
        for name in ("filing_sha256", "auditor_report_sha256"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _SHA256.fullmatch(value):
                raise _refuse(both("The field %(name)s must be a sha256 as 64 lowercase hexadecimal characters.",
                                   name=name))
        if self.signer is not None and not isinstance(self.signer, Signer):
            raise TypeError("signer must be a Signer")

    @property
    def type(self) -> str:
        """The statement's version: edu-assurance/2 when it names the signer, else edu-assurance/1."""
        return LEGACY_TYPE if self.signer is None else STATEMENT_TYPE

    def canonical(self) -> bytes:
        """The exact bytes that are signed: the statement with its type, as canonical JSON (UTF-8)."""
        # Sorted keys, no whitespace, UTF-8 without escapes: for these values (ASCII strings from the fixed
        # alphabets checked above, one small integer, and the signer's printable text, in which only " and \
        # are escaped, as JCS does) this is byte for byte RFC 8785 JCS, so any JCS implementation in another
        # language reproduces the signed bytes.
        return json.dumps({"type": self.type, **self.to_dict()}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")

    def to_dict(self) -> dict[str, Any]:
        """The statement's fields, as they appear under "statement" in the assurance document
        (an edu-assurance/1 statement has no "signer")."""
        data = asdict(self)
        if self.signer is None:
            del data["signer"]
        return data

    @classmethod
    def from_dict(cls, data: Any, statement_type: str = STATEMENT_TYPE) -> Statement:
        """Read a statement of `statement_type` strictly: exactly its fields (edu-assurance/2: the six of
        edu-assurance/1 and the signer), each of its type and form."""
        names = {f.name for f in fields(cls)} - ({"signer"} if statement_type == LEGACY_TYPE else set())
        if not isinstance(data, dict):
            raise _refuse(both("The statement is not a JSON object."))
        if set(data) != names:
            raise _refuse(both("The statement must have exactly the fields %(fields)s.",
                               fields=", ".join(sorted(names))))
        if statement_type == LEGACY_TYPE:
            return cls(**data)
        return cls(**{**data, "signer": Signer.from_dict(data["signer"])})

    @classmethod
    def for_files(cls, filing: bytes, auditor_report: bytes, board: str, year: int, opinion: str,
                  opinion_date: str, signer: Signer | None = None) -> Statement:
        """The statement about these two files (the XBRL filing and the auditor's report PDF), by `signer`."""
        return cls(board=board, year=year, opinion=opinion, opinion_date=opinion_date,
                   filing_sha256=hashlib.sha256(filing).hexdigest(),
                   auditor_report_sha256=hashlib.sha256(auditor_report).hexdigest(), signer=signer)


def printable(text: str, limit: int = 200) -> str:
    """Text from a file or certificate, safe to show: control characters (terminal escapes) become "?"."""
    return "".join(c if c.isprintable() else "?" for c in text[:limit])


def _is_date(text: str) -> bool:
    # The pattern first: fromisoformat also takes forms such as 20260614 that are not in the format.
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
