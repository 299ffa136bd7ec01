"""An engine with warm workers, shared by the engine tests of one test process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomies.samples import SAMPLES_DIR
from validators import Engine, EngineSettings, PoolSettings, Registry


@pytest.fixture(scope="session")
def registry(packages_dir: Path) -> Registry:
    """The packages built for this test run."""
    return Registry([packages_dir])


@pytest.fixture(scope="session")
def engine(registry: Registry) -> Iterator[Engine]:
    """A warm engine with two workers."""
    with Engine(EngineSettings(pool=PoolSettings(workers=2)), registry) as e:
        yield e


def sample(relative: str) -> bytes:
    """A committed sample filing's bytes, e.g. sample('2025/valid/po-small.xbrl')."""
    return (SAMPLES_DIR / relative).read_bytes()
