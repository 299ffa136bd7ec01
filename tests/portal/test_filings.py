"""Uploading, validating in the background and reading the report; who may see what."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.db import get_db
from portal.filings.models import Filing
from portal.jobs import core
from validators import Engine, EngineSettings, PoolSettings

from ..samples import BROKEN, VALID
from .conftest import csrf_token, log_in, post_upload, run_jobs, upload_page


def test_upload_validate_read_the_report(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    response = post_upload(client, BROKEN)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "In de wachtrij" in page  # queued: the page shows progress
    assert client.get("/filings/1/status").get_json() == {"id": 1, "status": "queued", "done": False}
    assert run_jobs(app) == ["invalid"]
    assert client.get("/filings/1/status").get_json()["done"] is True
    page = client.get("/filings/1").get_data(as_text=True)
    assert "Ongeldig" in page and "EDU-BAL-01" in page and "Totaal activa" in page and "Balans" in page
    assert "Signaleringswaarden" in page
    report = client.get("/filings/1/report.json")
    assert report.headers["Content-Disposition"].startswith("attachment;")
    assert report.get_json()["findings"][0]["code"] == "EDU-BAL-01"


def test_versions_and_the_same_bytes_twice(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    first = upload_page(client, BROKEN)
    assert upload_page(client, BROKEN, "again.xbrl") == first  # recognised, not duplicated
    second = upload_page(client, VALID)
    assert second != first
    run_jobs(app)
    with app.app_context():
        versions = {f.version: f.status for f in get_db().query(Filing).all()}
    assert versions == {1: "invalid", 2: "valid"}
    page = client.get("/boards/41234/2025").get_data(as_text=True)
    assert "Ongeldig" in page and "Geldig" in page


@pytest.mark.parametrize("path", ["/filings/1", "/filings/1/status", "/filings/1/report.json", "/filings/1/report-part",
                                  "/boards/41234/2025"])
def test_another_boards_user_gets_not_found(app: Flask, client: FlaskClient, demo: None, path: str) -> None:
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    run_jobs(app)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "bestuur2@demo.example")  # boards 30567 and 25123, not 41234
    assert client.get(path).status_code == 404
    assert client.get("/filings/999").status_code == 404  # the same answer as for a filing that does not exist


def test_another_boards_user_cannot_upload_for_it(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur2@demo.example")
    token = csrf_token(client, "/boards/30567/2025")
    response = client.post("/boards/41234/2025/upload", data={"csrf_token": token, "file": (io.BytesIO(BROKEN), "x.xbrl")},
                           content_type="multipart/form-data")
    assert response.status_code == 404


def test_upload_without_csrf_token_fails(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    response = client.post("/boards/41234/2025/upload", data={"file": (io.BytesIO(BROKEN), "x.xbrl")},
                           content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("data,name,code", [
    (b"", "empty.xbrl", "IN-EMPTY"), (b"%PDF-1.7 not xbrl", "jaarverslag.xbrl", "IN-TYPE"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "xxe.xbrl", "IN-DTD"),
    (VALID.replace(b"https://xbrl.onderwijs.example/2025/entrypoints/edu-rpt-jaarverantwoording-2025.xsd",
                   b"file:///etc/passwd"), "local.xbrl", "FR-ENTRYPOINT")])
def test_hostile_uploads_are_rejected_with_their_code(app: Flask, client: FlaskClient, demo: None, data: bytes,
                                                      name: str, code: str) -> None:
    log_in(client, "bestuur@demo.example")
    location = upload_page(client, data, name)
    run_jobs(app)
    page = client.get(location).get_data(as_text=True)
    assert code in page and ("Geweigerd" in page or "Ongeldig" in page)
    assert client.get("/").status_code == 200  # and the portal is still up


def test_an_interrupted_validation_is_picked_up_again(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config["JOB_LEASE_SECONDS"] = 1
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    with app.app_context():
        assert core.claim_next().filing_id == 1  # a worker took it ... and died before finishing
        assert core.claim_next() is None
        assert core.recover() == []  # its lease still holds
        time.sleep(1.2)  # nobody renewed it
        assert core.recover() == [1]
    assert run_jobs(app) == ["invalid"]


def test_a_filing_over_the_time_limit_ends_at_once_with_its_report(app: Flask, client: FlaskClient, demo: None) -> None:
    # Not retried three times (it used to be, tying up the workers): the same file would time out again.
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    # A real engine whose time limit no validation can meet.
    with Engine(EngineSettings(pool=PoolSettings(workers=1, timeout_s=0.01)), app.extensions["engine"].registry) as failing:
        app.extensions["engine"] = failing
        assert run_jobs(app) == ["error"]
    with app.app_context():
        filing = get_db().get(Filing, 1)
        assert filing.attempts == 1 and "more than 0.01 seconds of computing time" in filing.last_error
    assert client.get("/filings/1/status").get_json() == {"id": 1, "status": "error", "done": True}
    page = client.get("/filings/1").get_data(as_text=True)
    assert "Controle niet afgerond" in page and "ENGINE-TIMEOUT" in page
    assert "meer dan 0.01 seconden rekentijd" in page and "Maak het bestand kleiner" in page
    report = client.get("/filings/1/report.json").get_json()
    assert report["status"] == "error" and [f["code"] for f in report["findings"]] == ["ENGINE-TIMEOUT"]
    assert client.get("/filings/1/report.pdf").status_code == 200


def _worker_children() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"validators.arelle.worker" in (entry / "cmdline").read_bytes():
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                    found.add(int(entry.name))
        except OSError:
            continue
    return found


def test_a_crashed_worker_is_retried_then_marked_error(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    others = _worker_children()  # the shared engines' workers live on
    stop = threading.Event()

    def kill_new_workers() -> None:  # every worker of the engine below dies: a system failure, every time
        while not stop.wait(0.02):
            for pid in _worker_children() - others:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    killer = threading.Thread(target=kill_new_workers, daemon=True)
    killer.start()
    try:
        with Engine(EngineSettings(pool=PoolSettings(workers=1)), app.extensions["engine"].registry) as crashing:
            app.extensions["engine"] = crashing
            assert run_jobs(app) == ["queued", "queued", "error"]
    finally:
        stop.set()
        killer.join()
    with app.app_context():
        filing = get_db().get(Filing, 1)
        assert filing.attempts == core.MAX_ATTEMPTS and filing.last_error
    page = client.get("/filings/1").get_data(as_text=True)
    assert "ENGINE-CRASH" in page and "storing in het systeem" in page


def test_every_hostile_file_is_rejected_through_the_page_and_the_api(app: Flask, client: FlaskClient, runner,
                                                                      demo: None) -> None:
    from ..hostile import HOSTILE  # built on import: only for this test

    # Every hostile file in a row is more than the upload limits allow a user or a board in ten minutes.
    app.config.update(UPLOAD_RATE_PER_USER=0, UPLOAD_RATE_PER_BOARD=0)
    # The API uploads go to another board by another user: the same bytes for the same board would
    # (rightly) be recognised as the version uploaded through the page.
    token = runner.invoke(args=["tokens", "create", "bestuur2@demo.example"]).output.strip()
    log_in(client, "bestuur@demo.example")
    expected: dict[int, str] = {}
    for name, (data, file_name, code) in HOSTILE.items():
        if len(data) > app.config["MAX_CONTENT_LENGTH"]:
            continue  # too large for the request itself: answered 413 before it is stored (below)
        expected[int(upload_page(client, data, file_name).rsplit("/", 1)[1])] = code
        api = client.post("/api/v1/filings", headers={"Authorization": f"Bearer {token}"},
                          data={"file": (io.BytesIO(data), file_name), "board": "30567", "year": "2025"},
                          content_type="multipart/form-data")
        assert api.status_code == 202, name
        expected[api.get_json()["id"]] = code
    run_jobs(app)
    for filing_id, code in expected.items():
        filing = client.get(f"/api/v1/filings/{filing_id}", headers={"Authorization": f"Bearer {token}"})
        report = (filing.get_json() if filing.status_code == 200 else {"report": client.get(
            f"/filings/{filing_id}/report.json").get_json()})["report"]
        assert [f["code"] for f in report["findings"]] == [code], (filing_id, code)
    huge = client.post("/api/v1/filings", headers={"Authorization": f"Bearer {token}"},
                       data={"file": (io.BytesIO(b"<" + b" " * (26 * 1024 * 1024)), "huge.xbrl"), "board": "30567",
                             "year": "2025"}, content_type="multipart/form-data")
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "IN-SIZE"
    assert client.get("/").status_code == 200 and client.get("/boards/41234/2025").status_code == 200  # still up


def test_a_report_with_findings_with_and_without_a_statement(app: Flask, client: FlaskClient, demo: None) -> None:
    # A text fact with a child element: Arelle's findings about it name no statement, EDU-BAL-01 names the balance
    # sheet; both are errors, so one severity holds a finding without a statement beside ones with one.
    data = BROKEN.replace(b'<edu:AuditorName contextRef="D2025" xml:lang="nl">drs. M. de Wit RA</edu:AuditorName>',
                          b'<edu:AuditorName contextRef="D2025" xml:lang="nl">drs. M. de Wit '
                          b'<b xmlns="http://www.w3.org/1999/xhtml">RA</b></edu:AuditorName>')
    assert data != BROKEN
    log_in(client, "bestuur@demo.example")
    upload_page(client, data)
    assert run_jobs(app) == ["invalid"]
    with app.app_context():
        findings = get_db().get(Filing, 1).report["findings"]
    assert {f["statement"] is None for f in findings} == {True, False}
    for path in ("/filings/1", "/filings/1/report-part"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        errors = page.split('class="findings sev-error"', 1)[1].split("</section>", 1)[0]
        headings = [h.split("</h4>", 1)[0] for h in errors.split("<h4>")[1:]]
        assert headings == ["Algemeen", "Algemene informatie", "Balans"]  # those without a statement first
    assert client.get("/filings/1/report.pdf").status_code == 200
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert "<h4>General</h4>" in client.get("/filings/1").get_data(as_text=True)


def test_the_same_file_again_says_which_version_it_already_is(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    first = upload_page(client, VALID)
    assert "al geüpload" not in client.get(first).get_data(as_text=True)
    again = post_upload(client, VALID)
    assert again.headers["Location"] == first
    page = client.get(first).get_data(as_text=True)
    assert "Dit bestand is al geüpload: het is versie 1 van" in page
    with app.app_context():
        assert get_db().query(Filing).count() == 1
