"""A primary-school board's financial officer without XBRL software, in a real browser: start the
draft from what the portal knows, fill in every statement (two senior officials, the forecasts),
see a total add up while typing, check, follow a finding to its field, fix it, lose no work when a
colleague saved in between, check again, file, submit, get the receipt. At 1366 px in 2025 and at
390 px (a phone) in 2024; axe-core on every form."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomies.generator import generate
from validators.forms import field_id

from .conftest import ROOT, demo_portal, log_in, shot
from .pagecheck import blocking_violations, too_wide

BOARD, NAME = "41234", "Stichting Openbaar Primair Onderwijs De Linde"
COLLEAGUE, PASSWORD = "penningmeester@demo.example", "demo-wachtwoord-2025"
KNOWN = {"BoardName", "BoardNumber", "ChamberOfCommerceNumber", "EducationSectors"}  # the start fills these in


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A portal of its own (the drafts and versions made here do not change the other walks' boards),
    with a colleague of the board's officer: drafts are filled in by several people in turn."""
    def colleague(env: dict[str, str]) -> None:
        subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "users", "create", COLLEAGUE,
                        "--role", "board", "--board", BOARD, "--name", "Sander Mulder"], cwd=ROOT, env=env,
                       check=True, input=PASSWORD + "\n", capture_output=True, text=True)

    with demo_portal(tmp_path_factory.mktemp("online-form"), colleague) as url:
        yield url


def _dutch(value: str, numeric: bool) -> str:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # a date: 12-06-2026
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    if not numeric:
        return value
    sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
    whole, _, fraction = digits.partition(".")
    return sign + f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction else "")


def report_values(year: int) -> dict[str, str]:
    """A complete valid report of the board as the form's inputs want it: input id -> text."""
    filing = generate(year, BOARD, NAME, "PO", size="small", officials=2)
    officials = {f"W{i:04d}": f"TF{i}" for i in (1, 2)}
    values = {}
    for fact in filing.facts:
        if fact.concept in KNOWN:
            continue
        context = filing.contexts[fact.context]
        period = context.end.isoformat() if context.start is None else f"{context.start}/{context.end}"
        dimensions = {"edu:ScenarioAxis": f"edu:{context.member}"} if context.member else {}
        if context.official:
            dimensions = {"edu:WNTOfficialAxis": officials[context.official]}
        values[field_id(fact.concept, period, dimensions)] = _dutch(fact.value, fact.unit is not None)
    return values


def _fill_page(page: object, values: dict[str, str]) -> int:
    ids = page.eval_on_selector_all("#draft-form [name^='f-']", "els => els.map(e => [e.id, e.tagName])")
    for input_id, tag in ids:
        if input_id in values:
            if tag == "SELECT":
                page.select_option(f"[id='{input_id}']", values[input_id])
            else:
                page.fill(f"[id='{input_id}']", values[input_id])
    return len([i for i, _tag in ids if i in values])


def _save(page: object) -> None:
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#draft-form button[value=save]:not(.visually-hidden)")
    if answer.value.status != 302:
        shot(page, "form-failed-save")
    assert answer.value.status == 302, page.inner_text("main")[:2000]
    try:
        page.wait_for_selector("p.notice[role=status]", timeout=5000)
    except Exception:
        shot(page, "form-debug")
        print("URL", page.url, answer.value.url)
        raise


def _fill_report(page: object, portal: str, year: int, values: dict[str, str], width: int) -> list[str]:
    """Every statement filled in and saved; the axe findings of each form."""
    blocking = []
    base = f"{portal}/boards/{BOARD}/{year}/form"
    statements = page.eval_on_selector_all("ul.statements-list > li > a", "els => els.map(e => e.getAttribute('href'))")
    assert len(statements) == 6
    for href in statements:
        page.goto(portal + href)
        if page.query_selector("button[value=add]"):  # the senior officials: two blocks, added one by one
            for _official in (1, 2):
                page.click("button[value=add]")
                page.wait_for_selector("fieldset.official >> nth=-1")
        filled = _fill_page(page, values)
        assert filled, href
        blocking += [f"{href}: {v}" for v in blocking_violations(page)]
        assert too_wide(page) == 0, f"{href} is wider than {width} px"
        _save(page)
    assert page.url.startswith(base)
    return blocking


