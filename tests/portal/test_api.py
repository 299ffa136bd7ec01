"""JSON API v1: token auth, the same permissions as the pages, idempotent uploads, errors with codes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal import create_app

from ..samples import BROKEN, VALID
from .conftest import free_port, run_jobs


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
    # A recipient neither reads a version never submitted nor submits it.
    assert client.get("/api/v1/filings/1", headers=tokens["duo"]).status_code == 404
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
                                 "/filings/{id}/exports/{format}", "/figures", "/signals", "/openapi.json",
                                 "/drafts/{board}/{year}", "/drafts/{board}/{year}/file",
                                 "/filings/{id}/statements", "/filings/{id}/compare"}
    routes = {(rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}"), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(path, method) for path, item in doc["paths"].items() for method in item}
    assert doc["components"]["schemas"]["Filing"]["required"] == ["id", "board", "year", "version", "status",
                                                                   "report", "receipt"]


def _filings(client: FlaskClient, headers: dict[str, str]) -> list[dict]:
    return client.get("/api/v1/filings?board=41234&year=2025", headers=headers).get_json()["filings"]


def test_an_idempotency_key_over_200_characters_is_refused(app: Flask, client: FlaskClient, tokens: dict) -> None:
    """It used to be stored cut to 200 characters and looked up whole, so it never matched: the same
    key with another file was accepted twice."""
    long_key = {"Idempotency-Key": "k" * 201}
    for data in (BROKEN, VALID):
        response = _post(client, tokens["board"], data, **long_key)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "IDEMPOTENCY-KEY"
    assert _filings(client, tokens["board"]) == []
    for bad in ("", "sleutel-é", "tab\there"):
        assert _post(client, tokens["board"], VALID, **{"Idempotency-Key": bad}).status_code == 400
    longest = {"Idempotency-Key": "k" * 200}
    first = _post(client, tokens["board"], BROKEN, **longest)
    assert first.status_code == 202 and _post(client, tokens["board"], BROKEN, **longest).get_json() == first.get_json()
    assert _post(client, tokens["board"], VALID, **longest).status_code == 422


def test_the_file_name_is_part_of_the_idempotent_request(app: Flask, client: FlaskClient, tokens: dict) -> None:
    """The same key, board, year and bytes under another file name is another request (the version
    keeps the name it was uploaded with)."""
    key = {**tokens["board"], "Idempotency-Key": "k-1"}
    first = client.post("/api/v1/filings", headers=key, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(VALID), "a.xbrl"), "board": "41234", "year": "2025"})
    renamed = client.post("/api/v1/filings", headers=key, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(VALID), "b.xbrl"), "board": "41234", "year": "2025"})
    assert first.status_code == 202
    assert renamed.status_code == 422 and renamed.get_json()["error"]["code"] == "IDEMPOTENCY-MISMATCH"


@pytest.mark.parametrize("method,url,body,status,code", [
    # A JSON body that is not an object used to raise AttributeError (500).
    ("post", "/api/v1/filings/1/submit", [True], 400, "REQUEST-INVALID"),
    ("post", "/api/v1/filings/1/submit", "declaration", 400, "REQUEST-INVALID"),
    # str.isdigit() takes '²', which int() refuses (500).
    ("get", "/api/v1/filings?board=41234&year=%C2%B2", None, 400, "REQUEST-INVALID"),
    # Numbers past what the database holds (OverflowError on SQLite, DataError on PostgreSQL).
    ("get", "/api/v1/filings?board=41234&year=99999999999999999999", None, 400, "REQUEST-INVALID"),
    ("get", "/api/v1/filings/99999999999999999999", None, 404, "NOT-FOUND"),
    ("get", "/api/v1/filings/99999999999999999999/receipt", None, 404, "NOT-FOUND"),
    # PostgreSQL refuses NUL in text (DataError).
    ("get", "/api/v1/filings?board=41%0034&year=2025", None, 400, "REQUEST-INVALID"),
])
def test_malformed_requests_get_a_code_not_a_500(app: Flask, client: FlaskClient, tokens: dict, method: str, url: str,
                                                 body: object, status: int, code: str) -> None:
    _post(client, tokens["board"], VALID)
    response = getattr(client, method)(url, headers=tokens["board"], json=body)
    assert response.status_code == status and response.get_json()["error"]["code"] == code


def test_a_file_name_with_control_characters_is_refused(app: Flask, client: FlaskClient, tokens: dict) -> None:
    """PostgreSQL cannot store a NUL in the name (a 500 there); no name needs one."""
    response = client.post("/api/v1/filings", headers=tokens["board"], content_type="multipart/form-data",
                           data={"file": (io.BytesIO(VALID), "jv\x00.xbrl"), "board": "41234", "year": "2025"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "REQUEST-INVALID"
    assert _filings(client, tokens["board"]) == []


def test_each_bad_field_is_named_with_its_stable_code(app: Flask, client: FlaskClient, tokens: dict) -> None:
    def upload(**fields: object) -> dict:
        data = {"file": (io.BytesIO(VALID), "jv.xbrl"), "board": "41234", "year": "2025", **fields}
        response = client.post("/api/v1/filings", headers=tokens["board"], content_type="multipart/form-data",
                               data={k: v for k, v in data.items() if v is not None})
        assert response.status_code == 400
        return response.get_json()["error"]

    assert upload(year=None) == {"code": "REQUEST-INVALID", "message": {
        "nl": "Ontbrekend of ongeldig veld 'year': verwacht een verslagjaar van 2000 tot en met 2100.",
        "en": "Missing or invalid field 'year': expected a reporting year from 2000 to 2100."}}
    assert upload(year="1999")["code"] == "FILING-YEAR"  # as before: a year the portal does not take
    assert "'board'" in upload(board="4123")["message"]["en"] and "'file'" in upload(file=None)["message"]["en"]
    assert "'test'" in upload(test="maybe")["message"]["en"]
    assert client.post("/api/v1/filings/1/submit", headers=tokens["board"],
                       json={"declaration": "yes"}).get_json()["error"]["code"] == "SUBMIT-DECLARATION"


def test_the_flags_the_api_has_always_read(app: Flask, client: FlaskClient, tokens: dict) -> None:
    """`test` as true/1/yes in any case, and a form's declaration=yes, still work."""
    assert _post(client, tokens["board"], VALID, board="41234").get_json()["test"] is False
    for flag in ("TRUE", "1", "yes"):
        response = client.post("/api/v1/filings", headers=tokens["board"], content_type="multipart/form-data",
                               data={"file": (io.BytesIO(flag.encode() + VALID), "jv.xbrl"), "board": "41234",
                                     "year": "2025", "test": flag})
        assert response.status_code == 202 and response.get_json()["test"] is True, flag
    run_jobs(app)
    submitted = client.post("/api/v1/filings/1/submit", headers=tokens["board"], data={"declaration": "yes"})
    assert submitted.status_code == 201


