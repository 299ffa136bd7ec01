"""The portal's PDFs, the validation report and the receipt, on one base so they read as one
portal's documents: A4, the same margins, font and colours, the portal's name above the title,
headings, key/value rows, and a footer with "page x of y" on every page.

The font is DejaVu Sans (and DejaVu Sans Mono for checksums and codes), shipped in portal/fonts
with its licence and embedded in every PDF (fpdf2 keeps only the glyphs used): a euro sign, a
Dutch ë or any name a board or a file has come out as written, on any machine, with nothing
installed by the system.

Everything that comes from a filing or a user (messages, labels, values, names) goes only into
plain cells: never markdown, never a format string, and fpdf2's page-count alias is off while it
is written (it is on only from a footer to the next page's header).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from .i18n import LANGUAGES, language, text_in

FONTS = Path(__file__).parent / "fonts"
SANS = "DejaVuSans"  # body text and headings (regular and bold)
MONO = "DejaVuSansMono"  # checksums, fingerprints, codes: every character as wide as the next
FONT_FILES = {(SANS, ""): "DejaVuSans.ttf", (SANS, "B"): "DejaVuSans-Bold.ttf", (MONO, ""): "DejaVuSansMono.ttf"}

BLUE = (21, 66, 115)
GREY = (90, 100, 112)
LIGHT = (232, 238, 245)
RULE = (200, 206, 214)
RED = (155, 16, 32)
GREEN = (20, 96, 47)
AMBER = (122, 83, 0)
STATUS_COLOURS = {"valid": GREEN, "valid-with-warnings": AMBER, "invalid": RED, "rejected": RED, "error": RED}
MARGIN = 18.0  # mm, all round; the footer sits in the bottom margin
LINE = 5.0  # mm per line of 10 pt text
PAGES = "{nb}"  # fpdf2's alias for the page count

_PLAIN = str.maketrans({"\t": " ", "\r": ""})


def requested_language() -> str:
    """The language a PDF download is made in: `?lang=nl` or `?lang=en` when the link asks for one
    (a board that reads English can still hand its accountant a Dutch receipt), else the reader's."""
    from flask import request  # only the views ask; the documents themselves are made anywhere

    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else language()


def clean(value: object) -> str:
    """`value` as text for a cell: tabs as spaces, control characters dropped (they have no glyph);
    every printable character stays as it is, the font has them."""
    plain = str(value).translate(_PLAIN)
    return "".join(c for c in plain if c == "\n" or c >= " " and not "\x7f" <= c <= "\x9f")


def wrap(pdf: FPDF, value: str, width: float) -> list[str]:
    """`value` broken into lines no wider than `width` mm in `pdf`'s current font: at spaces, and
    inside a word only where the word alone is wider than a line (a URL, a long value).

    Each word is measured once, from the font's glyph widths: fpdf2's multi_cell measures a line
    again for every character it adds, and its get_string_width copies the graphics state on every
    call; either took seconds for a report with hundreds of long findings."""
    font, size, k = pdf.current_font, pdf.font_size_pt, pdf.k

    def measure(part: str) -> float:
        return font.get_text_width(part, size, None)[1] / k

    space = measure(" ")
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            length = measure(word)
            if length > width:  # the word alone overflows: cut it where the line is full
                if line:
                    lines.append(line)
                line, used = "", 0.0
                for character in word:
                    step = measure(character)
                    if line and used + step > width:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + character, used + step
            elif line and used + space + length > width:
                lines.append(line)
                line, used = word, length
            else:
                line, used = (f"{line} {word}", used + space + length) if line else (word, length)
        lines.append(line)
    return lines


