"""Operations: /healthz, /readyz with each check named, Prometheus metrics read from the database
behind a token, and one structured log line per request and per job."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from prometheus_client.parser import text_string_to_metric_families

from portal import create_app
from portal.jobs import deliveries
from portal.ops.logs import JsonFormatter, TextFormatter

from ..samples import BROKEN, VALID
from .conftest import free_port, run_jobs

TOKEN = "prometheus-scrape-token"


def _token(runner: FlaskCliRunner, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {runner.invoke(args=['tokens', 'create', email]).output.strip()}"}


def _upload(client: FlaskClient, headers: dict[str, str], data: bytes) -> int:
    response = client.post("/api/v1/filings", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "jv.xbrl"), "board": "41234", "year": "2025"})
    assert response.status_code == 202, response.get_json()
    return int(response.get_json()["id"])


def _metrics(client: FlaskClient) -> dict[str, float]:
    """Every sample of /metrics as 'name{label="value",...}': value."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def test_healthz_answers_without_the_database_and_readyz_names_each_check(app: Flask, client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["ready"] is True and sorted(body["checks"]) == ["database", "store"]  # no broker configured
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())

    nowhere = f"postgresql+psycopg://portal:portal@127.0.0.1:{free_port()}/x"
    dead = create_app({"TESTING": True, "DATABASE_URL": nowhere}, instance_path=app.instance_path)
    started = time.perf_counter()
    assert dead.test_client().get("/healthz").status_code == 200  # the process is up, whatever is behind it
    ready = dead.test_client().get("/readyz")
    assert time.perf_counter() - started < 3
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["database"] == {"ok": False, "error": "unreachable",
                                                      "ms": ready.get_json()["checks"]["database"]["ms"]}


def test_readyz_reports_a_broker_that_is_down_within_its_deadline(app: Flask) -> None:
    down = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "READY_TIMEOUT_SECONDS": 1.0,
                       "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"}, instance_path=app.instance_path)
    started = time.perf_counter()
    response = down.test_client().get("/readyz")
    assert time.perf_counter() - started < 2
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["broker"]["ok"] is False and checks["broker"]["error"] == "unreachable"
    assert checks["database"]["ok"] is True and checks["store"]["ok"] is True


def test_readyz_reports_a_store_it_cannot_write_to(app: Flask, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    broken = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"],
                         "FILES_PATH": str(blocker / "files")}, instance_path=app.instance_path)
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["store"] == {"ok": False, "error": "unusable",
                                                      "ms": response.get_json()["checks"]["store"]["ms"]}


def test_readyz_reports_a_database_store_it_cannot_read(app: Flask, tmp_path: Path) -> None:
    # A database that answers but has no store table (its own pool, not the app's, reads it).
    bare = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'bare.db'}", "FILE_STORE": "database"},
                      instance_path=str(tmp_path / "bare"))
    checks = bare.test_client().get("/readyz").get_json()["checks"]
    assert checks["database"]["ok"] is True
    assert (checks["store"]["ok"], checks["store"]["error"]) == (False, "unusable")
    ready = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "FILE_STORE": "database"},
                       instance_path=app.instance_path).test_client().get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"]["store"]["ok"] is True


