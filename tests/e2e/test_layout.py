"""Every role's main pages in a real browser, on a phone and on a desktop: no page is wider than
the screen at 390 and 360 px, and axe-core finds nothing of impact serious or critical at 1366 and
390 px. One browser, one login per role, the pages visited in a loop.

The walk runs on a portal of its own (fresh demo data), so the board's versions and receipt
number do not depend on which other browser tests ran before it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..samples import BROKEN, VALID
from .conftest import demo_portal, log_in, shot

FIT_WIDTHS = (390, 360)  # phones: the page must not be wider than the screen
AXE_WIDTHS = (1366, 390)  # a laptop and a phone: axe on both layouts
HEIGHT = 800
BLOCKING = {"serious", "critical"}
# axe's default rules, and label-content-name-mismatch (WCAG 2.5.3), which axe still calls experimental.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
AXE = Axe()


@pytest.fixture(scope="module")
def walk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A portal of this module's own with the demo data (the shared one's state depends on other tests)."""
    with demo_portal(tmp_path_factory.mktemp("layout-instance")) as url:
        yield url


def too_wide(page: object) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def blocking_violations(page: object) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it is now, one line each.
    axe is put into the page by Playwright (not a <script> tag, which the portal's CSP would block)."""
    found = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']} ({v['impact']}): " + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
            for v in found if v["impact"] in BLOCKING]


def check(page: object, url: str, name: str, problems: list[str]) -> None:
    """Open `url` and check it at every width; what fails goes into `problems`. Screenshots of
    each page at 1366 and 390 px land in tests/e2e/screenshots/ for people to look at."""
    response = page.goto(url)
    assert response is not None
    for width in sorted({*FIT_WIDTHS, *AXE_WIDTHS}, reverse=True):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        # Two frames: the resize event has run (layout.js gives an overflowing table its tab stop then).
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if width in FIT_WIDTHS and (extra := too_wide(page)):
            problems.append(f"{name} at {width} px: {extra} px wider than the screen")
        if width in AXE_WIDTHS:
            problems.extend(f"{name} at {width} px: {line}" for line in blocking_violations(page))
            shot(page, f"layout-{name}-{width}")


def _context(browser: object) -> object:
    return browser.new_context(viewport={"width": 1366, "height": HEIGHT}, locale="nl-NL")


def _upload(page: object, server: str, name: str, data: bytes) -> str:
    """Upload `data` as board 41234's 2025 filing through the year page; the new version's URL once validated."""
    page.goto(server + "/boards/41234/2025")
    page.set_input_files("#file", {"name": name, "mimeType": "application/xml", "buffer": data})
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    return page.url


def test_every_role_s_pages_fit_a_phone_and_pass_axe(walk_server: str, browser: object) -> None:
    server, problems = walk_server, []

    context = _context(browser)
    page = context.new_page()
    check(page, server + "/login", "login", problems)
    check(page, server + "/help", "help", problems)  # for anyone, logged in or not
    log_in(page, server, "bestuur@demo.example")
    page.wait_for_url(server + "/")
    check(page, server + "/", "board-home", problems)
    page.goto(server + "/boards/41234/2025")
    page.select_option("select[name=firm_id]", label="Accountants Noord B.V.")
    page.click("text=Machtigen")
    invalid = _upload(page, server, "EDU-BAL-01.xbrl", BROKEN)
    valid = _upload(page, server, "po-small.xbrl", VALID)
    refused = _upload(page, server, "jaarverslag.xbrl", b"%PDF-1.7\n%%EOF\n")  # no version: listed apart
    check(page, refused, "board-refused-file", problems)
    check(page, invalid, "board-report-invalid", problems)
    check(page, valid, "board-report-valid", problems)
    page.check("input[name=declaration]")
    page.click("text=Jaarverantwoording indienen")
    page.wait_for_selector("h1:has-text('Ontvangstbewijs')")
    receipt = page.url
    for url, name in ((receipt, "board-receipt"), (server + "/boards/41234/2025", "board-year"),
                      (server + "/outbox", "board-messages")):
        check(page, url, name, problems)
    context.close()

    pages = {"accountant@demo.example": (("/", "accountant-home"), ("/accountant/keys", "accountant-keys"),
                                         (valid.removeprefix(server), "accountant-filing")),
             "duo@demo.example": (("/duo/2025", "duo-overview"), (receipt.removeprefix(server), "duo-receipt")),
             "ocw@demo.example": (("/ocw/2025", "ocw-year"),),
             "inspectie@demo.example": (("/inspectie/2025?all=1", "inspectorate-list"),
                                        ("/inspectie/bestuur/41234", "inspectorate-board")),
             "beheer@demo.example": (("/audit", "admin-audit"), ("/geen-pagina", "not-found"))}
    for email, visits in pages.items():
        context = _context(browser)
        page = context.new_page()
        log_in(page, server, email)
        page.wait_for_url(server + "/")
        for path, name in visits:
            check(page, server + path, name, problems)
        context.close()

    assert not problems, "\n".join(problems)


def test_the_checks_see_what_they_look_for(walk_server: str, browser: object) -> None:
    """The two checks cannot pass vacuously: axe runs in the page and reports an image without a
    text alternative, and a box wider than the screen is measured."""
    context = _context(browser)
    page = context.new_page()
    page.goto(walk_server + "/login")
    assert blocking_violations(page) == [] and too_wide(page) == 0
    page.evaluate("""() => { const img = document.createElement('img'); img.src = '/static/none.png';
                             document.querySelector('main').append(img);
                             const wide = document.createElement('canvas'); wide.width = 2000; wide.height = 1;
                             document.querySelector('main').append(wide); }""")
    assert any(line.startswith("image-alt (critical)") for line in blocking_violations(page))
    assert too_wide(page) > 0
    context.close()


def test_skip_link_leads_to_the_content(walk_server: str, page: object) -> None:
    """The first Tab reaches "Naar de inhoud", which moves the focus past the header to the page's content."""
    log_in(page, walk_server, "duo@demo.example")  # a page without autofocus: the login page puts it on the e-mail field
    page.wait_for_url(walk_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    page.wait_for_selector("main#content:focus")
    assert page.url.endswith("#content")

