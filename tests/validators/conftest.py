"""An engine with warm workers, shared by the engine tests of one test process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