def test_metrics_are_off_without_a_token_and_need_it(app: Flask, client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404  # no METRICS_TOKEN: no metrics at all
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_metrics_come_from_the_database_whichever_process_did_the_work(app: Flask, client: FlaskClient,
                                                                      runner: FlaskCliRunner, demo: None) -> None:
    app.config["METRICS_TOKEN"] = TOKEN
    board = _token(runner, "bestuur@demo.example")
    valid, _broken = _upload(client, board, VALID), _upload(client, board, BROKEN)
    before = _metrics(client)
    assert before["portal_validation_queue_length"] == 2 and before['portal_filings{status="queued"}'] == 2
    assert before["portal_validation_seconds_count"] == 0

    run_jobs(app)  # as a worker elsewhere would: this web process validated nothing
    assert client.post(f"/api/v1/filings/{valid}/submit", headers=board, json={"declaration": True}).status_code == 201
    # A second web process on the same database (another host behind the proxy) sees the same.
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "METRICS_TOKEN": TOKEN},
                       instance_path=app.instance_path)
    for metrics in (_metrics(client), _metrics(other.test_client())):
        assert metrics["portal_database_up"] == 1
        assert metrics["portal_validation_queue_length"] == 0
        assert metrics['portal_filings{status="valid"}'] == 1 and metrics['portal_filings{status="invalid"}'] == 1
        assert metrics["portal_validation_seconds_count"] == 2
        assert metrics['portal_validation_seconds_bucket{le="+Inf"}'] == 2
        assert 0 < metrics["portal_validation_seconds_sum"] < 120
        assert metrics["portal_validation_turnaround_seconds_count"] == 2
        assert all(metrics[f'portal_deliveries_pending{{recipient="{r}"}}'] == 1
                   for r in ("duo", "ocw", "inspectorate"))
    other.extensions["db_engine"].dispose()
    with app.app_context():
        deliveries.process(app)
    assert all(_metrics(client)[f'portal_deliveries_pending{{recipient="{r}"}}'] == 0
               for r in ("duo", "ocw", "inspectorate"))
    assert _metrics(client)['portal_http_request_duration_seconds_count{endpoint="api.create_filing"}'] == 2


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, object]]:
    json_format = JsonFormatter()
    return [json.loads(json_format.format(r)) for r in caplog.records if r.name == logger]


def test_one_json_line_per_request_and_per_job(app: Flask, client: FlaskClient, runner: FlaskCliRunner, demo: None,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    board = _token(runner, "bestuur@demo.example")
    filing_id = _upload(client, board, VALID)
    client.get(f"/api/v1/filings/{filing_id}?access_token=geheim", headers=board)
    client.get("/healthz")  # probes are not logged while they succeed
    requests = _lines(caplog, "portal.access")
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("POST", "/api/v1/filings", 202), ("GET", f"/api/v1/filings/{filing_id}", 200)]  # never the query
    assert all(r["event"] == "request" and r["user_id"] and isinstance(r["duration_ms"], float) for r in requests)
    assert [r["filing_id"] for r in requests] == [None, filing_id]
    assert all(not any("geheim" in str(v) for v in r.values()) for r in requests)

    run_jobs(app)
    submitted = client.post(f"/api/v1/filings/{filing_id}/submit", headers=board, json={"declaration": True})
    assert submitted.status_code == 201
    with app.app_context():
        deliveries.process(app)
    jobs = _lines(caplog, "portal.jobs.log")
    assert [(j["job"], j["filing_id"], j["outcome"]) for j in jobs] == [
        ("validation", filing_id, "valid"), *[("delivery", filing_id, "delivered")] * 3]
    assert sorted(j["recipient"] for j in jobs[1:]) == ["duo", "inspectorate", "ocw"]
    assert all(j["event"] == "job" and j["duration_ms"] >= 0 and j["level"] == "info" for j in jobs)
    text = TextFormatter().format(next(r for r in caplog.records if r.name == "portal.jobs.log"))
    assert f"filing_id={filing_id}" in text and "outcome=valid" in text


def test_a_logged_in_pages_request_names_its_user_and_filing(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                              demo: None, caplog: pytest.LogCaptureFixture) -> None:
    from .conftest import log_in

    filing_id = _upload(client, _token(runner, "bestuur@demo.example"), VALID)
    log_in(client, "bestuur@demo.example")
    caplog.set_level(logging.INFO)
    assert client.get(f"/filings/{filing_id}/status").status_code == 200
    line = _lines(caplog, "portal.access")[-1]
    assert line["path"] == f"/filings/{filing_id}/status" and line["filing_id"] == filing_id
    assert isinstance(line["user_id"], int)


def test_the_log_format_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        create_app({"TESTING": True, "LOG_FORMAT": "xml", "DATABASE_URL": "sqlite://"}, instance_path=str(tmp_path))
