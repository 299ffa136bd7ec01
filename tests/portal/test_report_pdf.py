"""The validation report as PDF: every finding, the verdict and the signals of real reports, in one
language, with amounts and numbers in that language's notation and every character as written (the
euro sign, Dutch and other letters); hundreds of long findings paginate without any text past the
margin; the test banner; the download through the app, for the board's own users only."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF
from pypdf import PdfReader

from portal.db import get_db
from portal import pdf as base
from portal.filings import report_pdf
from portal.filings.models import Filing
from portal.formatting import fact_values_in
from portal.i18n import named_in, text_in
from taxonomies.samples import SAMPLES_DIR
from validators import Engine

from ..samples import BROKEN
from .conftest import csrf_token, log_in, run_jobs, upload_page

# Every broken sample (one finding each, of every kind), a valid one, and one filed for another
# board (one FR-ENTITY finding that names that board); and, for pages enough, one report that
# carries all their real findings three times over.
SAMPLES = [*sorted((SAMPLES_DIR / "2025/broken").glob("*.xbrl")), SAMPLES_DIR / "2025/valid/po-small.xbrl",
           SAMPLES_DIR / "2025/valid/mbo.xbrl"]
# An en dash, a euro sign and a Polish ł (none of them Latin-1) and a Dutch ë: each printed as written.
BOARD_NAME = "Stichting Marie Skłodowska-Curie Reünie – €-fonds"
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def reports(shared_engine: Engine) -> dict[str, dict[str, Any]]:
    """The real reports of the samples, plus a file rejected at intake (no taxonomy, no signals)."""
    found = {p.name: shared_engine.validate(p.read_bytes(), p.name, "41234", 2025).to_dict() for p in SAMPLES}
    found["empty.xbrl"] = shared_engine.validate(b"", "empty.xbrl", "41234", 2025).to_dict()
    gathered = [f for report in found.values() for f in report["findings"]]
    found["gathered"] = {**found["mbo.xbrl"], "findings": gathered * 3}  # several pages of real findings
    return found


@pytest.fixture(scope="module")
def documents(reports: dict[str, dict[str, Any]]) -> dict[tuple[str, str], str]:
    """The text of every report's PDF in each language, made once for the tests that read them."""
    return {(name, lang): "\n".join(pages(report_pdf.render(report, BOARD_NAME, 1, lang)))
            for name, report in reports.items() for lang in ("nl", "en")}


