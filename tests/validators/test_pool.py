"""The worker pool: warm processes, replaced after a crash, a time limit or a memory ceiling.

A file that kills its worker gets its own report with status `error` and an ENGINE-* finding
(it used to raise EngineError, which lost every other file of a batch)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from taxonomies.samples import SAMPLES_DIR
from validators import Engine, EngineSettings, PoolSettings, Registry, Report

from ..samples import VALID


@pytest.fixture(scope="module")
def big() -> bytes:
    filing = generate(2025, "41234", "Stichting Groot", "PO", "large", officials=officials_for_facts(10_000))
    return to_xml(filing)


@pytest.fixture(scope="module")
def huge() -> bytes:
    """About 30,000 facts: 10 s or more and about 300 MB in a worker (a small filing: under 1 s, 110 MB)."""
    filing = generate(2025, "41234", "Stichting Groot", "PO", "large", officials=officials_for_facts(30_000))
    return to_xml(filing)


def _engine(registry: Registry, **settings: object) -> Engine:
    return Engine(EngineSettings(pool=PoolSettings(**{"workers": 1, **settings})), registry)


def _failed(report: Report, code: str) -> None:
    assert report.status == "error" and [f.code for f in report.findings] == [code]
    (item,) = report.findings
    assert item.severity == "error" and item.message["nl"] and item.message["en"] and report.signals is None


def test_a_crashed_worker_is_replaced(registry: Registry, big: bytes) -> None:
    with _engine(registry) as engine:
        engine.validate(VALID, "a.xbrl", "41234", 2025)
        (pid,) = engine.pool.worker_pids()
        killer = threading.Timer(0.3, os.kill, (pid, signal.SIGKILL))
        killer.start()
        _failed(engine.validate(big, "big.xbrl", "41234", 2025), "ENGINE-CRASH")
        assert engine.validate(VALID, "a.xbrl", "41234", 2025).status == "valid"
        assert engine.pool.worker_pids() != [pid] and engine.pool.restarts == 1


def test_a_validation_over_the_time_limit_is_stopped_and_the_batch_goes_on(registry: Registry, huge: bytes) -> None:
    with _engine(registry, timeout_s=3) as engine:
        engine.validate(VALID, "a.xbrl", "41234", 2025)
        started = time.monotonic()
        report, valid = engine.validate_many([(huge, "huge.xbrl", "41234", 2025), (VALID, "a.xbrl", "41234", 2025)])
        _failed(report, "ENGINE-TIMEOUT")
        assert "more than 3 seconds of computing time" in report.findings[0].message["en"] and report.file_name == "huge.xbrl"
        assert valid.status == "valid" and valid.file_name == "a.xbrl"
        assert time.monotonic() - started < 60


def test_a_worker_over_the_memory_ceiling_is_stopped_and_the_batch_goes_on(registry: Registry, huge: bytes) -> None:
    with _engine(registry, kill_mb=150) as engine:  # a small filing peaks at about 105 MB, this one at 300
        report, valid = engine.validate_many([(huge, "huge.xbrl", "41234", 2025), (VALID, "a.xbrl", "41234", 2025)])
        _failed(report, "ENGINE-MEMORY")
        assert "150 MB" in report.findings[0].message["nl"] and "150 MB" in report.findings[0].message["en"]
        assert valid.status == "valid"
        assert engine.pool.restarts == 1


def test_a_worker_that_grew_is_recycled_after_its_job(registry: Registry) -> None:
    with _engine(registry, recycle_mb=10) as engine:
        for _ in range(2):
            assert engine.validate(VALID, "a.xbrl", "41234", 2025).status == "valid"
        assert engine.pool.restarts == 2


def test_two_workers_validate_side_by_side(registry: Registry) -> None:
    files = sorted((SAMPLES_DIR / "2025/broken").glob("EDU-*.xbrl"))
    with _engine(registry, workers=2) as engine:
        reports = engine.validate_many([(p.read_bytes(), p.name, "41234", 2025) for p in files])
    assert [r.findings[0].code for r in reports] == [p.stem for p in files]


def test_workers_run_at_the_niceness_they_are_given(registry: Registry) -> None:
    """So that on a host shared with the web server, requests get the CPU before validation."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    with _engine(registry, nice=5) as niced, _engine(registry) as plain:
        assert niced.validate(VALID, "a.xbrl", "41234", 2025).status == "valid"
        assert plain.validate(VALID, "a.xbrl", "41234", 2025).status == "valid"
        (niced_pid,), (plain_pid,) = niced.pool.worker_pids(), plain.pool.worker_pids()
        assert os.getpriority(os.PRIO_PROCESS, niced_pid) == min(19, own + 5)
        assert os.getpriority(os.PRIO_PROCESS, plain_pid) == own
