"""Every role's pages and the states in between, walked once in a real browser: no page is wider
than the screen at 390 and 360 px; axe-core finds nothing of impact serious or critical at 1366
and 390 px; no link or GET form on a page answers 403, 404 or 5xx for the role that sees it
(downloads included); Dutch pages write numbers in Dutch notation, and an English page in English.

One browser, one login per role (the board's and the accountant's sessions stay open while the
others act), each page state checked once; the checks are in tests/e2e/pagecheck.py. The tests
below each assert one kind of problem the single walk collected. The walk runs on a portal of its
own (fresh demo data), so the versions and the receipt number do not depend on other tests.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Container, Iterator
from dataclasses import dataclass, field

import pytest

from ..samples import BROKEN, VALID
from .conftest import demo_portal, log_in, shot
from .pagecheck import blocking_violations, dead_links, dutch_amounts, english_numbers, page_links, too_wide

FIT_WIDTHS = (390, 360)  # phones: the page must not be wider than the screen
AXE_WIDTHS = (1366, 390)  # a laptop and a phone: axe on both layouts
HEIGHT = 800
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PASSPHRASE = "een lange wachtwoordzin"
REFUSED = range(400, 430)  # a form's refusal, drawn on the page the form was on
# The page states that show amounts: each must show some in its language's notation.
AMOUNT_PAGES = ("board-report-invalid", "board-report-valid", "board-statements", "inspectorate-statements", "accountant-filing", "ocw-year", "inspectorate-list",
                "inspectorate-board")


@dataclass
class Walk:
    """What the walk found, by kind, and the visible text of every page state (by name: language, text)."""

    server: str
    fit: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # the findings' Values column, by page state
    seconds: float = 0.0
    refused_upload: str = ""  # where the board landed after uploading a PDF
    _to_follow: dict[object, dict[str, str]] = field(default_factory=dict)  # per browser context (role)

    def check(self, page: object, name: str, path: str | None = None, lang: str = "nl",
              expect: Container[int] = (200,)) -> None:
        """Open `path` (or take the page as it is: the answer to a click) and check it at every width;
        a page state that answers otherwise than `expect` is a dead end, counted with the dead links.
        Screenshots at 1366 and 390 px land in tests/e2e/screenshots/ (git-ignored) for people to look at."""
        if path is not None:
            page.goto(self.server + path)
        status = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStatus")
        if status not in expect:
            expected = f"{expect.start}-{expect.stop - 1}" if isinstance(expect, range) else "/".join(map(str, expect))
            self.links.append(f"{name}: the page itself ({page.url.removeprefix(self.server)}) answers {status},"
                              f" not {expected}")
        self.texts[name] = (lang, page.inner_text("body"))
        self.values[name] = "\n".join(page.locator(".findings tbody td:nth-child(4)").all_inner_texts())
        for url in page_links(page):
            self._to_follow.setdefault(page.context, {}).setdefault(url, name)
        for width in sorted({*FIT_WIDTHS, *AXE_WIDTHS}, reverse=True):
            page.set_viewport_size({"width": width, "height": HEIGHT})
            # Two frames: the resize event has run (layout.js gives an overflowing table its tab stop then).
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            if width in FIT_WIDTHS and (extra := too_wide(page)):
                self.fit.append(f"{name} at {width} px: {extra} px wider than the screen")
            if width in AXE_WIDTHS:
                self.axe.extend(f"{name} at {width} px: {line}" for line in blocking_violations(page))
                shot(page, f"layout-{name}-{width}")
        page.set_viewport_size({"width": 1366, "height": HEIGHT})

    def follow_links(self, context: object) -> None:
        """Request every link the role of `context` was shown (once each), before its session ends."""
        self.links.extend(dead_links(context, self._to_follow.pop(context, {})))


def _upload(page: object, server: str, name: str, data: bytes, mime: str = "application/xml") -> None:
    """Upload `data` as board 41234's 2025 filing through the year page."""
    page.goto(server + "/boards/41234/2025")
    page.set_input_files("#file", {"name": name, "mimeType": mime, "buffer": data})
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")


def _validated(page: object) -> str:
    page.wait_for_selector(".summary", timeout=120_000)
    return page.url.removeprefix(page.url.split("/filings/")[0])


