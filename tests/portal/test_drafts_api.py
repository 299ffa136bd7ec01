"""The drafts API: read, replace on a revision (409 when stale, 422 listing every offending fact),
board isolation, filing a draft as a version; a complete report put, filed, submitted and read back
from OCW's figures API; and every sample's draft instance valid in a plain arelleCmdLine run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.accountants.services import authorise
from portal.db import get_db
from portal.drafts.services import forms_of
from portal.filings.models import Filing
from portal.storage import open_store
from portal.users.models import User
from validators.forms import read_instance, write_instance

from ..samples import sample
from ..validators.test_forms import _arelle as arelle_cmdline
from .conftest import run_jobs

URL = "/api/v1/drafts/41234/2025"


def _token(runner: FlaskCliRunner, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {runner.invoke(args=['tokens', 'create', email]).output.strip()}"}


@pytest.fixture
def tokens(runner: FlaskCliRunner, demo: None) -> Iterator[dict[str, dict[str, str]]]:
    yield {role: _token(runner, email) for role, email in (
        ("board", "bestuur@demo.example"), ("board2", "bestuur2@demo.example"), ("ocw", "ocw@demo.example"),
        ("accountant", "accountant@demo.example"), ("duo", "duo@demo.example"))}


def facts_of(year: int, name: str) -> list[dict[str, Any]]:
    """A committed valid sample's facts in the API's shape."""
    return [f.to_dict() for f in read_instance(forms_of(year), sample(f"{year}/valid/{name}.xbrl"))]


def error(response: Any) -> tuple[int, str]:
    """An API error's status and code."""
    return response.status_code, response.get_json()["error"]["code"]


def test_a_draft_is_read_and_replaced_on_its_revision(client: FlaskClient, tokens: dict) -> None:
    board = tokens["board"]
    assert client.get(URL, headers=board).get_json() == {"board": "41234", "year": 2025, "revision": 0, "facts": [],
                                                         "updated_at": None, "updated_by": None}
    facts = facts_of(2025, "po-small")
    created = client.put(URL, headers=board, json={"facts": facts})
    assert created.status_code == 200, created.get_json()
    draft = created.get_json()
    assert (draft["revision"], draft["updated_by"]) == (1, "bestuur@demo.example")
    assert draft["updated_at"].endswith("Z") and client.get(URL, headers=board).get_json() == draft
    key = lambda f: (f["concept"], f["period"], json.dumps(f["dimensions"], sort_keys=True))  # noqa: E731
    assert draft["facts"] == sorted(facts, key=key)
    # A second create, and a save on a revision someone has saved since: 409, nothing saved.
    for revision in (0, None):
        assert error(client.put(URL, headers=board, json={"revision": revision, "facts": facts[:1]})) == (
            409, "DRAFT-STALE")
    assert client.put(URL, headers=board, json={"revision": 1, "facts": facts[:2]}).get_json()["revision"] == 2
    stale = client.put(URL, headers=board, json={"revision": 1, "facts": facts[:1]})
    assert error(stale) == (409, "DRAFT-STALE") and "Fatima de Boer" in stale.get_json()["error"]["message"]["en"]
    assert len(client.get(URL, headers=board).get_json()["facts"]) == 2
    # A revision of a draft that does not exist (another year's) is stale too, and says so.
    missing = client.put("/api/v1/drafts/41234/2024", headers=board, json={"revision": 3, "facts": []})
    assert error(missing) == (409, "DRAFT-STALE") and "revision 3" in missing.get_json()["error"]["message"]["en"]


def test_facts_that_do_not_fit_are_all_listed_and_nothing_is_saved(client: FlaskClient, tokens: dict) -> None:
    good = {"concept": "Equity", "period": "2025-12-31", "dimensions": {}, "value": "1000"}
    sent = [{**good, "value": "1.000,00"}, good, {**good, "concept": "Bogus"},
            {"concept": "Income", "period": "2025-12-31", "value": "5"},
            {**good, "dimensions": {"edu:WNTOfficialAxis": "TF1"}}, {**good, "unit": "xbrli:pure"}]
    response = client.put(URL, headers=tokens["board"], json={"revision": 0, "facts": sent})
    assert error(response) == (422, "DRAFT-INVALID")
    listed = response.get_json()["error"]["facts"]
    assert [p["index"] for p in listed] == [0, 2, 3, 4, 5]
    assert [p["code"] for p in listed[:3]] == ["DRAFT-VALUE", "DRAFT-CONCEPT", "DRAFT-PERIOD"]
    assert set(listed[0]) == {"index", "concept", "period", "dimensions", "code", "message"}
    assert client.get(URL, headers=tokens["board"]).get_json()["revision"] == 0
    # A fact that is not even shaped like one is a malformed request.
    malformed = client.put(URL, headers=tokens["board"], json={"facts": [{"concept": "Equity"}]})
    assert error(malformed) == (400, "REQUEST-INVALID")


