"""The receipt as a PDF, for people (the JSON is for software)."""

from __future__ import annotations

from fpdf import FPDF

from .models import Receipt


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
            ("Ingediend / Submitted", body["submitted_at"]),
            ("Door / By", body["submitted_by"]),
            ("Status", body["status"]),
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
        pdf.multi_cell(0, 6, _latin(f"{kind}{f['name']} ({f['size']} bytes)"), new_x="LMARGIN", new_y="NEXT")
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