def _in_english(walk: Walk, page: object, name: str) -> None:
    """Switch the pages to English with the header's switch, on the page as it is, and check it."""
    page.click("form[action^='/language/'] button")
    page.wait_for_selector("html[lang=en]")
    walk.check(page, name, lang="en")


def _log_in(walk: Walk, browser: object, email: str) -> tuple[object, object]:
    context = browser.new_context(viewport={"width": 1366, "height": HEIGHT}, locale="nl-NL")
    page = context.new_page()
    log_in(page, walk.server, email)
    page.wait_for_url(walk.server + "/")
    return context, page


def _board_uploads(walk: Walk, page: object) -> str:
    """The board authorises the accountant, uploads a broken and a valid version, and a PDF that is refused."""
    server = walk.server
    walk.check(page, "board-home", "/")
    page.goto(server + "/boards/41234/2025")
    page.select_option("select[name=firm_id]", label="Accountants Noord B.V.")
    page.click("#authorisations button.secondary")
    _upload(page, server, "EDU-BAL-01.xbrl", BROKEN)
    invalid = _validated(page)
    walk.check(page, "board-report-invalid", invalid)
    walk.check(page, "board-statements-invalid", invalid + "/statements")  # a finding at its row
    _upload(page, server, "po-small.xbrl", VALID)
    valid = _validated(page)
    _upload(page, server, "jaarverslag.pdf", PDF, "application/pdf")
    walk.refused_upload = page.url.removeprefix(server)
    if "/filings/" in page.url:  # the refused file's own page (no version number): its report
        page.wait_for_selector(".summary", timeout=120_000)
    walk.check(page, "board-upload-refused", expect=(200, *REFUSED))
    walk.check(page, "board-password", "/account/password")
    return valid


def _accountant(walk: Walk, browser: object, valid: str) -> object:
    """The accountant's pages; a key made; a signature refused for a wrong passphrase."""
    context, page = _log_in(walk, browser, "accountant@demo.example")
    walk.check(page, "accountant-home", "/")
    page.goto(walk.server + "/accountant/keys")
    page.fill("#generate-key input[name=passphrase]", PASSPHRASE)
    page.fill("#generate-key input[name=passphrase2]", PASSPHRASE)
    page.click("#generate-key button")
    page.wait_for_selector("td.mono")
    walk.check(page, "accountant-keys")
    walk.check(page, "accountant-year", "/boards/41234/2025")
    walk.check(page, "accountant-filing", valid)
    page.fill("input[name=opinion_date]", "2026-03-15")
    page.set_input_files("input[name=pdf]", {"name": "controleverklaring.pdf", "mimeType": "application/pdf",
                                             "buffer": PDF})
    page.fill("#assurance-form input[name=passphrase]", "niet de goede wachtwoordzin")
    with page.expect_navigation():
        page.click("#assurance-form button[type=submit]")
    walk.check(page, "accountant-signature-refused", expect=REFUSED)
    _in_english(walk, page, "accountant-en")  # from a page drawn in answer to a form
    return context


