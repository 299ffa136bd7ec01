"""What changed, in a real browser on a portal of its own (the shared one's board 41234 is another
test's): the board submits, uploads a correction, reads in the submit box what changed, follows the
link to the comparison and submits; DUO's overview says what the correction changed. The compare
page has no serious or critical axe-core violation and fits the screen at 1366 and 390 px, with its
numbers in Dutch notation."""

from __future__ import annotations

from pathlib import Path

from taxonomies.samples import SAMPLES_DIR

from .conftest import demo_portal, log_in, shot
from .pagecheck import blocking_violations, english_numbers, too_wide

FIRST = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()
# Still valid: one more pupil (a figure) and one word of the supervisory board's report (a text).
CORRECTION = FIRST.replace(b'contextRef="I2025" unitRef="pure" decimals="0">253<',
                           b'contextRef="I2025" unitRef="pure" decimals="0">254<').replace(
    b"zes keer vergaderd", b"zeven keer vergaderd")


def _upload_and_submit(page: object, url: str, path: Path) -> None:
    page.goto(url + "/boards/41234/2025")
    page.set_input_files("#file", str(path))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    assert "Geldig" in page.inner_text(".summary")


def test_a_correction_says_what_changed(browser: object, tmp_path: Path) -> None:
    assert CORRECTION.count(b">254<") == 1 and b"zeven keer" in CORRECTION
    first, correction = tmp_path / "jv.xbrl", tmp_path / "jv-correctie.xbrl"
    first.write_bytes(FIRST)
    correction.write_bytes(CORRECTION)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    page = context.new_page()
    with demo_portal(tmp_path / "instance") as url:
        log_in(page, url, "bestuur@demo.example")
        _upload_and_submit(page, url, first)
        page.check("input[name=declaration]")
        page.click("text=Jaarverantwoording indienen")
        page.wait_for_selector("h1:has-text('Ontvangstbewijs')")

        _upload_and_submit(page, url, correction)
        box = page.inner_text("#submit")
        assert "Wat is er veranderd sinds uw laatst ingediende versie (versie 1):" in box
        assert "1 cijfer gewijzigd, 1 tekst gewijzigd." in box
        version_page = page.url
        page.click("#since-submitted >> text=Bekijk alle wijzigingen")
        page.wait_for_selector("h3:has-text('Van versie 1 naar versie 2')")
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert blocking_violations(page) == [], width
            assert too_wide(page) == 0, width
            shot(page, f"compare-{width}")
        text = page.inner_text("main")
        assert "253" in text and "254" in text and "+1" in text and "Gewijzigd" in text
        assert english_numbers(text) == []

        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(version_page)
        page.check("input[name=declaration]")
        page.click("text=Jaarverantwoording indienen")
        page.wait_for_selector("h1:has-text('Ontvangstbewijs')")
        page.click("text=Uitloggen")
        page.wait_for_url("**/login**")

        log_in(page, url, "duo@demo.example")
        page.goto(url + "/duo/2025")
        row = page.inner_text("table.list tr:has-text('41234')")
        assert "Wat deze correctie van versie 1 veranderde: 1 cijfer gewijzigd, 1 tekst gewijzigd." in row
        page.click("text=Wat deze correctie van versie 1 veranderde")
        page.wait_for_selector("h3:has-text('Van versie 1 naar versie 2')")
        assert "zeven keer vergaderd" in page.inner_text("main")
        assert blocking_violations(page) == []
    context.close()
