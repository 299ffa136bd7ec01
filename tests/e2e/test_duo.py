"""DUO's staff and the inspectorate, in a real browser: the overview of the reporting year and
the list of boards with their signalling values."""

from __future__ import annotations

import time

from taxonomies.samples import SAMPLES_DIR

from .conftest import log_in, shot


def test_duo_sees_every_board_of_the_year(server: str, page: object) -> None:
    log_in(page, server, "duo@demo.example")
    page.click("text=Overzicht DUO")
    page.wait_for_selector("h1:has-text('Overzicht jaarverantwoordingen')")
    table = page.inner_text("table.list")
    for number in ("20111", "25123", "30567", "41234"):
        assert number in table
    shot(page, "10-duo-overview")


def _submit_for_board_25123(server: str, page: object) -> None:
    """Board 25123 (MBO, of bestuur2; no other browser test files for it) submits its valid 2025
    filing: its signalling values reach the inspectorate."""
    log_in(page, server, "bestuur2@demo.example")
    page.wait_for_url(server + "/")
    page.goto(server + "/boards/25123/2025")
    page.set_input_files("#file", str(SAMPLES_DIR / "2025/valid/mbo.xbrl"))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    assert "Geldig" in page.inner_text(".summary")
    page.check("input[name=declaration]")
    page.click("text=Jaarverantwoording indienen")
    page.wait_for_selector("h1:has-text('Ontvangstbewijs')")
    page.click("text=Uitloggen")
    page.wait_for_url("**/login**")


def test_inspectorate_sees_the_signal_list(server: str, page: object) -> None:
    _submit_for_board_25123(server, page)
    log_in(page, server, "inspectie@demo.example")
    page.click("text=Signaleringen")
    page.wait_for_selector("h1:has-text('Signaleringen 2025')")
    assert not page.is_checked("input[name=all]")  # by default only boards with a signal
    page.check("input[name=all]")
    page.click("text=Toon")
    page.wait_for_url("**all=1**")
    deadline = time.monotonic() + 60  # the delivery to the inspectorate runs just after the submission
    while page.locator("table.list tr", has_text="25123").count() == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    row = page.inner_text("table.list tr:has-text('25123')")
    assert "MBO" in row  # the board with its sector, also without a breached value
    assert page.is_checked("input[name=all]")  # the filter the page was asked for stays chosen
    sort = page.get_attribute("table.list thead a", "href")
    assert "all=1" in sort  # and sorting by a key figure keeps it
    shot(page, "11-inspectorate-list")