def pages(pdf: bytes) -> list[str]:
    """The text of every page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(value: str) -> str:
    # Wrapping puts line breaks anywhere, also inside a long word: compare without any white space.
    return "".join(value.split())


def contains(pdf_text: str, expected: object) -> bool:
    """True when the PDF's text has `expected` as written (less control characters), wherever lines
    were broken. An empty `expected` is refused: it is in every text, so the check could never fail."""
    needle = flat(base.clean(expected))
    assert needle, f"nothing to look for in {expected!r}"
    return needle in flat(pdf_text)


def test_every_finding_with_its_code_label_message_values_period_and_line(reports: dict[str, dict[str, Any]],
                                                                          documents: dict[tuple[str, str], str]) -> None:
    assert sum(len(r["findings"]) for r in reports.values()) >= 30
    # A finding about a fact has its label, concept and line; one about the whole file (refused at
    # intake, a wrong entry point) has none of them: both kinds are here, and each shows what it has.
    findings = [f for r in reports.values() for f in r["findings"]]
    assert any(f["label"] for f in findings) and any(f["label"] is None for f in findings)
    for name, report in reports.items():
        for lang in ("nl", "en"):
            document = documents[name, lang]
            # The entry point when the file got as far as a taxonomy (not when it was refused at intake).
            taxonomy = [report["taxonomy"]["entry_point"]] if report["taxonomy"] else []
            assert taxonomy or report["status"] == "rejected", name
            for expected in (report["board"], BOARD_NAME, report["year"], report["file"]["name"],
                             report["file"]["sha256"], *taxonomy):
                assert contains(document, expected), (name, lang, expected)
            for finding in report["findings"]:
                shown = [finding[key] for key in ("label", "concept", "line") if finding[key] is not None]
                # The values as reported, numbers in the document's notation (1.522.407 in Dutch).
                values = fact_values_in(lang, [str(v) for v in finding["values"]], finding["concept"])
                for expected in (finding["code"], *shown, finding["message"][lang], *filter(None, values.split(", "))):
                    assert contains(document, expected), (name, lang, expected)
                if finding["period"]:
                    start, _, end = finding["period"].partition("/")
                    period = text_in(lang, "%(start)s to %(end)s", start=start, end=end) if end else start
                    assert contains(document, period), (name, lang, period)
                for member in finding["dimensions"].values():
                    assert contains(document, member.split(":")[-1]), (name, lang, member)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_verdict_with_the_counts_per_severity(reports: dict[str, dict[str, Any]],
                                                  documents: dict[tuple[str, str], str], lang: str) -> None:
    for name, report in reports.items():
        document = documents[name, lang]
        assert contains(document, named_in(lang, f"status_{report['status']}")), name
        assert contains(document, named_in(lang, f"explain_{report['status']}")), name
        for severity in ("error", "inconsistency", "warning"):
            count = sum(1 for f in report["findings"] if f["severity"] == severity)
            assert contains(document, f"{named_in(lang, 'severity_' + severity)}: {count}"), (name, severity)
    statuses = {r["status"] for r in reports.values()}
    assert statuses == {"valid", "valid-with-warnings", "invalid", "rejected"}  # every verdict was seen


def test_the_signals_as_the_page_shows_them(reports: dict[str, dict[str, Any]]) -> None:
    report = copy.deepcopy(reports["EDU-BAL-01.xbrl"])
    signals = report["signals"]
    signals["cash"].update(value=1234567.4, threshold=500000)
    signals["housing_ratio"].update(value=0.1234, threshold=0.1, breach=True)
    signals["resilience"].update(value=None, computable=False, reason="missing input: Equity")
    for lang, breach, reason, cash, solvency, housing in (
            ("nl", "Signaal", "Niet te berekenen: ontbrekend gegeven: Equity", ("€ 1.234.567", "€ 500.000"), ",", "0,12 0,1"),
            ("en", "Signal", "Not computable: missing input: Equity", ("€1,234,567", "€500,000"), ".", "0.12 0.1")):
        document = "\n".join(pages(report_pdf.render(report, BOARD_NAME, 1, lang)))
        for name, signal in signals.items():
            assert contains(document, named_in(lang, f"signal_{name}")), name
        # Cash in whole euros with the euro sign, in the language's notation, as on the page.
        assert all(amount in document for amount in cash), (lang, cash)
        assert contains(document, f"{signals['solvency2']['value']:.2f}".replace(".", solvency))  # two decimals
        assert contains(document, f"{housing} {breach}")  # the breached value, its threshold, flagged
        assert contains(document, reason)
        assert contains(document, text_in(lang, "Version of the thresholds: %(version)s", version=report["signals_version"]))
    rejected = "\n".join(pages(report_pdf.render(reports["empty.xbrl"], BOARD_NAME, 1, "en")))
    assert contains(rejected, text_in("en", "Not computed: the file could not be read.")) and contains(rejected, "IN-EMPTY")


def test_the_euro_sign_and_every_letter_as_written(reports: dict[str, dict[str, Any]]) -> None:
    report = copy.deepcopy(reports["po-small.xbrl"])
    report["file"]["name"] = "jaarrekening-Daniëls-€.xbrl"
    for lang, size in (("nl", "21.329 bytes"), ("en", "21,329 bytes")):
        report["file"]["size"] = 21329
        document = "\n".join(pages(report_pdf.render(report, BOARD_NAME, 1, lang)))
        # Not "EUR", not "?": the embedded font has the euro sign, the ł and the ë.
        assert BOARD_NAME in document and "jaarrekening-Daniëls-€.xbrl" in document
        assert "EUR" not in document and "?" not in document
        assert size in document


def test_one_language_at_a_time(reports: dict[str, dict[str, Any]], documents: dict[tuple[str, str], str]) -> None:
    compared = 0
    for name, report in reports.items():
        dutch, english = documents[name, "nl"], documents[name, "en"]
        for finding in report["findings"]:
            nl, en = finding["message"]["nl"], finding["message"]["en"]
            assert not contains(english, nl) and not contains(dutch, en), finding["code"]
            compared += 1
        for msgid in ("Validation report: annual accounts", "Verdict", "The inspectorate's signalling values",
                      "Threshold"):
            assert not contains(english, text_in("nl", msgid)) and not contains(dutch, msgid)
    assert compared >= 30


def _long_report(count: int) -> dict[str, Any]:
    """A synthetic report with `count` long findings over every severity and several statements,
    with words longer than a line (a URL, a value) that must be broken inside."""
    statements = [None, "200 - Balans (Balance sheet)", "300 - Staat van baten en lasten (Statement of income and expenses)",
                  "900 - A statement of another taxonomy whose definition is long enough to need a second line " * 2]
    url = "https://xbrl.onderwijs.example/" + "very-long-path-segment/" * 12 + "entrypoint.xsd"
    findings = []
    for i in range(count):
        findings.append({
            "code": f"FR-LONG-{i:03d}", "severity": ("error", "inconsistency", "warning", "info")[i % 4],
            "message": {"nl": f"Bevinding {i}: " + "de waarde wijkt af van wat de regel verwacht, " * 12 + url,
                        "en": f"Finding {i}: " + "the value differs from what the rule expects, " * 12 + url},
            "concept": f"edu:Concept{i}", "label": f"Een lange naam van post {i} " + "met nog meer woorden " * 6,
            "context": f"C{i}", "period": "2025-01-01/2025-12-31", "dimensions": {"edu:WNTOfficialAxis": f"W{i:04d}"},
            "values": [str(10 ** 30 + i), "x" * 300, "€ 1.000,– en ‘quotes’ {nb} **not bold**"],
            "file": "jaarverslag.xbrl", "line": 1000 + i, "statement": statements[i % len(statements)]})
    return {"status": "invalid", "board": "41234", "year": 2025,
            "file": {"name": "jaarverslag-" + "lang" * 60 + ".xbrl", "size": 123456, "sha256": "ab" * 32},
            "taxonomy": {"year": 2025, "entry_point": url, "package_sha256": "cd" * 32},
            "findings": findings, "signals": None, "signals_version": None, "timings": {}}


def measuring() -> FPDF:
    """A blank FPDF with the portal's fonts, to measure text as the PDFs set it."""
    measure = FPDF()
    for (family, style), name in base.FONT_FILES.items():
        measure.add_font(family, style, str(base.FONTS / name))
    return measure


