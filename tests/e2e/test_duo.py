"""DUO's staff, in a real browser: the overview of the reporting year."""

from __future__ import annotations

from .conftest import log_in, shot


def test_duo_sees_every_board_of_the_year(server: str, page: object) -> None:
    log_in(page, server, "duo@demo.example")
    page.click("text=Overzicht DUO")
    page.wait_for_selector("h1:has-text('Overzicht jaarverantwoordingen')")
    table = page.inner_text("table.list")
    for number in ("20111", "25123", "30567", "41234"):
        assert number in table
    shot(page, "10-duo-overview")


def test_inspectorate_sees_the_signal_list(server: str, page: object) -> None:
    log_in(page, server, "inspectie@demo.example")
    page.click("text=Signaleringen")
    page.wait_for_selector("h1:has-text('Signaleringen 2025')")
    page.check("input[name=all]")
    page.click("text=Toon")
    page.wait_for_url("**all=1**")
    shot(page, "11-inspectorate-list")
