"""The online forms' pages without a browser: what a save does with what was typed (read in Dutch
notation, refused whole when a field cannot be read, refused on a stale revision with nothing
lost), totals computed on save, senior officials added and removed, the script's automatic save,
what an accountant and another board's people get, and a check's findings at their fields."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from .conftest import csrf_token, log_in, run_jobs, switch_user

FORM = "/boards/41234/2025/form"
CASH = "f-CashAndCashEquivalents-2025-12-31"
JSON = {"Accept": "application/json"}


def _start(client: FlaskClient) -> None:
    answer = client.post(f"{FORM}/start", data={"csrf_token": csrf_token(client, FORM), "revision": "0"})
    assert answer.status_code == 302


def _revision(client: FlaskClient, statement: str = "BalanceSheet") -> str:
    page = client.get(f"{FORM}/{statement}").get_data(as_text=True)
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


def _save(client: FlaskClient, statement: str, fields: dict[str, str], revision: str | None = None,
          headers: dict[str, str] | None = None, **extra: str) -> object:
    data = {"csrf_token": csrf_token(client, FORM), "revision": revision or _revision(client, statement),
            **fields, **extra}
    return client.post(f"{FORM}/{statement}", data=data, headers=headers or {})


def _value(client: FlaskClient, statement: str, field: str) -> str:
    page = client.get(f"{FORM}/{statement}").get_data(as_text=True)
    found = re.search(rf'id="{field}" name="{field}"[^>]*value="([^"]*)"', page)
    assert found, field
    return found.group(1)


def test_typed_values_are_read_in_dutch_notation_and_shown_back_so(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    assert _save(client, "BalanceSheet", {CASH: "1.234.567", "f-Receivables-2025-12-31": "-41.902"}).status_code == 302
    assert _value(client, "BalanceSheet", CASH) == "1.234.567"
    assert _value(client, "BalanceSheet", "f-Receivables-2025-12-31") == "-41.902"
    assert _value(client, "GeneralInformation", "f-BoardNumber-2025") == "41234"  # the start: the registry


def test_one_unreadable_field_refuses_the_whole_save_and_keeps_what_was_typed(client: FlaskClient,
                                                                           demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    revision = _revision(client)
    answer = _save(client, "BalanceSheet", {CASH: "1.234.567", "f-Receivables-2025-12-31": "twaalf"}, revision)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "DRAFT-VALUE" in page
    assert 'value="twaalf"' in page and 'value="1.234.567"' in page  # nothing typed is lost
    assert 'id="f-Receivables-2025-12-31-error"' in page and 'aria-invalid="true"' in page
    assert _revision(client) == revision and _value(client, "BalanceSheet", CASH) == ""  # nothing saved


def test_a_save_on_a_stale_revision_is_refused_naming_who_and_nothing_is_lost(app: Flask, client: FlaskClient,
                                                                           demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    stale = _revision(client)
    created = app.test_cli_runner().invoke(args=["users", "create", "penningmeester@demo.example", "--role", "board",
                                                 "--board", "41234", "--name", "Sander Mulder"],
                                           input="demo-wachtwoord-2025\n")
    assert created.exit_code == 0, created.output
    colleague = app.test_client()
    log_in(colleague, "penningmeester@demo.example")
    assert _save(colleague, "BalanceSheet", {CASH: "500"}).status_code == 302
    answer = _save(client, "BalanceSheet", {CASH: "700"}, stale)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "DRAFT-STALE" in page and "Sander Mulder" in page
    assert f'id="{CASH}" name="{CASH}"' in page and 'value="700"' in page  # what this user typed
    assert f'id="{CASH}-newer"' in page and "500" in page  # and the colleague's value beside it
    assert _value(client, "BalanceSheet", CASH) == "500"  # the colleague's save stands
    # The page now carries the newest revision: saving again puts this user's value over it, on purpose.
    current = re.search(r'name="revision" value="(\d+)"', page).group(1)
    assert _save(client, "BalanceSheet", {CASH: "700"}, current).status_code == 302
    assert _value(client, "BalanceSheet", CASH) == "700"


def test_the_scripts_automatic_save_answers_in_json(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    revision = _revision(client)
    saved = _save(client, "BalanceSheet", {CASH: "10"}, revision, JSON)
    assert saved.status_code == 200 and saved.get_json()["revision"] == int(revision) + 1
    assert _save(client, "BalanceSheet", {CASH: "x"}, None, JSON).status_code == 422
    stale = _save(client, "BalanceSheet", {CASH: "11"}, revision, JSON)
    assert stale.status_code == 409 and stale.get_json()["code"] == "DRAFT-STALE"


def test_an_empty_total_is_computed_on_save(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    parts = {"f-Inventories-2025-12-31": "1.000", "f-Receivables-2025-12-31": "2.500", CASH: "500",
             "f-CurrentInvestments-2025-12-31": "0", "f-CurrentAssets-2025-12-31": ""}
    assert _save(client, "BalanceSheet", parts).status_code == 302
    assert _value(client, "BalanceSheet", "f-CurrentAssets-2025-12-31") == "4.000"
    # An entered total that differs is kept, and the page says what the parts add up to.
    assert _save(client, "BalanceSheet", {**parts, "f-CurrentAssets-2025-12-31": "4.100"}).status_code == 302
    page = client.get(f"{FORM}/BalanceSheet").get_data(as_text=True)
    assert re.search(r'class="sum differs" id="f-CurrentAssets-2025-12-31-sum"[^>]*>[^<]*4\.000', page)


def test_senior_officials_are_added_and_removed(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    added = _save(client, "WNTDisclosure", {}, action="add")
    assert added.status_code == 302 and added.headers["Location"].endswith("new=TF1")
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert 'name="f-WNTOfficialName-2025-TF1"' in page
    two = _save(client, "WNTDisclosure", {"f-WNTOfficialName-2025-TF1": "Anna de Vries"}, official="TF1",
                action="add")
    assert two.headers["Location"].endswith("new=TF2")
    assert _save(client, "WNTDisclosure", {"f-WNTOfficialName-2025-TF1": "Anna de Vries",
                                            "f-WNTOfficialName-2025-TF2": "Bram Jansen"},
                 official=["TF1", "TF2"]).status_code == 302
    page = client.get(f"{FORM}/WNTDisclosure").get_data(as_text=True)
    assert "Anna de Vries" in page and "Bram Jansen" in page
    assert _save(client, "WNTDisclosure", {"f-WNTOfficialName-2025-TF1": "Anna de Vries",
                                            "f-WNTOfficialName-2025-TF2": "Bram Jansen"},
                 official=["TF1", "TF2"], action="remove:TF1").status_code == 302
    page = client.get(f"{FORM}/WNTDisclosure").get_data(as_text=True)
    assert "Anna de Vries" not in page and "Bram Jansen" in page


def test_an_accountant_reads_and_checks_but_cannot_change_and_others_find_nothing(
        app: Flask, client: FlaskClient, demo: None) -> None:
    from .accountant_steps import ACCOUNTANT, authorise

    log_in(client, "bestuur@demo.example")
    _start(client)
    authorise(client)
    switch_user(client, ACCOUNTANT)
    page = client.get(f"{FORM}/BalanceSheet").get_data(as_text=True)
    assert " readonly" in page and 'value="save"' not in page
    assert _save(client, "BalanceSheet", {CASH: "1"}).status_code == 403
    checked = client.post(f"{FORM}/check", data={"csrf_token": csrf_token(client, FORM)})
    assert checked.status_code == 302 and "check=" in checked.headers["Location"]
    switch_user(client, "bestuur2@demo.example")  # another board's user: as if it did not exist
    assert client.get(FORM).status_code == 404 and client.get(f"{FORM}/BalanceSheet").status_code == 404
    assert _save(client, "BalanceSheet", {CASH: "1"}, "1").status_code == 404


def test_a_checks_findings_are_shown_at_their_fields(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _start(client)
    # Current assets 1.000 while their one part is 500: the total does not add up.
    assert _save(client, "BalanceSheet", {CASH: "500", "f-CurrentAssets-2025-12-31": "1.000"}).status_code == 302
    checked = client.post(f"{FORM}/check", data={"csrf_token": csrf_token(client, FORM)})
    run_jobs(app)
    overview = client.get(checked.headers["Location"]).get_data(as_text=True)
    assert "#f-CurrentAssets-2025-12-31" in overview  # the finding links to its field
    check = re.search(r"check=(\d+)", checked.headers["Location"]).group(1)
    page = client.get(f"{FORM}/BalanceSheet?check={check}").get_data(as_text=True)
    assert 'id="f-CurrentAssets-2025-12-31-findings"' in page and "calc11e" in page
    assert re.search(r'id="f-CurrentAssets-2025-12-31"[^>]*aria-describedby="[^"]*-findings', page)