# The embedded fonts' names (after the subset's tag) and the portal's families they come from.
FONTS = {"DejaVuSansBook": (base.SANS, ""), "DejaVuSansBold": (base.SANS, "B"), "DejaVuSansMonoBook": (base.MONO, "")}


def overflows(pdf: bytes) -> list[tuple[int, str, float]]:
    """Every piece of text whose right end lies past the right margin (or that starts left of the
    left one), measured with the fonts' own metrics: (page, text, its right end in mm)."""
    measure = measuring()
    left, right = base.MARGIN * PT_PER_MM - 0.5, (210 - base.MARGIN) * PT_PER_MM + 0.5
    found: list[tuple[int, str, float]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        def visit(piece: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
            shown = piece.lstrip("\n").rstrip()  # pypdf adds line breaks; trailing blanks show nothing
            if not shown:
                return
            measure.set_font(*FONTS[font["/BaseFont"].split("+")[-1]], size=size)
            start = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            end = start + measure.get_string_width(shown) * PT_PER_MM
            if start < left or end > right:
                found.append((number, shown, end / PT_PER_MM))
        page.extract_text(visitor_text=visit)
    return found


def test_four_hundred_long_findings_paginate_within_the_margins() -> None:
    counts = [len(PdfReader(io.BytesIO(report_pdf.render(_long_report(n), BOARD_NAME, 1, "nl"))).pages) for n in (1, 40)]
    many = report_pdf.render(_long_report(400), BOARD_NAME, 1, "nl", test_version=True)
    many_pages = pages(many)
    assert counts[0] < counts[1] < len(many_pages)  # the page count grows with the findings
    document = "\n".join(many_pages)
    for i in range(400):
        assert f"FR-LONG-{i:03d}" in document
    assert contains(document, "€ 1.000,– en ‘quotes’ {nb} **not bold**")  # as written: no markup, no page count
    assert overflows(many) == []
    # And line by line, as a reader sees it: no line holds more than fits between the margins
    # in the narrowest letters of the smallest font used.
    measure = measuring()
    measure.set_font(base.SANS, "", 8)
    most = int((210 - 2 * base.MARGIN) / measure.get_string_width("i"))
    assert max(len(line) for page in many_pages for line in page.splitlines()) < most


def test_overflow_check_sees_text_past_the_margin() -> None:
    pdf = measuring()
    pdf.add_page()
    pdf.set_font(base.SANS, "", 10)
    pdf.cell(0, 5, "x" * 200)  # a plain cell does not wrap
    assert overflows(bytes(pdf.output()))


def test_the_test_banner_and_the_footer_on_every_page(reports: dict[str, dict[str, Any]]) -> None:
    report = reports["gathered"]
    for lang, banner, page_word in (("nl", "TESTVERSIE - niet ingediend", "Pagina"), ("en", "TEST VERSION - not submitted", "Page")):
        test = pages(report_pdf.render(report, BOARD_NAME, 2, lang, test_version=True))
        assert len(test) > 1
        for number, page in enumerate(test, 1):
            assert banner in page
            assert f"{page_word} {number} " in page and f" {len(test)}" in page
            assert report["file"]["sha256"][:16] in page
        assert not any(banner in page for page in pages(report_pdf.render(report, BOARD_NAME, 2, lang)))


def _filing_page_has_the_pdf_link(client: FlaskClient, label: str) -> None:
    page = client.get("/filings/1").get_data(as_text=True)
    assert 'href="/filings/1/report.pdf"' in page and label in page


def test_download_through_the_app_in_the_users_language(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    assert client.get("/filings/1/report.pdf").status_code == 404  # no report yet
    run_jobs(app)
    _filing_page_has_the_pdf_link(client, "Validatierapport (PDF)")
    response = client.get("/filings/1/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename=validatierapport-41234-2025-v1.pdf'
    document = "\n".join(pages(response.data))
    assert "Validatierapport" in document and "EDU-BAL-01" in document and "Totaal activa" in document
    assert "TESTVERSIE" not in document
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    _filing_page_has_the_pdf_link(client, "Validation report (PDF)")
    english = "\n".join(pages(client.get("/filings/1/report.pdf").data))
    assert "Validation report" in english and "Validatierapport" not in english
    # A test version says so on every page.
    with app.app_context():
        db = get_db()
        db.get(Filing, 1).is_test = True
        db.commit()
    marked = pages(client.get("/filings/1/report.pdf").data)
    assert all("TEST VERSION - not submitted" in page for page in marked)


def test_another_boards_user_gets_not_found(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    run_jobs(app)
    assert client.get("/filings/1/report.pdf").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "bestuur2@demo.example")  # boards 30567 and 25123, not 41234
    assert client.get("/filings/1/report.pdf").status_code == 404
    assert client.get("/filings/999/report.pdf").status_code == 404  # as for a filing that does not exist