def _walk(walk: Walk, browser: object) -> None:
    server = walk.server
    board_context = browser.new_context(viewport={"width": 1366, "height": HEIGHT}, locale="nl-NL")
    board = board_context.new_page()
    walk.check(board, "login", "/login")
    walk.check(board, "help", "/help")  # for anyone, logged in or not
    with board.expect_navigation():
        log_in(board, server, "bestuur@demo.example", "niet-het-wachtwoord")
    walk.check(board, "login-wrong-password", expect=(200, *REFUSED))
    log_in(board, server, "bestuur@demo.example")
    board.wait_for_url(server + "/")
    valid = _board_uploads(walk, board)

    accountant_context = _accountant(walk, browser, valid)
    walk.follow_links(accountant_context)  # before the board withdraws the authorisation

    walk.check(board, "board-report-valid", valid)
    board.check("input[name=declaration]")
    board.click("#submit button[type=submit]")
    board.wait_for_selector("h1:has-text('Ontvangstbewijs')")
    receipt = board.url.removeprefix(server)
    walk.check(board, "board-receipt")
    walk.check(board, "board-statements", valid + "/statements?empty=1")
    walk.check(board, "board-year", "/boards/41234/2025")
    walk.check(board, "board-messages", "/outbox")
    accountant_context.close()

    context, page = _log_in(walk, browser, "duo@demo.example")
    walk.check(page, "duo-overview", "/duo/2025")
    page.click("details summary")
    walk.check(page, "duo-correction-form")
    page.fill("details[open] textarea[name=message]", "Graag de toelichting op de balans aanvullen.")
    with page.expect_navigation():
        page.click("details[open] button[type=submit]")
    walk.check(page, "duo-correction-sent")
    walk.check(page, "duo-receipt", receipt)
    _in_english(walk, page, "duo-receipt-en")
    walk.follow_links(context)
    context.close()

    visits = {"ocw@demo.example": (("ocw-board", "/ocw/2025/bestuur/41234"), ("ocw-year", "/ocw/2025")),
              "inspectie@demo.example": (("inspectorate-list", "/inspectie/2025?all=1"),
                                         ("inspectorate-statements", valid + "/statements"),
                                         ("inspectorate-board", "/inspectie/bestuur/41234")),
              "beheer@demo.example": (("not-found", "/geen-pagina", (404,)), ("admin-audit", "/audit", (200,)))}
    for email, pages in visits.items():
        context, page = _log_in(walk, browser, email)
        for name, path, *expect in pages:
            walk.check(page, name, path, expect=expect[0] if expect else (200,))
        _in_english(walk, page, pages[-1][0] + "-en")
        walk.follow_links(context)
        context.close()

    # Back to the board: the correction DUO asked for, and a destructive action confirmed.
    walk.check(board, "board-home-correction", "/")
    board.goto(server + "/boards/41234/2025")
    board.check("#authorisations input[name=confirm]")
    with board.expect_navigation():
        board.click("#authorisations button.danger")
    walk.check(board, "board-authorisation-withdrawn")
    _in_english(walk, board, "board-year-en")
    walk.follow_links(board_context)
    board_context.close()


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[Walk]:
    """The walk, done once on a portal of this module's own with the demo data."""
    with demo_portal(tmp_path_factory.mktemp("layout-instance")) as url:
        started = time.monotonic()
        found = Walk(url)
        _walk(found, browser)
        found.seconds = time.monotonic() - started
        print(f"the walk: {len(found.texts)} page states in {found.seconds:.0f} s")
        yield found


def test_no_page_is_wider_than_a_phone(walk: Walk) -> None:
    assert len(walk.texts) >= 30  # the walk visited every state (a shorter one would pass vacuously)
    assert not walk.fit, "\n".join(walk.fit)


def test_axe_finds_nothing_serious_on_any_page_state(walk: Walk) -> None:
    assert not walk.axe, "\n".join(walk.axe)


def test_no_link_is_dead_for_the_role_that_sees_it(walk: Walk) -> None:
    assert not walk.links, "\n".join(walk.links)


def test_a_refused_upload_is_not_numbered(walk: Walk) -> None:
    """A PDF uploaded as the annual report is a refused file with its reason, not version 3."""
    _lang, text = walk.texts["board-upload-refused"]
    assert "Geweigerd bestand" in text and "Versie 3" not in text, text[:600]


def test_dutch_pages_write_numbers_in_dutch(walk: Walk) -> None:
    # The findings' Values column is test_the_findings_values_are_in_dutch_notation's.
    english = [f"{name}: {', '.join(sorted(found))}" for name, (lang, text) in walk.texts.items()
               if lang == "nl"
               and (found := Counter(english_numbers(text)) - Counter(english_numbers(walk.values[name])))]
    assert not english, "English notation on Dutch pages:\n" + "\n".join(english)
    without = [name for name in AMOUNT_PAGES if not dutch_amounts(walk.texts[name][1])]
    assert not without, f"no amounts in Dutch notation on {without}"


def test_the_findings_values_are_in_dutch_notation(walk: Walk) -> None:
    english = [f"{name}: {', '.join(sorted(set(found)))}" for name, (lang, _text) in walk.texts.items()
               if lang == "nl" and (found := english_numbers(walk.values[name]))]
    assert not english, "English notation in the findings' values on Dutch pages:\n" + "\n".join(english)


