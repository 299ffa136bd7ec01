"""The validation report as a PDF, for people (the report.json download is for software).

It follows the report on the page (_report.html) in order and words: the verdict, then every
finding by severity (errors first) and by statement, then the inspectorate's signalling values,
in one language, with numbers and amounts in that language's notation. The document itself (font,
margins, colours, header and footer) is the portal's one PDF base, shared with the receipt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpdf.fonts import FontFace

from validators.report import SEVERITIES

from ..formatting import amount_in, fact_values_in, number_in
from ..i18n import by_statement, named_in, signal_reason, statement_label, text_in
from ..pdf import AMBER, BLUE, GREEN, GREY, LIGHT, LINE, MARGIN, MONO, RED, RULE, SANS, STATUS_COLOURS, Document, clean, wrap
from ..vocabulary import NAMED

SEVERITY_COLOURS = {"error": (176, 0, 32), "inconsistency": (160, 70, 0), "warning": AMBER, "info": GREY}
KEY_WIDTH = 28.0  # mm, the labels of key/value rows within a finding


def render(report: dict[str, Any], board_name: str, version: int | str, language: str, test_version: bool = False) -> bytes:
    """The validation report (the published report JSON, as a dict) as an A4 PDF in `language` (nl or en): the filing's
    facts, the verdict, every finding by severity and statement, and the signalling values; a footer
    with the page number and the file's SHA-256 prefix on every page, and with `test_version` a banner
    saying it is a test version on every page."""
    lang = language if language in ("nl", "en") else "nl"
    file = report["file"]
    title = text_in(lang, "Validation report: annual accounts")
    footer = (f"{title} - {report['board']} - {report['year']} - "
              f"{text_in(lang, 'Version').lower()} {version} - SHA-256 {file['sha256'][:16]}")
    pdf = Document(lang, f"{title} {report['board']} {report['year']} v{version}", footer,
                   text_in(lang, "TEST VERSION - not submitted") if test_version else None)
    pdf.add_page()
    _facts(pdf, report, board_name, version, lang)
    _verdict(pdf, report, lang)
    _findings(pdf, report, lang)
    _signals(pdf, report, lang)
    return bytes(pdf.output())


def _facts(pdf: Document, report: dict[str, Any], board_name: str, version: int | str, lang: str) -> None:
    pdf.title_block(text_in(lang, "Validation report: annual accounts"))
    file = report["file"]
    taxonomy = report.get("taxonomy") or {}
    size_text = text_in(lang, "%(size)s bytes", size=number_in(lang, file["size"]))
    pdf.row(text_in(lang, "School board"), f"{report['board']} {board_name}")
    pdf.row(text_in(lang, "Reporting year"), str(report["year"]))
    pdf.row(text_in(lang, "Version"), str(version))
    pdf.row(text_in(lang, "File"), f"{file['name']} ({size_text})")
    # Identifiers a size smaller, so that the SHA-256 and an entry point fit on one line.
    pdf.row(text_in(lang, "Checksum (SHA-256)"), file["sha256"], mono=True, size=8.5)
    pdf.row(text_in(lang, "Taxonomy"), taxonomy.get("entry_point") or "-", size=9)


def _count(findings: Iterable[dict[str, Any]], severity: str) -> int:
    return sum(1 for f in findings if f["severity"] == severity)


def _verdict(pdf: Document, report: dict[str, Any], lang: str) -> None:
    pdf.heading(text_in(lang, "Verdict"))
    status = report["status"]
    pdf.set_font(SANS, "B", 12)
    pdf.set_text_color(*STATUS_COLOURS.get(status, GREY))
    pdf.lines(named_in(lang, f"status_{status}"), 7)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SANS, "", 10)
    pdf.lines(named_in(lang, f"explain_{status}"), LINE)
    findings = report["findings"]
    shown = ["error", "inconsistency", "warning"] + (["info"] if _count(findings, "info") else [])
    counts = "   ".join(f"{named_in(lang, 'severity_' + s)}: {_count(findings, s)}" for s in shown)
    pdf.set_font(SANS, "B", 10)
    pdf.lines(counts, LINE + 1)


def _findings(pdf: Document, report: dict[str, Any], lang: str) -> None:
    findings = report["findings"]
    if not findings:
        pdf.heading(text_in(lang, "Findings"))
        pdf.set_font(SANS, "", 10)
        pdf.lines(text_in(lang, "There are no findings."), LINE)
        return
    for severity in SEVERITIES:
        group = [f for f in findings if f["severity"] == severity]
        if not group:
            continue
        pdf.heading(f"{named_in(lang, 'severity_' + severity)} ({len(group)})", SEVERITY_COLOURS[severity])
        # Grouped as on the page: "general" (no statement) first, then by statement.
        for statement, items in by_statement(group):
            pdf.running = f"{named_in(lang, 'severity_' + severity)} - {statement_label(statement, lang)}"
            pdf.room_for(30)
            pdf.set_font(SANS, "B", 11)
            pdf.set_fill_color(*LIGHT)
            pdf.set_text_color(*BLUE)
            pdf.lines(statement_label(statement, lang), 7, fill=True)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
            for item in items:
                _finding(pdf, item, report["file"]["name"], lang)


def _rows(item: dict[str, Any], report_file: str, lang: str) -> list[tuple[str, str]]:
    """A finding's period, dimensions, values and line, as (key, value), the ones it has."""
    rows: list[tuple[str, str]] = []
    if item.get("period"):
        start, _, end = item["period"].partition("/")
        rows.append((text_in(lang, "Period"), text_in(lang, "%(start)s to %(end)s", start=start, end=end) if end else start))
    if item.get("dimensions"):
        rows.append((text_in(lang, "Dimensions"), "; ".join(f"{axis.split(':')[-1]}: {member.split(':')[-1]}"
                                                         for axis, member in item["dimensions"].items())))
    if item.get("values"):
        rows.append((text_in(lang, "Value(s)"), fact_values_in(lang, [str(v) for v in item["values"]],
                                                               item.get("concept"))))
    if item.get("line") or (item.get("file") and item["file"] != report_file):
        where = str(item.get("line") or "")
        if item.get("file") and item["file"] != report_file:  # a file inside a report package
            where = f"{where} ({item['file']})".strip()
        rows.append((text_in(lang, "Line"), where))
    return rows


