"""Fixtures shared by every test package."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomies.build import build_package
from taxonomies.model import years


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every year's package, built from the model for this test run (not the developer's copies)."""
    out = tmp_path_factory.mktemp("packages")
    for year in years():
        build_package(year, out)
    return out


@pytest.fixture(scope="session")
def packages(packages_dir: Path) -> list[Path]:
    """The package zips, oldest year first."""
    return sorted(packages_dir.glob("*.zip"))


class NetworkUsed(AssertionError):
    """Raised when code under test opens a network connection."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail any attempt to connect anywhere; yields the list of attempted addresses."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise NetworkUsed(f"network connection attempted to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
