"""The validation report as a PDF, for people (the report.json download is for software).

It follows the report on the page (_report.html) in order and words: the verdict, then every
finding by severity (errors first) and by statement, then the inspectorate's signalling values,
in one language. Like the receipt it uses fpdf2's core fonts, which cover Latin-1: enough for
Dutch once a few typographic characters (the euro sign among them) are written out.

Everything that comes from a filing (messages, labels, values, the file name) goes only into
plain cells: never markdown, never a format string, and fpdf2's page-count alias is off while
it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from validators.report import SEVERITIES

from ..i18n import by_statement, named_in, signal_reason, statement_label, text_in
from ..vocabulary import NAMED

BLUE = (21, 66, 115)
GREY = (90, 100, 112)
LIGHT = (232, 238, 245)
RULE = (200, 206, 214)
SEVERITY_COLOURS = {"error": (176, 0, 32), "inconsistency": (160, 70, 0), "warning": (122, 83, 0),
                    "info": GREY}
STATUS_COLOURS = {"valid": (20, 96, 47), "valid-with-warnings": (122, 83, 0), "invalid": (155, 16, 32),
                  "rejected": (155, 16, 32), "error": (155, 16, 32)}
MARGIN = 18.0  # mm, all round; the footer sits in the bottom margin
LINE = 5.0  # mm per line of 10 pt text
KEY_WIDTH = 28.0  # mm, the labels of key/value rows within a finding
PAGES = "{nb}"  # fpdf2's alias for the page count

# Characters Dutch texts use that Latin-1 lacks, written out rather than lost as '?'.
_PLAIN = str.maketrans({"\u20ac": "EUR", "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
                        "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2026": "...",
                        "\u2022": "-", "\u2009": " ", "\u202f": " ", "\u00a0": " ", "\t": " ", "\r": ""})


def latin(value: object) -> str:
    """`value` as text the PDF core fonts can show: typographic characters written out, control
    characters dropped, anything else outside Latin-1 as '?'. Tests compare against this."""
    plain = str(value).translate(_PLAIN)
    plain = "".join(c for c in plain if c == "\n" or c >= " ")
    return plain.encode("latin-1", "replace").decode("latin-1")


def wrap(pdf: FPDF, value: str, width: float) -> list[str]:
    """`value` broken into lines no wider than `width` mm in `pdf`'s current (core) font: at spaces,
    and inside a word only where the word alone is wider than a line (a URL, a long value).

    Each word is measured once, from the font's character widths: fpdf2's multi_cell measures a
    line again for every character it adds, and its get_string_width copies the graphics state on
    every call; either took seconds for a report with hundreds of long findings."""
    widths, scale = pdf.current_font.cw, pdf.font_size_pt * 0.001 / pdf.k

    def measure(part: str) -> float:
        return sum(widths[c] for c in part) * scale

    space = measure(" ")
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            size = measure(word)
            if size > width:  # the word alone overflows: cut it where the line is full
                if line:
                    lines.append(line)
                line, used = "", 0.0
                for character in word:
                    step = measure(character)
                    if line and used + step > width:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + character, used + step
            elif line and used + space + size > width:
                lines.append(line)
                line, used = word, size
            else:
                line, used = (f"{line} {word}", used + space + size) if line else (word, size)
        lines.append(line)
    return lines


class _Document(FPDF):
    """A4 with the test banner (if any) on top of every page and a footer line on every page."""

    def __init__(self, lang: str, footer: str, banner: str | None) -> None:
        super().__init__(format="A4")
        self.lang_code = lang
        self.footer_text = footer
        self.banner = banner
        self.running = ""  # the severity and statement being listed, repeated on top of the next page
        # fpdf2 would put the page count wherever "{nb}" occurs, also inside a filing's own text:
        # the alias is on only from a footer to the next page's header (see there).
        self.alias_nb_pages(None)
        self.set_margins(MARGIN, MARGIN + (9 if banner else 0), MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)

    def header(self) -> None:
        # Off for the page's body; the footer turns it on, and it must still be on after the
        # last page's footer, when output() substitutes the count.
        self.alias_nb_pages(None)
        if self.banner:
            self.set_xy(MARGIN, 8)
            self.set_fill_color(176, 0, 32)
            self.set_text_color(255, 255, 255)
            self.set_font("Helvetica", "B", 12)
            self.cell(self.width, 9, self.banner, align="C", fill=True)
        if self.running and self.page_no() > 1:
            self.set_xy(MARGIN, self.t_margin - 7)
            self.set_font("Helvetica", "", 8)
            self.set_text_color(*GREY)
            self.cell(self.width, 5, self.fit(self.running, self.width - 2 * self.c_margin))
        self.set_text_color(0, 0, 0)
        self.set_xy(MARGIN, self.t_margin)

    def footer(self) -> None:
        self.set_xy(MARGIN, -MARGIN + 6)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 1, self.w - MARGIN, self.get_y() - 1)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*GREY)
        self.cell(self.width - 30, 5, self.fit(self.footer_text, self.width - 32))
        # fpdf2 reserves the width of "000" for the count: written from its left, the count stands
        # right after "van"/"of" and ends just short of the margin.
        self.alias_nb_pages(PAGES, align="L")
        self.cell(30, 5, text_in(self.lang_code, "Page %(page)s of %(pages)s", page=self.page_no(), pages=PAGES), align="R")
        self.set_text_color(0, 0, 0)

    def fit(self, line: str, width: float) -> str:
        """`line` cut short with "..." so that it fits `width` mm in the current font (one-line cells only)."""
        if self.get_string_width(line) <= width:
            return line
        while line and self.get_string_width(line + "...") > width:
            line = line[:-1]
        return line + "..."

    @property
    def width(self) -> float:
        """The width between the page margins."""
        return self.w - 2 * MARGIN

    def lines(self, value: str, height: float, x: float | None = None, fill: bool = False) -> None:
        """Write `value` (already `latin`) from `x` to the right margin in the current font, wrapped,
        one plain cell per line, each line on the page where it fits; then go to the next line."""
        x = MARGIN if x is None else x
        width = self.w - MARGIN - x
        for line in wrap(self, value, width - 2 * self.c_margin):
            self.room_for(height)
            self.set_x(x)
            self.cell(width, height, line, fill=fill, new_x="LMARGIN", new_y="NEXT")

    def room_for(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one (keeps a heading with its first line)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


def render(report: dict[str, Any], board_name: str, version: int | str, language: str, test_version: bool = False) -> bytes:
    """The validation report (the published report JSON, as a dict) as an A4 PDF in `language` (nl or en): the filing's
    facts, the verdict, every finding by severity and statement, and the signalling values; a footer
    with the page number and the file's SHA-256 prefix on every page, and with `test_version` a banner
    saying it is a test version on every page."""
    lang = language if language in ("nl", "en") else "nl"
    file = report["file"]
    title = text_in(lang, "Validation report: annual accounts")
    footer = latin(f"{title} - {report['board']} - {report['year']} - "
                   f"{text_in(lang, 'Version').lower()} {version} - SHA-256 {file['sha256'][:16]}")
    pdf = _Document(lang, footer, text_in(lang, "TEST VERSION - not submitted") if test_version else None)
    pdf.set_title(latin(f"{title} {report['board']} {report['year']} v{version}"))
    pdf.set_creator("Verantwoordingsportaal onderwijs")
    pdf.set_lang(lang)
    pdf.add_page()
    _facts(pdf, report, board_name, version, lang)
    _verdict(pdf, report, lang)
    _findings(pdf, report, lang)
    _signals(pdf, report, lang)
    return bytes(pdf.output())


def _facts(pdf: _Document, report: dict[str, Any], board_name: str, version: int | str, lang: str) -> None:
    pdf.set_font("Helvetica", "B", 16)
    pdf.lines(latin(text_in(lang, "Validation report: annual accounts")), 9)
    pdf.ln(3)
    file = report["file"]
    taxonomy = report.get("taxonomy") or {}
    # Identifiers a size smaller, so that the SHA-256 and an entry point fit on one line.
    size_text = text_in(lang, "%(size)s bytes", size=file["size"])
    rows = [(text_in(lang, "School board"), f"{report['board']} {board_name}", "Helvetica", 10),
            (text_in(lang, "Reporting year"), str(report["year"]), "Helvetica", 10),
            (text_in(lang, "Version"), str(version), "Helvetica", 10),
            (text_in(lang, "File"), f"{file['name']} ({size_text})", "Helvetica", 10),
            (text_in(lang, "Checksum (SHA-256)"), file["sha256"], "Courier", 9),
            (text_in(lang, "Taxonomy"), taxonomy.get("entry_point") or "-", "Helvetica", 9)]
    for label, value, font, size in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(46, 6, latin(label))
        pdf.set_font(font, "", size)
        pdf.lines(latin(value), 6, x=MARGIN + 46)


def _heading(pdf: _Document, title: str, colour: tuple[int, int, int] = BLUE, size: int = 13) -> None:
    pdf.ln(4)
    pdf.room_for(25)  # a heading never ends a page
    pdf.set_font("Helvetica", "B", size)
    pdf.set_text_color(*colour)
    pdf.lines(latin(title), 7)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _count(findings: Iterable[dict[str, Any]], severity: str) -> int:
    return sum(1 for f in findings if f["severity"] == severity)


def _verdict(pdf: _Document, report: dict[str, Any], lang: str) -> None:
    _heading(pdf, text_in(lang, "Verdict"))
    status = report["status"]
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(*STATUS_COLOURS.get(status, GREY))
    pdf.lines(latin(named_in(lang, f"status_{status}")), 7)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "", 10)
    pdf.lines(latin(named_in(lang, f"explain_{status}")), LINE)
    findings = report["findings"]
    shown = ["error", "inconsistency", "warning"] + (["info"] if _count(findings, "info") else [])
    counts = "   ".join(f"{named_in(lang, 'severity_' + s)}: {_count(findings, s)}" for s in shown)
    pdf.set_font("Helvetica", "B", 10)
    pdf.lines(latin(counts), LINE + 1)


def _findings(pdf: _Document, report: dict[str, Any], lang: str) -> None:
    findings = report["findings"]
    if not findings:
        _heading(pdf, text_in(lang, "Findings"))
        pdf.set_font("Helvetica", "", 10)
        pdf.lines(latin(text_in(lang, "There are no findings.")), LINE)
        return
    for severity in SEVERITIES:
        group = [f for f in findings if f["severity"] == severity]
        if not group:
            continue
        _heading(pdf, f"{named_in(lang, 'severity_' + severity)} ({len(group)})", SEVERITY_COLOURS[severity])
        # Grouped as on the page: "general" (no statement) first, then by statement.
        for statement, items in by_statement(group):
            pdf.running = latin(f"{named_in(lang, 'severity_' + severity)} - {statement_label(statement, lang)}")
            pdf.room_for(30)
            pdf.set_font("Helvetica", "B", 11)
            pdf.set_fill_color(*LIGHT)
            pdf.set_text_color(*BLUE)
            pdf.lines(latin(statement_label(statement, lang)), 7, fill=True)
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
        rows.append((text_in(lang, "Value(s)"), ", ".join(str(v) for v in item["values"])))
    if item.get("line") or (item.get("file") and item["file"] != report_file):
        where = str(item.get("line") or "")
        if item.get("file") and item["file"] != report_file:  # a file inside a report package
            where = f"{where} ({item['file']})".strip()
        rows.append((text_in(lang, "Line"), where))
    return rows


def _finding(pdf: _Document, item: dict[str, Any], report_file: str, lang: str) -> None:
    code = latin(item["code"])
    what = item.get("label") or item.get("concept") or ""
    if item.get("label") and item.get("concept"):
        what = f"{item['label']} ({item['concept']})"
    pdf.set_font("Courier", "B", 9.5)
    item_x = MARGIN + pdf.get_string_width(code) + 2 * pdf.c_margin + 2
    long_code = item_x > MARGIN + pdf.width / 3  # an unusually long code gets a line of its own
    indent = MARGIN + 4  # the body of a finding sits under its code
    message = item["message"].get(lang) or item["message"].get("nl", "")
    # What goes where: (font family, style, size, x, text, line height, key of a row or None).
    parts: list[tuple[str, str, float, float, str, float, str | None]] = []
    if long_code:
        parts.append(("Courier", "B", 9.5, MARGIN, code, LINE + 0.5, None))
    parts.append(("Helvetica", "B", 10, MARGIN if long_code else item_x, latin(what), LINE + 0.5, None))
    parts.append(("Helvetica", "", 10, indent, latin(message), LINE, None))
    parts += [("Helvetica", "", 9, indent + KEY_WIDTH, latin(value), LINE - 0.5, latin(key))
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
        pdf.set_font("Courier", "B", 9.5)
        pdf.cell(item_x - MARGIN, LINE + 0.5, code)
    for family, style, size, x, value, line, key in parts:
        if key is not None:
            pdf.room_for(line)  # the key on the page of its value's first line
            pdf.set_x(indent)
            pdf.set_font("Helvetica", "", 8.5)
            pdf.set_text_color(*GREY)
            pdf.cell(KEY_WIDTH, line, key)
            pdf.set_text_color(0, 0, 0)
        pdf.set_font(family, style, size)
        pdf.lines(value, line, x=x)
    pdf.set_draw_color(*RULE)
    pdf.line(MARGIN, pdf.get_y() + 1.5, pdf.w - MARGIN, pdf.get_y() + 1.5)
    pdf.ln(3.5)


def _number(name: str, value: float) -> str:
    # As the page shows it: cash in whole euros, every other value a ratio with two decimals.
    return f"EUR {value:,.0f}" if name == "cash" else f"{value:.2f}"


def _signals(pdf: _Document, report: dict[str, Any], lang: str) -> None:
    pdf.running = ""
    _heading(pdf, text_in(lang, "The inspectorate's signalling values"))
    signals = report.get("signals")
    pdf.set_font("Helvetica", "", 9.5)  # the longest name and "Signaleringsgrens" each on one line
    if not signals:
        pdf.lines(latin(text_in(lang, "Not computed: the file could not be read.")), LINE)
        return
    heading = FontFace(emphasis="BOLD", fill_color=LIGHT)
    breach = FontFace(emphasis="BOLD", color=(155, 16, 32))
    ok = FontFace(color=(20, 96, 47))
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)  # fpdf2's table fills its cells with the current fill colour
    with pdf.table(col_widths=(72, 32, 36, 34), text_align=("LEFT", "RIGHT", "RIGHT", "LEFT"), line_height=LINE + 1,
                   headings_style=heading, borders_layout="HORIZONTAL_LINES", cell_fill_mode="NONE",
                   width=pdf.width) as table:
        row = table.row()
        for heading_text in ("Key figure", "Value", "Threshold", "Signal"):
            row.cell(latin(text_in(lang, heading_text)))
        for name, signal in signals.items():
            row = table.row()
            key = f"signal_{name}"
            row.cell(latin(named_in(lang, key) if key in NAMED else name))
            if not signal.get("computable"):
                reason = signal_reason(signal.get("reason"), lang)
                row.cell(latin(text_in(lang, "Not computable") + f": {reason}"), colspan=3, align="LEFT")
                continue
            row.cell(_number(name, signal["value"]))
            threshold = signal.get("threshold")
            if threshold is None:
                row.cell(latin(text_in(lang, "no threshold")))
            else:
                row.cell(f"EUR {threshold:,.0f}" if name == "cash" else str(threshold))
            if signal.get("breach"):
                row.cell(latin(text_in(lang, "Signal")), style=breach)
            elif threshold is not None:
                row.cell(latin(text_in(lang, "Within the threshold")), style=ok)
            else:
                row.cell("")
    if report.get("signals_version"):
        pdf.ln(2)
        pdf.set_font("Helvetica", "", 8.5)
        pdf.set_text_color(*GREY)
        pdf.lines(latin(text_in(lang, "Version of the thresholds: %(version)s", version=report["signals_version"])), LINE)
        pdf.set_text_color(0, 0, 0)