def _finding(pdf: Document, item: dict[str, Any], report_file: str, lang: str) -> None:
    code = clean(item["code"])
    what = item.get("label") or item.get("concept") or ""
    if item.get("label") and item.get("concept"):
        what = f"{item['label']} ({item['concept']})"
    pdf.set_font(MONO, "", 9.5)
    item_x = MARGIN + pdf.get_string_width(code) + 2 * pdf.c_margin + 2
    long_code = item_x > MARGIN + pdf.width / 3  # an unusually long code gets a line of its own
    indent = MARGIN + 4  # the body of a finding sits under its code
    message = item["message"].get(lang) or item["message"].get("nl", "")
    # What goes where: (font family, style, size, x, text, line height, key of a row or None).
    parts: list[tuple[str, str, float, float, str, float, str | None]] = []
    if long_code:
        parts.append((MONO, "", 9.5, MARGIN, code, LINE + 0.5, None))
    parts.append((SANS, "B", 10, MARGIN if long_code else item_x, clean(what), LINE + 0.5, None))
    parts.append((SANS, "", 10, indent, clean(message), LINE, None))
    parts += [(SANS, "", 9, indent + KEY_WIDTH, clean(value), LINE - 0.5, clean(key))
              for key, value in _rows(item, report_file, lang)]
    # A finding that fits on a page is not split over two; a longer one starts with its code,
    # its item and two lines of its message on one page.
    height = 0.0
    for family, style, size, x, value, line, _key in parts:
        pdf.set_font(family, style, size)
        height += line * len(wrap(pdf, value, pdf.w - MARGIN - x - 2 * pdf.c_margin))
    usable = pdf.page_break_trigger - pdf.t_margin
    pdf.room_for(height if height <= usable / 2 else 4 * LINE)
    if not long_code:
        pdf.set_font(MONO, "", 9.5)
        pdf.cell(item_x - MARGIN, LINE + 0.5, code)
    for family, style, size, x, value, line, key in parts:
        if key is not None:
            pdf.room_for(line)  # the key on the page of its value's first line
            pdf.set_x(indent)
            pdf.set_font(SANS, "", 8.5)
            pdf.set_text_color(*GREY)
            pdf.cell(KEY_WIDTH, line, key)
            pdf.set_text_color(0, 0, 0)
        pdf.set_font(family, style, size)
        pdf.lines(value, line, x=x)
    pdf.set_draw_color(*RULE)
    pdf.line(MARGIN, pdf.get_y() + 1.5, pdf.w - MARGIN, pdf.get_y() + 1.5)
    pdf.ln(3.5)


def _number(lang: str, name: str, value: float, threshold: bool = False) -> str:
    # As the page shows it (the same filters' core): cash in whole euros, every other value a ratio
    # with two decimals, its threshold with the decimals it has.
    if name == "cash":
        return amount_in(lang, value)
    return number_in(lang, value) if threshold else number_in(lang, value, 2)


def _signals(pdf: Document, report: dict[str, Any], lang: str) -> None:
    pdf.running = ""
    pdf.heading(text_in(lang, "The inspectorate's signalling values"))
    signals = report.get("signals")
    pdf.set_font(SANS, "", 9)  # the longest name and "Signaleringsgrens" each on one line
    if not signals:
        pdf.lines(text_in(lang, "Not computed: the file could not be read."), LINE)
        return
    heading = FontFace(emphasis="BOLD", fill_color=LIGHT)
    breach = FontFace(emphasis="BOLD", color=RED)
    ok = FontFace(color=GREEN)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)  # fpdf2's table fills its cells with the current fill colour
    with pdf.table(col_widths=(76, 28, 35, 35), text_align=("LEFT", "RIGHT", "RIGHT", "LEFT"), line_height=LINE + 1,
                   headings_style=heading, borders_layout="HORIZONTAL_LINES", cell_fill_mode="NONE",
                   width=pdf.width) as table:
        row = table.row()
        for heading_text in ("Key figure", "Value", "Threshold", "Signal"):
            row.cell(text_in(lang, heading_text))
        for name, signal in signals.items():
            row = table.row()
            key = f"signal_{name}"
            row.cell(named_in(lang, key) if key in NAMED else clean(name))
            if not signal.get("computable"):
                reason = signal_reason(signal.get("reason"), lang)
                row.cell(clean(text_in(lang, "Not computable") + f": {reason}"), colspan=3, align="LEFT")
                continue
            row.cell(_number(lang, name, signal["value"]))
            threshold = signal.get("threshold")
            if threshold is None:
                row.cell(text_in(lang, "no threshold"))
            else:
                row.cell(_number(lang, name, threshold, threshold=True))
            if signal.get("breach"):
                row.cell(text_in(lang, "Signal"), style=breach)
            elif threshold is not None:
                row.cell(text_in(lang, "Within the threshold"), style=ok)
            else:
                row.cell("")
    if report.get("signals_version"):
        pdf.ln(2)
        pdf.set_font(SANS, "", 8.5)
        pdf.set_text_color(*GREY)
        pdf.lines(text_in(lang, "Version of the thresholds: %(version)s", version=report["signals_version"]), LINE)
        pdf.set_text_color(0, 0, 0)
