"""The worker pool: warm processes, replaced after a crash, a time limit or a memory ceiling."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from taxonomies.samples import SAMPLES_DIR
from validators import Engine, EngineError, EngineSettings, PoolSettings, Registry

VALID = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()


@pytest.fixture(scope="module")
def big() -> bytes:
    filing = generate(2025, "41234", "Stichting Groot", "PO", "large", officials=officials_for_facts(10_000))
    return to_xml(filing)


def _engine(registry: Registry, **settings: object) -> Engine:
    return Engine(EngineSettings(pool=PoolSettings(**{"workers": 1, **settings})), registry)


def test_a_crashed_worker_is_replaced(registry: Registry, big: bytes) -> None:
    with _engine(registry) as engine:
        engine.validate(VALID, "a.xbrl", "41234", 2025)
        (pid,) = engine.pool.worker_pids()
        killer = threading.Timer(0.3, os.kill, (pid, signal.SIGKILL))
        killer.start()
        with pytest.raises(EngineError, match="crashed"):
            engine.validate(big, "big.xbrl", "41234", 2025)
        assert engine.validate(VALID, "a.xbrl", "41234", 2025).status == "valid"
        assert engine.pool.worker_pids() != [pid] and engine.pool.restarts == 1


def test_a_validation_over_the_time_limit_is_stopped(registry: Registry, big: bytes) -> None:
    with _engine(registry, timeout_s=0.5) as engine:
        engine.validate(VALID, "a.xbrl", "41234", 2025)
        started = time.monotonic()
        with pytest.raises(EngineError, match="longer than"):
            engine.validate(big, "big.xbrl", "41234", 2025)
        assert time.monotonic() - started < 5
        assert engine.validate(VALID, "a.xbrl", "41234", 2025).status == "valid"


def test_a_worker_over_the_memory_ceiling_is_stopped(registry: Registry, big: bytes) -> None:
    with _engine(registry, kill_mb=60) as engine:  # any Arelle run is larger than 60 MB
        with pytest.raises(EngineError, match="MB"):
            engine.validate(big, "big.xbrl", "41234", 2025)


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
