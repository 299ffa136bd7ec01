"""The taxonomy registry: shipped packages by default, more from a directory, no code changes."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from taxonomies.build import build_package
from taxonomies.model import year as model_year
from validators import Registry
from validators.registry import RegistryError


def test_years_entry_points_and_packages(registry: Registry, packages_dir: Path) -> None:
    assert [t.year for t in registry.all()] == [2024, 2025]
    for taxonomy in registry.all():
        assert taxonomy.entry_point == model_year(taxonomy.year).entry_point
        assert taxonomy.package.parent == packages_dir.resolve()
        assert taxonomy.base_urls == (f"https://xbrl.onderwijs.example/{taxonomy.year}/",)


def test_another_directory_adds_a_year(tmp_path: Path, packages_dir: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    # A 2026 package: the 2025 model under another year, as an administrator would drop it in.
    y = model_year(2025)
    build_package(replace(y, year=2026), extra)
    registry = Registry([packages_dir, extra])
    assert [t.year for t in registry.all()] == [2024, 2025, 2026]
    assert registry.for_year(2026).entry_point.endswith("edu-rpt-jaarverantwoording-2026.xsd")


def test_a_broken_package_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(RegistryError, match="bad.zip"):
        Registry([tmp_path])
    (tmp_path / "bad.zip").unlink()
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as zf:
        zf.writestr("x/readme.txt", "hello")
    with pytest.raises(RegistryError, match="taxonomyPackage.xml"):
        Registry([tmp_path])


def test_the_shipped_packages_are_the_default() -> None:
    # make setup builds them into taxonomies/packages before the tests run.
    assert {t.year for t in Registry().all()} >= {2024, 2025}
