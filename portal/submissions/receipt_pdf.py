"""The receipt as a PDF, for people (the JSON is for software), on the portal's one PDF base.

In one language, the reader's (Dutch unless they chose English, or `?lang=` asks for the other):
a board hands its receipt to its accountant or auditor, who reads Dutch, and one language reads
more easily than two interleaved. What the receipt proves is printed exactly as the JSON has it:
its number, the SHA-256 of each file, the accountant's key fingerprint; the moment of submission
to the second in Dutch time, with its offset from UTC, so that it converts back to the JSON's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_datetime

from ..formatting import AMSTERDAM, day_in, moment_in, number_in
from ..i18n import LANGUAGES, named_in, text_in
from ..pdf import GREY, LINE, MONO, RED, SANS, STATUS_COLOURS, Document
from .models import Receipt


def submitted_at(iso: str, lang: str) -> str:
    """The receipt's moment in Dutch time with its offset, as a person reads it:
    01-12-2026 14:27:46 Nederlandse tijd (UTC+01:00)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    offset = format_datetime(moment, "xxx", tzinfo=AMSTERDAM, locale="en_GB")
    return text_in(lang, "%(moment)s Dutch time (UTC%(offset)s)", moment=moment_in(lang, moment, seconds=True),
                   offset=offset)


def size(n: int, lang: str) -> str:
    """Bytes with the language's thousands separator: 21.329 bytes (nl), 21,329 bytes (en)."""
    return text_in(lang, "%(size)s bytes", size=number_in(lang, n))


def _day(value: str, lang: str) -> str:
    # The opinion's date is kept as an ISO date; shown as the pages show a day.
    try:
        return day_in(lang, date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def render(receipt: Receipt, board_name: str, language: str = "nl") -> bytes:
    """A receipt in `language` (nl or en) with every fact of the receipt JSON."""
    lang = language if language in LANGUAGES else "nl"
    body = receipt.body
    title = text_in(lang, "Receipt of filing: annual accounts")
    footer = f"{text_in(lang, 'Receipt')} {body['number']} - {body['board']} - {body['year']}"
    pdf = Document(lang, f"{text_in(lang, 'Receipt')} {body['number']}", footer)
    pdf.add_page()
    pdf.title_block(title, body["number"])
    _facts(pdf, body, board_name, lang)
    _files(pdf, body["files"], lang)
    if body.get("assurance"):
        _assurance(pdf, body["assurance"], lang)
    return bytes(pdf.output())


def _facts(pdf: Document, body: dict[str, Any], board_name: str, lang: str) -> None:
    taxonomy = body.get("taxonomy") or {}
    status = body["status"]
    pdf.row(text_in(lang, "Number"), body["number"])
    pdf.row(text_in(lang, "School board"), f"{body['board']} {board_name}")
    pdf.row(text_in(lang, "Reporting year"), str(body["year"]))
    pdf.row(text_in(lang, "Version"), str(body.get("version", "")))
    pdf.row(text_in(lang, "Submitted at"), submitted_at(body["submitted_at"], lang))
    pdf.row(text_in(lang, "Submitted by"), body["submitted_by"])
    pdf.row(text_in(lang, "Status"), named_in(lang, f"status_{status}"), colour=STATUS_COLOURS.get(status))
    pdf.row(text_in(lang, "Deadline"), text_in(lang, "Late") if body["late"] else text_in(lang, "On time"),
            colour=RED if body["late"] else None)
    pdf.row(text_in(lang, "Taxonomy"), taxonomy.get("entry_point") or "-", size=9)


def _files(pdf: Document, files: list[dict[str, Any]], lang: str) -> None:
    pdf.heading(text_in(lang, "Files"), size=12)
    for file in files:
        pdf.set_font(SANS, "B", 10)
        pdf.lines(named_in(lang, "document_" + (file.get("kind") or "xbrl")), LINE + 0.5)
        pdf.set_font(SANS, "", 10)
        pdf.lines(f"{file['name']} ({size(file['size'], lang)})", LINE + 0.5)
        pdf.set_font(MONO, "", 8.5)
        pdf.lines(f"SHA-256 {file['sha256']}", LINE)
        pdf.ln(1.5)


def _assurance(pdf: Document, given: dict[str, Any], lang: str) -> None:
    pdf.heading(text_in(lang, "Auditor's assurance"), size=12)
    pdf.set_font(SANS, "", 10)
    pdf.lines(text_in(lang, "%(opinion)s opinion of %(date)s, %(name)s (%(firm)s)",
                      opinion=named_in(lang, "opinion_" + given["opinion"]), date=_day(given["opinion_date"], lang),
                      name=given["accountant"], firm=given["firm"]), LINE + 0.5)
    valid = given["signature_valid"]
    pdf.set_font(SANS, "B", 10)
    pdf.set_text_color(*(STATUS_COLOURS["valid"] if valid else RED))
    pdf.lines(text_in(lang, "signature valid") if valid else text_in(lang, "signature INVALID"), LINE + 0.5)
    pdf.set_text_color(*GREY)
    pdf.set_font(SANS, "", 9)
    pdf.lines(text_in(lang, "Key"), LINE)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(MONO, "", 8.5)
    pdf.lines(given["key_fingerprint"], LINE)
