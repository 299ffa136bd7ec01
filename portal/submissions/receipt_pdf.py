"""The receipt as a PDF, for people (the JSON is for software)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from fpdf import FPDF

from .models import Receipt

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The report's status in both languages (the JSON keeps the code).
STATUS = {"valid": "geldig / valid", "valid-with-warnings": "geldig, met waarschuwingen / valid, with warnings"}


def submitted_at(iso: str) -> str:
    """The receipt's moment in Dutch time, as a person reads it: 01-12-2026 14:27:46 (Nederlandse tijd)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return format_datetime(moment, "dd-MM-yyyy HH:mm:ss", tzinfo=AMSTERDAM, locale="nl_NL") + \
        " (Nederlandse tijd / Dutch time)"


def size(n: int) -> str:
    """Bytes with the Dutch thousands separator: 21.329 bytes."""
    return f"{format_decimal(n, locale='nl_NL')} bytes"


def _latin(text: str) -> str:
    # The PDF core fonts cover Latin-1: enough for Dutch; anything else becomes '?'.
    return text.encode("latin-1", "replace").decode("latin-1")


def render(receipt: Receipt, board_name: str) -> bytes:
    """A one-page receipt with every fact of the receipt JSON."""
    body = receipt.body
    pdf = FPDF(format="A4")
    pdf.set_title(f"Ontvangstbewijs {receipt.number}")
    pdf.set_creator("Verantwoordingsportaal onderwijs")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin("Ontvangstbewijs jaarverantwoording"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, "Receipt of filing - annual accounts", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    taxonomy = body.get("taxonomy") or {}
    rows = [("Nummer / Number", body["number"]),
            ("Bevoegd gezag / School board", f"{body['board']} {board_name}"),
            ("Verslagjaar / Reporting year", str(body["year"])),
            ("Versie / Version", str(body.get("version", ""))),
            ("Ingediend / Submitted", submitted_at(body["submitted_at"])),
            ("Door / By", body["submitted_by"]),
            ("Status", STATUS.get(body["status"], body["status"])),
            ("Te laat / Late", "ja / yes" if body["late"] else "nee / no"),
            ("Taxonomie / Taxonomy", taxonomy.get("entry_point", ""))]
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(60, 7, _latin(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 7, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, "Bestanden / Files", new_x="LMARGIN", new_y="NEXT")
    for f in body["files"]:
        pdf.set_font("Helvetica", "", 10)
        kind = {"annual-report": "Jaarverslag / Annual report: ", "auditor-report": "Controleverklaring / "
                "Auditor's report: "}.get(f.get("kind", ""), "")
        pdf.multi_cell(0, 6, _latin(f"{kind}{f['name']} ({size(f['size'])})"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Courier", "", 8)
        pdf.multi_cell(0, 5, f"SHA-256 {f['sha256']}", new_x="LMARGIN", new_y="NEXT")
    given = body.get("assurance")
    if given:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 8, _latin("Accountantsverklaring / Assurance"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        state = "handtekening geldig / signature valid" if given["signature_valid"] else "ONGELDIG / INVALID"
        pdf.multi_cell(0, 6, _latin(f"{given['opinion']} ({given['opinion_date']}), {given['accountant']}, "
                                    f"{given['firm']}: {state}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Courier", "", 8)
        pdf.multi_cell(0, 5, given["key_fingerprint"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