class Document(FPDF):
    """An A4 document of the portal in `lang`: the test banner (if any) on top of every page, a
    running line (if set) on top of every next page, a footer with `footer` and "page x of y"."""

    def __init__(self, lang: str, title: str, footer: str, banner: str | None = None) -> None:
        super().__init__(format="A4")
        self.lang_code = lang if lang in LANGUAGES else "nl"
        for (family, style), name in FONT_FILES.items():
            self.add_font(family, style, str(FONTS / name))
        self.footer_text = clean(footer)
        self.banner = banner
        self.running = ""  # e.g. the severity and statement being listed, repeated on the next page
        # fpdf2 would put the page count wherever "{nb}" occurs, also inside a filing's own text.
        self.alias_nb_pages(None)
        self.set_margins(MARGIN, MARGIN + (9 if banner else 0), MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_title(clean(title))
        self.set_creator(text_in(self.lang_code, "Education accountability portal"))
        self.set_lang(self.lang_code)

    def header(self) -> None:
        # Off for the page's body; the footer turns it on, and it must still be on after the
        # last page's footer, when output() substitutes the count.
        self.alias_nb_pages(None)
        if self.banner:
            self.set_xy(MARGIN, 8)
            self.set_fill_color(176, 0, 32)
            self.set_text_color(255, 255, 255)
            self.set_font(SANS, "B", 12)
            self.cell(self.width, 9, self.banner, align="C", fill=True)
        if self.running and self.page_no() > 1:
            self.set_xy(MARGIN, self.t_margin - 7)
            self.set_font(SANS, "", 8)
            self.set_text_color(*GREY)
            self.cell(self.width, 5, self.fit(self.running, self.width - 2 * self.c_margin))
        self.set_text_color(0, 0, 0)
        self.set_xy(MARGIN, self.t_margin)

    def footer(self) -> None:
        self.set_xy(MARGIN, -MARGIN + 6)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 1, self.w - MARGIN, self.get_y() - 1)
        self.set_font(SANS, "", 8)
        self.set_text_color(*GREY)
        self.cell(self.width - 32, 5, self.fit(self.footer_text, self.width - 34))
        # fpdf2 reserves the width of "000" for the count: written from its left, the count stands
        # right after "van"/"of" and ends just short of the margin.
        self.alias_nb_pages(PAGES, align="L")
        self.cell(32, 5, text_in(self.lang_code, "Page %(page)s of %(pages)s", page=self.page_no(), pages=PAGES),
                  align="R")
        self.set_text_color(0, 0, 0)

    def fit(self, line: str, width: float) -> str:
        """`line` cut short with "…" so that it fits `width` mm in the current font (one-line cells only)."""
        if self.get_string_width(line) <= width:
            return line
        while line and self.get_string_width(line + "…") > width:
            line = line[:-1]
        return line + "…"

    @property
    def width(self) -> float:
        """The width between the page margins."""
        return self.w - 2 * MARGIN

    def lines(self, value: str, height: float, x: float | None = None, fill: bool = False) -> None:
        """Write `value` from `x` to the right margin in the current font, wrapped, one plain cell per
        line, each line on the page where it fits; then go to the next line."""
        x = MARGIN if x is None else x
        width = self.w - MARGIN - x
        for line in wrap(self, clean(value), width - 2 * self.c_margin):
            self.room_for(height)
            self.set_x(x)
            self.cell(width, height, line, fill=fill, new_x="LMARGIN", new_y="NEXT")

    def room_for(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one (keeps a heading with its first line)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def title_block(self, title: str, subtitle: str | None = None) -> None:
        """The portal's name, small and blue, above the document's title (and a subtitle, such as a number)."""
        self.set_font(SANS, "B", 9)
        self.set_text_color(*BLUE)
        self.lines(text_in(self.lang_code, "Education accountability portal"), LINE)
        self.set_text_color(0, 0, 0)
        self.set_font(SANS, "B", 16)
        self.lines(title, 9)
        if subtitle:
            self.set_font(SANS, "", 12)
            self.lines(subtitle, 7)
        self.ln(3)

    def heading(self, title: str, colour: tuple[int, int, int] = BLUE, size: float = 13) -> None:
        """A section's heading, never the last line of a page."""
        self.ln(4)
        self.room_for(25)
        self.set_font(SANS, "B", size)
        self.set_text_color(*colour)
        self.lines(title, 7)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def row(self, key: str, value: str, key_width: float = 52, mono: bool = False, size: float = 10,
            colour: tuple[int, int, int] | None = None) -> None:
        """A key/value row: the key in bold, the value beside it (wrapped under itself); `mono` for a
        checksum or fingerprint, `colour` for a status."""
        self.room_for(6)
        self.set_font(SANS, "B", 10)
        self.cell(key_width, 6, self.fit(clean(key), key_width - 2 * self.c_margin))
        self.set_font(MONO if mono else SANS, "", size)
        if colour:
            self.set_text_color(*colour)
        self.lines(value, 6, x=MARGIN + key_width)
        self.set_text_color(0, 0, 0)