def test_another_board_s_user_gets_404_and_an_accountant_only_reads(app: Flask, client: FlaskClient,
                                                                    tokens: dict) -> None:
    facts = facts_of(2025, "po-small")
    assert client.put(URL, headers=tokens["board"], json={"facts": facts}).status_code == 200
    for role in ("board2", "duo", "accountant"):
        for response in (client.get(URL, headers=tokens[role]),
                         client.put(URL, headers=tokens[role], json={"revision": 1, "facts": facts}),
                         client.post(URL + "/file", headers=tokens[role], json={"test": True})):
            assert error(response) == (404, "NOT-FOUND"), role
    for path in ("/api/v1/drafts/41234/2023", "/api/v1/drafts/41234/1999", "/api/v1/drafts/4123/2025"):
        assert error(client.get(path, headers=tokens["board"])) == (404, "NOT-FOUND")
    with app.app_context():
        db = get_db()
        member, accountant = (db.scalar(select(User).where(User.email == e))
                              for e in ("bestuur@demo.example", "accountant@demo.example"))
        authorise(db, member, "41234", 2025, accountant.firm_id)
        db.commit()
    reader = tokens["accountant"]
    assert client.get(URL, headers=reader).get_json()["revision"] == 1
    assert error(client.put(URL, headers=reader, json={"revision": 1, "facts": facts})) == (403, "FORBIDDEN")
    assert error(client.post(URL + "/file", headers=reader, json={})) == (403, "FILING-TEST-ONLY")
    checked = client.post(URL + "/file", headers=reader, json={"test": True})
    assert checked.status_code == 202 and checked.get_json()["test"] is True
    assert error(client.post("/api/v1/drafts/41234/2024/file", headers=tokens["board"])) == (409, "DRAFT-EMPTY")


def _typed(fact: dict[str, Any]) -> tuple[tuple[str, str, str], Any]:
    """A fact as key -> value, numbers as numbers (1234567 and 1234567.00 are one amount)."""
    key = (fact["concept"], fact["period"], json.dumps(fact["dimensions"], sort_keys=True))
    return key, Decimal(fact["value"]) if fact["unit"] else fact["value"]


def test_a_report_put_filed_and_submitted_reads_back_from_ocw(app: Flask, client: FlaskClient, tokens: dict,
                                                              deliver: Any) -> None:
    """The issue's end-to-end test: the facts of a complete valid report put through the API, filed,
    validated, submitted and delivered come back from OCW's figures API exactly as they were put."""
    board = tokens["board"]
    facts = facts_of(2025, "po-small")
    assert client.put(URL, headers=board, json={"revision": None, "facts": facts}).status_code == 200
    filed = client.post(URL + "/file", headers=board, json={})
    assert filed.status_code == 202
    filing = filed.get_json()
    # The answer an upload gives, for the version the draft became.
    assert filing == client.get(f"/api/v1/filings/{filing['id']}", headers=board).get_json()
    assert (filing["version"], filing["test"], filing["status"], filing["receipt"]) == (1, False, "queued", None)
    assert run_jobs(app) == ["valid"]
    receipt = client.post(f"/api/v1/filings/{filing['id']}/submit", headers=board, json={"declaration": True})
    assert receipt.status_code == 201
    with app.app_context():
        stored = get_db().get(Filing, filing["id"])
        assert receipt.get_json()["files"][0]["sha256"] == stored.file_sha256
    assert deliver() >= 1
    figures = client.get("/api/v1/figures?year=2025&board=41234", headers=tokens["ocw"]).get_json()["facts"]
    assert len(figures) == len(facts)
    assert dict(map(_typed, figures)) == dict(map(_typed, facts))
    # Filing the same draft again is the same version.
    assert client.post(URL + "/file", headers=board, json={}).get_json()["id"] == filing["id"]


SAMPLES = (("po-small", "41234", "board"), ("vo-large", "30567", "board2"), ("mbo", "25123", "board2"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the instance is the same on either
def test_every_sample_s_draft_instance_is_valid_in_arelle_cmdline(app: Flask, client: FlaskClient, tokens: dict,
                                                                  packages: list[Path], tmp_path: Path) -> None:
    """The issue's: each valid xBRL-XML sample's facts put through the drafts API (both years), the
    instance filing the draft makes (the stored file), all validated clean by arelleCmdLine."""
    files = []
    for year in (2024, 2025):
        for name, number, role in SAMPLES:
            url = f"/api/v1/drafts/{number}/{year}"
            put = client.put(url, headers=tokens[role], json={"facts": facts_of(year, name)})
            assert put.status_code == 200, put.get_json()
            filed = client.post(url + "/file", headers=tokens[role], json={"test": True})
            assert filed.status_code == 202, filed.get_json()
            with app.app_context():
                data = open_store(app).get(get_db().get(Filing, filed.get_json()["id"]).file_sha256)
            path = tmp_path / f"{year}-{name}.xbrl"
            path.write_bytes(data)
            files.append(path)
    # The control: the same run must see a broken total in an instance made the same way, or a clean
    # run proves nothing.
    unbalanced = [replace(f, value=str(int(f.value) + 1000)) if f.concept == "Assets" else f
                  for f in read_instance(forms_of(2025), sample("2025/valid/mbo.xbrl"))]
    control = tmp_path / "control.xbrl"
    control.write_bytes(write_instance(forms_of(2025), "25123", unbalanced))
    problems = arelle_cmdline([*files, control], packages, tmp_path)  # one plain run, as the engine's test
    assert problems and all(f" - {control.name} " in entry for entry in problems), problems
    assert any("EDU-BAL-01" in entry for entry in problems)