def _check(page: object, portal: str, year: int) -> str:
    page.goto(f"{portal}/boards/{BOARD}/{year}/form")
    page.click("form[action$='/form/check'] button")
    page.wait_for_selector("#check[data-done=true]", timeout=120_000)
    return page.inner_text("#check")


@pytest.mark.parametrize("width,year", [(1366, 2025), (390, 2024)])
def test_a_board_fills_in_checks_files_and_submits_online(browser: object, portal: str, width: int,
                                                         year: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    page = context.new_page()
    log_in(page, portal, "bestuur@demo.example")
    page.goto(f"{portal}/boards/{BOARD}/{year}")
    page.click("#online a")
    page.click("form[action$='/form/start'] button")
    assert "Revisie 1" in page.inner_text("#draft-state")
    shot(page, f"form-01-overview-{width}")

    values = report_values(year)
    # One income line 1.000 too high: the total no longer adds up, the page says so while typing,
    # and the check finds it at its field.
    income = f"f-OtherIncome-{year}"
    right = values[income]
    values[income] = _dutch(str(int(right.replace(".", "")) + 1000), True)
    blocking = _fill_report(page, portal, year, values, width)
    assert not blocking, "\n".join(blocking)

    page.goto(f"{portal}/boards/{BOARD}/{year}/form/IncomeStatement")
    total = income.replace("f-OtherIncome-", "f-Income-")
    assert "optellen tot" in page.inner_text(f"[id='{total}-sum']")  # the script: the parts add up to something else
    shot(page, f"form-02-income-statement-{width}")

    verdict = _check(page, portal, year)
    assert "Ongeldig" in verdict or "Geldig met waarschuwingen" in verdict
    shot(page, f"form-03-check-{width}")
    page.click(f"ul.field-links a[href$='#{total}']")
    page.wait_for_selector(f"[id='{total}-findings']")
    assert page.get_attribute(f"[id='{total}']", "aria-describedby").count(f"{total}-findings") == 1
    shot(page, f"form-04-finding-at-field-{width}")

    # A colleague saves in between; this page is now a revision behind.
    colleague = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL").new_page()
    log_in(colleague, portal, COLLEAGUE)
    colleague.goto(f"{portal}/boards/{BOARD}/{year}/form/IncomeStatement")
    colleague.fill(f"[id='{income}']", right)
    _save(colleague)
    page.fill(f"[id='{total}']", "")  # and this user empties the total, to have it computed on save
    page.click("#draft-form button[value=save]:not(.visually-hidden)")
    message = page.inner_text("p.error")
    assert "Sander Mulder" in message and "DRAFT-STALE" in message
    assert page.input_value(f"[id='{income}']") != right  # what this user typed is still there
    assert right in page.inner_text(f"[id='{income}-newer']")
    shot(page, f"form-05-stale-{width}")
    page.fill(f"[id='{income}']", right)
    _save(page)

    verdict = _check(page, portal, year)
    assert "Geldig" in verdict and "Ongeldig" not in verdict, verdict
    page.click("form[action$='/form/file'] button")
    page.wait_for_selector(".summary", timeout=120_000)
    page.check("input[name=declaration]")
    page.click("text=Jaarverantwoording indienen")
    page.wait_for_selector("h1:has-text('Ontvangstbewijs')")
    shot(page, f"form-06-receipt-{width}")
    assert page.inner_text("h2").startswith(f"JV-{year}-{BOARD}-")
    context.close()
    colleague.context.close()