def test_english_pages_write_numbers_in_english(walk: Walk) -> None:
    """The switch to English changes the notation too, and the check sees it (so it can see both)."""
    for name in ("ocw-year-en", "inspectorate-board-en", "duo-receipt-en"):
        assert english_numbers(walk.texts[name][1]), name
        assert not dutch_amounts(walk.texts[name][1]), name


def test_the_notation_check_spares_dates_and_names() -> None:
    text = ("€ 1.522.407 en 0,35 op 01-07-2026 13:27 (2025-12-31) JV-2025-41234-0001 bestuur 41234 KvK 41110298 "
            "127.0.0.1 versie 4.14 tabelversie 2024.1 X.509 1.2.3 2025 sha 63c5e91fd633a0f2 https://x.example/2025/a.xsd "
            "21.329 bytes")
    assert english_numbers(text) == []
    assert dutch_amounts(text) == ["1.522.407", "0,35", "21.329"]
    assert english_numbers("€ 1,234.56, 1,234,567 en 0.35; 1522407 en -5000 ") == [
        "1,234.56", "1,234,567", "0.35", "1522407", "5000"]


def test_the_checks_see_what_they_look_for(walk: Walk, browser: object) -> None:
    """The checks cannot pass vacuously: axe runs in the page and reports an image without a text
    alternative, a box wider than the screen is measured, and a dead link is found."""
    context = browser.new_context(viewport={"width": 1366, "height": HEIGHT}, locale="nl-NL")
    page = context.new_page()
    page.goto(walk.server + "/login")
    assert blocking_violations(page) == [] and too_wide(page) == 0
    page.evaluate("""() => { const img = document.createElement('img'); img.src = '/static/none.png';
                             document.querySelector('main').append(img);
                             const wide = document.createElement('canvas'); wide.width = 2000; wide.height = 1;
                             document.querySelector('main').append(wide);
                             const dead = document.createElement('a'); dead.href = '/geen-pagina';
                             dead.textContent = 'weg'; document.querySelector('main').append(dead); }""")
    assert any(line.startswith("image-alt (critical)") for line in blocking_violations(page))
    assert too_wide(page) > 0
    assert dead_links(context, {url: "login" for url in page_links(page)}) == ["login: /geen-pagina answers 404"]
    context.close()


def test_skip_link_leads_to_the_content(walk: Walk, browser: object) -> None:
    """The first Tab reaches "Naar de inhoud", which moves the focus past the header to the page's content."""
    context = browser.new_context(viewport={"width": 1150, "height": 900}, locale="nl-NL")
    page = context.new_page()
    # A role the walk left in Dutch, on a page without autofocus (the login page puts it on the e-mail field).
    log_in(page, walk.server, "bestuur2@demo.example")
    page.wait_for_url(walk.server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    page.wait_for_selector("main#content:focus")
    assert page.url.endswith("#content")
    context.close()


def test_the_home_page_s_rows_are_cards_on_a_phone(walk: Walk, browser: object) -> None:
    """At 390 px each board is a card: the next step's button lies within the screen, with no
    sideways scrolling inside the table; at 1366 px it is still a table with its column heads."""
    # A board user the walk left in Dutch.
    context, page = _log_in(walk, browser, "bestuur2@demo.example")
    button = page.locator("#boards a.button-like").first
    assert button.inner_text().startswith("Jaarverantwoording 2025") or button.inner_text() in ("Nu indienen", "Openen")
    page.set_viewport_size({"width": 390, "height": HEIGHT})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    table = "document.getElementById('boards')"
    assert page.evaluate(f"() => {table}.scrollWidth <= {table}.clientWidth")
    assert page.evaluate(f"() => {table}.hasAttribute('tabindex')") is False  # nothing to scroll sideways
    labels = page.evaluate("""() => [...document.querySelectorAll('#boards tbody tr:first-child td')]
                                    .map(td => getComputedStyle(td, '::before').content)""")
    assert labels[1:3] == ['"Jaarverantwoording 2025"', '"Termijn"'], labels
    assert too_wide(page) == 0 and not blocking_violations(page)
    shot(page, "home-cards-390")
    page.set_viewport_size({"width": 1366, "height": HEIGHT})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("() => getComputedStyle(document.getElementById('boards')).display") == "table"
    assert page.is_visible("#boards thead th:has-text('Termijn')")
    shot(page, "home-cards-1366")
    context.close()
