"""JSON API v1: token auth, the same permissions as the pages, idempotent uploads, errors with codes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from taxonomies.samples import SAMPLES_DIR

from .conftest import run_jobs

VALID = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()
BROKEN = (SAMPLES_DIR / "2025/broken/EDU-BAL-01.xbrl").read_bytes()


def _token(runner: FlaskCliRunner, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {runner.invoke(args=['tokens', 'create', email]).output.strip()}"}


@pytest.fixture
def tokens(runner: FlaskCliRunner, demo: None) -> Iterator[dict[str, dict[str, str]]]:
    yield {"board": _token(runner, "bestuur@demo.example"), "other": _token(runner, "bestuur2@demo.example"),
           "duo": _token(runner, "duo@demo.example")}


def _post(client: FlaskClient, headers: dict[str, str], data: bytes, board: str = "41234", **extra: str) -> object:
    return client.post("/api/v1/filings", headers={**headers, **extra},
                       data={"file": (io.BytesIO(data), "jv.xbrl"), "board": board, "year": "2025"},
                       content_type="multipart/form-data")


def test_upload_poll_submit_receipt(app: Flask, client: FlaskClient, tokens: dict) -> None:
    response = _post(client, tokens["board"], VALID)
    assert response.status_code == 202
    filing = response.get_json()
    assert filing == {"id": 1, "board": "41234", "year": 2025, "version": 1, "test": False, "status": "queued",
                      "report": None,
                      "receipt": None, "deliveries": [],
                      "exports": {"xbrl-json": None, "xbrl-csv": None}}
    run_jobs(app)
    filing = client.get("/api/v1/filings/1", headers=tokens["board"]).get_json()
    assert filing["status"] == "valid" and filing["report"]["status"] == "valid"
    assert client.post("/api/v1/filings/1/submit", headers=tokens["board"], json={}).status_code == 400
    receipt = client.post("/api/v1/filings/1/submit", headers=tokens["board"], json={"declaration": True})
    assert receipt.status_code == 201 and receipt.get_json()["number"] == "JV-2025-41234-0001"
    again = client.post("/api/v1/filings/1/submit", headers=tokens["board"], json={"declaration": True})
    assert again.status_code == 200 and again.get_json() == receipt.get_json()
    assert client.get("/api/v1/filings/1/receipt", headers=tokens["board"]).get_json() == receipt.get_json()
    listed = client.get("/api/v1/filings?board=41234&year=2025", headers=tokens["board"]).get_json()
    assert [f["receipt"]["number"] for f in listed["filings"]] == ["JV-2025-41234-0001"]


def test_anonymous_and_bad_tokens_get_401(client: FlaskClient, tokens: dict) -> None:
    for headers, code in (({}, "AUTH-REQUIRED"), ({"Authorization": "Bearer vp_nonsense"}, "AUTH-INVALID"),
                          ({"Authorization": "Basic abc"}, "AUTH-INVALID")):
        for response in (client.get("/api/v1/filings/1", headers=headers), _post(client, headers, VALID),
                         client.get("/api/v1/filings?board=41234&year=2025", headers=headers)):
            assert response.status_code == 401 and response.get_json()["error"]["code"] == code
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_board_gets_404_everywhere(app: Flask, client: FlaskClient, tokens: dict) -> None:
    _post(client, tokens["board"], VALID)
    run_jobs(app)
    other = tokens["other"]
    for response in (client.get("/api/v1/filings/1", headers=other),
                     client.post("/api/v1/filings/1/submit", headers=other, json={"declaration": True}),
                     client.get("/api/v1/filings/1/receipt", headers=other),
                     client.get("/api/v1/filings?board=41234&year=2025", headers=other),
                     _post(client, other, VALID, board="41234"),
                     client.get("/api/v1/filings/999", headers=other)):
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "NOT-FOUND"
    # A recipient reads the filing, but does not submit it.
    assert client.get("/api/v1/filings/1", headers=tokens["duo"]).status_code == 200
    assert client.post("/api/v1/filings/1/submit", headers=tokens["duo"], json={"declaration": True}).status_code == 404


def test_idempotency_key_makes_a_retry_safe(app: Flask, client: FlaskClient, tokens: dict) -> None:
    first = _post(client, tokens["board"], BROKEN, **{"Idempotency-Key": "k-1"})
    retry = _post(client, tokens["board"], BROKEN, **{"Idempotency-Key": "k-1"})
    assert retry.status_code == 202 and retry.get_json() == first.get_json()
    mismatch = _post(client, tokens["board"], VALID, **{"Idempotency-Key": "k-1"})
    assert mismatch.status_code == 422 and mismatch.get_json()["error"]["code"] == "IDEMPOTENCY-MISMATCH"
    assert _post(client, tokens["board"], VALID, **{"Idempotency-Key": "k-2"}).get_json()["version"] == 2


@pytest.mark.parametrize("data,code", [(b"", "IN-EMPTY"), (b"%PDF-1.7", "IN-TYPE"),
                                       (b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "IN-DTD")])
def test_hostile_files_through_the_api(app: Flask, client: FlaskClient, tokens: dict, data: bytes, code: str) -> None:
    filing_id = _post(client, tokens["board"], data).get_json()["id"]
    run_jobs(app)
    filing = client.get(f"/api/v1/filings/{filing_id}", headers=tokens["board"]).get_json()
    assert filing["status"] == "rejected" and [f["code"] for f in filing["report"]["findings"]] == [code]


def test_too_large_is_a_json_error(app: Flask, client: FlaskClient, tokens: dict) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = _post(client, tokens["board"], VALID)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "IN-SIZE"


def test_openapi_document(app: Flask, client: FlaskClient) -> None:
    """Every API route is in the document, with the method it has (the document used to leave out
    /figures and /signals); the published paths and keys are still there."""
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/filings", "/filings/{id}", "/filings/{id}/submit", "/filings/{id}/receipt",
                                 "/filings/{id}/exports/{format}", "/figures", "/signals", "/openapi.json"}
    routes = {(rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}"), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(path, method) for path, item in doc["paths"].items() for method in item}
    assert doc["components"]["schemas"]["Filing"]["required"] == ["id", "board", "year", "version", "status",
                                                                   "report", "receipt"]