def test_a_method_the_url_does_not_have_is_a_json_405(client: FlaskClient, tokens: dict) -> None:
    response = client.delete("/api/v1/filings/1", headers=tokens["board"])
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "METHOD-NOT-ALLOWED"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("url", ["postgresql+psycopg://portal:portal@127.0.0.1:{port}/portal",
                                 "sqlite:///{tmp}/no-such-folder/portal.db"])
def test_an_unreachable_database_is_a_503(tmp_path: Path, url: str) -> None:
    """The API's error shape, and a hint to retry, instead of an exception."""
    app = create_app({"TESTING": True, "DATABASE_URL": url.format(port=free_port(), tmp=tmp_path), "WORKER": "none"},
                     instance_path=str(tmp_path / "instance"))
    response = app.test_client().get("/api/v1/filings/1", headers={"Authorization": "Bearer vp_x"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "SERVICE-UNAVAILABLE"
    assert response.headers["Retry-After"] == "30"


def test_a_bug_still_answers_in_the_error_shape(tmp_path: Path) -> None:
    """A database file that is no database is no passing outage: 500, but as JSON, not a page."""
    (tmp_path / "portal.db").write_bytes(b"this is not a database" * 100)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "WORKER": "none"},
                     instance_path=str(tmp_path / "instance"))
    response = app.test_client().get("/api/v1/filings/1", headers={"Authorization": "Bearer vp_x"})
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "INTERNAL-ERROR"
