"""Deliveries to DUO, OCW and the inspectorate: in the submit transaction, delivered by the job,
acknowledged, superseded by a correction; DUO's overview, export and correction requests."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.db import get_db
from portal.outbox.models import Email
from portal.submissions.models import Delivery
from portal.storage import open_store

from ..samples import VALID, WARNING
from .conftest import csrf_token, file_and_submit, log_in


@pytest.fixture
def token(runner: FlaskCliRunner, demo: None) -> dict[str, str]:
    return {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()}


def test_submitted_filing_is_delivered_and_acknowledged(app: Flask, client: FlaskClient, token: dict,
                                                        switch: Callable[[str], None],
                                                        deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = file_and_submit(app, client, VALID)
    deliveries = client.get(f"/api/v1/filings/{filing_id}", headers=token).get_json()["deliveries"]
    assert [(d["recipient"], d["state"]) for d in deliveries] == [("duo", "pending"), ("ocw", "pending"),
                                                                  ("inspectorate", "pending")]
    assert deliver() == 3
    delivered = client.get(f"/api/v1/filings/{filing_id}", headers=token).get_json()["deliveries"]
    # OCW's load of the figures and the inspectorate's of the signals are their acknowledgements;
    # DUO acknowledges by hand.
    assert [d["state"] for d in delivered] == ["delivered", "acknowledged", "acknowledged"]
    assert all(d["delivered_at"] for d in delivered)
    assert "afgeleverd op" in client.get("/receipts/JV-2025-41234-0001").get_data(as_text=True)

    switch("duo@demo.example")
    with app.app_context():
        duo_id = get_db().scalar(select(Delivery.id).where(Delivery.recipient == "duo"))
    client.post(f"/duo/deliveries/{duo_id}/acknowledge", data={"csrf_token": csrf_token(client, "/duo/2025")})
    delivered = client.get(f"/api/v1/filings/{filing_id}", headers=token).get_json()["deliveries"]
    assert delivered[0]["state"] == "acknowledged" and delivered[0]["acknowledged_at"]
    switch("bestuur@demo.example")
    assert "bevestigd op" in client.get(f"/filings/{filing_id}").get_data(as_text=True)


def test_a_correction_supersedes_every_earlier_delivery(app: Flask, client: FlaskClient, token: dict,
                                                        deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    first = file_and_submit(app, client, WARNING)
    deliver()
    second = file_and_submit(app, client, VALID)
    states = {f: [d["state"] for d in client.get(f"/api/v1/filings/{f}", headers=token).get_json()["deliveries"]]
              for f in (first, second)}
    assert states == {first: ["superseded"] * 3, second: ["pending"] * 3}


def test_figures_api_returns_exactly_the_facts_filed(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                     token: dict, deliver: Callable[[], int]) -> None:
    from lxml import etree

    ocw = {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", "ocw@demo.example"]).output.strip()}
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, WARNING)
    deliver()
    file_and_submit(app, client, VALID)  # a correction: its figures replace the first ones everywhere
    deliver()
    equity = client.get("/api/v1/figures?year=2025&concept=Equity", headers=ocw).get_json()["facts"]
    root = etree.fromstring(VALID)
    filed = root.find("{https://xbrl.onderwijs.example/2025/edu}Equity[@contextRef='I2025']").text
    assert equity == [{"board": "41234", "year": 2025, "concept": "Equity", "period": "2025-12-31", "dimensions": {},
                       "value": filed, "unit": "iso4217:EUR"}]
    every = client.get("/api/v1/figures?year=2025&board=41234", headers=ocw).get_json()["facts"]
    assert len(every) == len([e for e in root if e.tag.startswith("{https://xbrl.onderwijs.example/2025/edu}")])
    officials = [f for f in every if f["concept"] == "WNTTotalRemuneration"]
    assert officials and all(set(f["dimensions"]) == {"edu:WNTOfficialAxis"} for f in officials)
    table = list(csv.DictReader(io.StringIO(client.get("/api/v1/figures?year=2025&concept=Equity&format=csv",
                                                       headers=ocw).get_data(as_text=True))))
    assert table[0]["value"] == filed and table[0]["board"] == "41234"
    for headers in (token, {}):  # a board user: 403; nobody: 401
        assert client.get("/api/v1/figures?year=2025&concept=Equity", headers=headers).status_code in (403, 401)
    assert client.get("/api/v1/figures?year=2025&concept=Equity", headers=token).status_code == 403


def test_duo_overview_export_and_correction_request(app: Flask, client: FlaskClient, demo: None,
                                                    switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    deliver()
    switch("duo@demo.example")
    page = client.get("/duo/2025").get_data(as_text=True)
    assert "JV-2025-41234-0001" in page and "Nog niet ingediend" in page and "Ontvangst bevestigen" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/duo/2025.csv").get_data(as_text=True))))
    assert [r["board"] for r in rows] == ["20111", "25123", "30567", "41234"]
    assert rows[3]["receipt"] == "JV-2025-41234-0001" and rows[0]["state"] == "not-filed"
    response = client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, "/duo/2025"),
                                                                "message": "De WNT-toelichting ontbreekt."})
    assert response.status_code == 302
    with app.app_context():
        mails = [(m.to, m.body) for m in get_db().scalars(select(Email)) if "correctie" in m.subject]
    assert [to for to, _ in mails] == ["bestuur@demo.example"] and "WNT-toelichting" in mails[0][1]
    switch("bestuur@demo.example")
    assert "WNT-toelichting" in client.get("/outbox").get_data(as_text=True)


def test_export_cells_cannot_become_formulas(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                             tmp_path: object) -> None:
    path = tmp_path / "b.csv"  # type: ignore[operator]
    path.write_text('number,name,kvk,sectors\n12345,"=HYPERLINK(""http://evil"")",12345678,PO\n', encoding="utf-8")
    runner.invoke(args=["boards", "import", str(path)])
    runner.invoke(args=["users", "create", "d@duo.example", "--role", "duo"], input="een-lang-wachtwoord\n")
    log_in(client, "d@duo.example", "een-lang-wachtwoord")
    (row,) = list(csv.DictReader(io.StringIO(client.get("/duo/2025.csv").get_data(as_text=True))))
    assert row["name"] == "'=HYPERLINK(\"http://evil\")"


def test_board_users_get_403_on_recipient_pages(app: Flask, client: FlaskClient, demo: None,
                                                switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    deliver()
    token = csrf_token(client, "/")
    for response in (client.get("/duo/2025"), client.get("/duo/2025.csv"),
                     client.post("/duo/deliveries/1/acknowledge", data={"csrf_token": token}),
                     client.post("/duo/2025/41234/correction", data={"csrf_token": token, "message": "x"})):
        assert response.status_code == 403
    switch("ocw@demo.example")  # another recipient: not DUO's pages either
    assert client.get("/duo/2025").status_code == 403


def test_signals_api_equals_the_engines_values(app: Flask, client: FlaskClient, runner: FlaskCliRunner, token: dict,
                                               deliver: Callable[[], int]) -> None:
    inspectie = {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create",
                                                                  "inspectie@demo.example"]).output.strip()}
    log_in(client, "bestuur@demo.example")
    filing_id = file_and_submit(app, client, VALID)
    deliver()
    engine_signals = client.get(f"/filings/{filing_id}/report.json").get_json()["signals"]
    boards = client.get("/api/v1/signals?year=2025", headers=inspectie).get_json()["boards"]
    assert boards == [{"board": "41234", "year": 2025, "signals": engine_signals}]
    table = list(csv.DictReader(io.StringIO(client.get("/api/v1/signals?year=2025&format=csv",
                                                       headers=inspectie).get_data(as_text=True))))
    assert {r["signal"] for r in table} == set(engine_signals)
    assert client.get("/api/v1/signals?year=2025", headers=token).status_code == 403


def test_inspectorate_list_filters_by_sector_and_size(app: Flask, client: FlaskClient, demo: None,
                                                      switch: Callable[[str], None],
                                                      deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    deliver()
    assert client.get("/inspectie/2025").status_code == 403  # a board user
    switch("inspectie@demo.example")
    assert "Geen besturen met een signaal" in client.get("/inspectie/2025").get_data(as_text=True)
    assert "41234" in client.get("/inspectie/2025?all=1").get_data(as_text=True)
    assert "41234" not in client.get("/inspectie/2025?all=1&sector=VO").get_data(as_text=True)
    assert "41234" in client.get("/inspectie/2025?all=1&size=small&sort=cash").get_data(as_text=True)
    assert "41234" not in client.get("/inspectie/2025?all=1&size=large").get_data(as_text=True)


def test_the_submitted_version_as_xbrl_json_and_csv(app: Flask, client: FlaskClient, token: dict,
                                                    switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    """Made on OCW's delivery; every filed fact is in both, with its value as filed; only for those
    who may see the filing."""
    log_in(client, "bestuur@demo.example")
    filing_id = file_and_submit(app, client, VALID)
    api = client.get(f"/api/v1/filings/{filing_id}", headers=token).get_json()
    assert api["exports"] == {"xbrl-json": None, "xbrl-csv": None}
    early = client.get(f"/api/v1/filings/{filing_id}/exports/xbrl-json", headers=token)
    assert early.status_code == 404 and early.get_json()["error"]["code"] == "EXPORT-NOT-READY"
    deliver()
    api = client.get(f"/api/v1/filings/{filing_id}", headers=token).get_json()
    assert api["exports"]["xbrl-json"] == f"/api/v1/filings/{filing_id}/exports/xbrl-json"
    filed = {(f["concept"], f["period"], json.dumps(f["dimensions"], sort_keys=True)): f["value"]
             for f in _facts(app, filing_id)}

    page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert f"/filings/{filing_id}/xbrl-json" in page and f"/filings/{filing_id}/xbrl-csv" in page
    download = client.get(f"/filings/{filing_id}/xbrl-json")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    document = json.loads(download.data)
    assert document["documentInfo"]["documentType"] == "https://xbrl.org/2021/xbrl-json"
    exported = {}
    for fact in document["facts"].values():
        aspects = fact["dimensions"]
        dims = {k: v for k, v in aspects.items() if k not in ("concept", "entity", "period", "unit", "language")}
        exported[(aspects["concept"], _period(aspects["period"]), json.dumps(dims, sort_keys=True))] = fact["value"]
    assert exported.keys() == filed.keys()
    assert all(_same(exported[k], filed[k]) for k in filed)

    via_api = client.get(api["exports"]["xbrl-csv"], headers=token)
    assert via_api.status_code == 200 and via_api.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(via_api.data)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("filing-facts.csv").decode("utf-8-sig"))))
    assert len(rows) == len(filed)
    assert sorted(r["value"] for r in rows if r["concept"] == "edu:BoardName") == [filed[k] for k in filed
                                                                                   if k[0] == "edu:BoardName"]

    switch("bestuur2@demo.example")  # another board's user: as if it did not exist
    assert client.get(f"/filings/{filing_id}/xbrl-json").status_code == 404
    switch("ocw@demo.example")
    assert client.get(f"/filings/{filing_id}/xbrl-csv").status_code == 200


def _facts(app: Flask, filing_id: int) -> list[dict]:
    from portal.jobs import core
    from portal.filings.models import Filing

    with app.app_context():
        filing = get_db().get(Filing, filing_id)
        data = open_store(app).get(filing.file_sha256)
        return core.engine(app).validate(data, filing.file_name, "41234", 2025).facts


def _period(oim: str) -> str:
    """OIM periods (2025-01-01T00:00:00/2026-01-01T00:00:00, or 2026-01-01T00:00:00 for the end
    of 2025-12-31) in the report's notation (2025-01-01/2025-12-31, 2025-12-31)."""
    from datetime import date, timedelta

    def day(text: str, end: bool) -> str:
        value = date.fromisoformat(text[:10])
        return (value - timedelta(days=1)).isoformat() if end and text.endswith("T00:00:00") else value.isoformat()
    if "/" in oim:
        start, end = oim.split("/")
        return f"{day(start, False)}/{day(end, True)}"
    return day(oim, True)


def _same(exported: object, filed: str | None) -> bool:
    from decimal import Decimal, InvalidOperation

    if exported == filed:
        return True
    try:
        return Decimal(str(exported)) == Decimal(str(filed))
    except InvalidOperation:
        return False
