"""The validation engine: no Flask here. The portal, its workers, the command line
and the tests all call the same `validate()`.

    from validators import validate
    report = validate(data, "jaarverslag.xbrl", board="41234", year=2025)
    report.status, report.to_json()

`validate` uses one process-wide Engine (warm Arelle workers, started on first
use, stopped at exit); create an `Engine` yourself to choose its settings.
"""

from __future__ import annotations

import atexit
import threading

from .engine import Engine, EngineSettings, refusal
from .intake import Limits
from .arelle.pool import EngineError, PoolSettings
from .registry import Registry
from .report import Finding, Report, Signal

__all__ = ["validate", "Engine", "EngineSettings", "EngineError", "Limits", "PoolSettings", "Registry",
           "Finding", "Report", "Signal", "refusal"]

_engine: Engine | None = None
_engine_lock = threading.Lock()


def default_engine() -> Engine:
    """The process-wide engine with default settings."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Engine()
            atexit.register(_engine.close)
        return _engine


def validate(data: bytes, filename: str, board: str, year: int) -> Report:
    """Validate an uploaded file (bytes and its name) for a school board and reporting year."""
    return default_engine().validate(data, filename, board, year)
