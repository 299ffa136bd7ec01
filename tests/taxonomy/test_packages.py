"""Each year's package loads in Arelle offline, clean, and is a proper Taxonomy Package."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from taxonomies.build import build_package, package_file_name
from taxonomies.check import run_arelle
from taxonomies.model import years

YEARS = [y.year for y in years()]


def test_the_years_the_standard_requires_are_shipped() -> None:
    assert {2024, 2025} <= set(YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_entry_point_loads_offline_with_no_error_warning_or_inconsistency(
        year: int, packages: list[Path], tmp_path: Path, no_network: list[object]) -> None:
    y = next(m for m in years() if m.year == year)
    cache = tmp_path / "cache"
    cache.mkdir()
    result = run_arelle(y.entry_point, packages, cache_dir=cache)
    assert result.problems == []
    assert any("Activation of package" in m.text and "successful" in m.text for m in result.messages)
    assert no_network == []  # nothing tried to connect
    assert list(cache.iterdir()) == []  # and nothing was fetched into the cache


def test_an_unknown_url_is_not_fetched(packages: list[Path], no_network: list[object]) -> None:
    # The control for the test above: a URL outside the packages fails offline
    # instead of being fetched.
    result = run_arelle("https://xbrl.onderwijs.example/2099/entrypoints/nothing.xsd", packages)
    assert any(m.level == "ERROR" for m in result.messages)
    assert no_network == []


@pytest.mark.parametrize("year", YEARS)
def test_package_is_a_taxonomy_package_with_its_entry_point_and_catalog(year: int, packages_dir: Path) -> None:
    y = next(m for m in years() if m.year == year)
    with zipfile.ZipFile(packages_dir / package_file_name(y)) as zf:
        names = zf.namelist()
        top = {n.split("/")[0] for n in names}
        assert len(top) == 1  # one top-level folder, as Taxonomy Packages 1.0 requires
        (root,) = top
        meta = etree.fromstring(zf.read(f"{root}/META-INF/taxonomyPackage.xml"))
        catalog = etree.fromstring(zf.read(f"{root}/META-INF/catalog.xml"))
    tp = "{http://xbrl.org/2016/taxonomy-package}"
    assert meta.tag == f"{tp}taxonomyPackage"
    assert [e.get("href") for e in meta.iter(f"{tp}entryPointDocument")] == [
        f"https://xbrl.onderwijs.example/{year}/entrypoints/edu-rpt-jaarverantwoording-{year}.xsd"]
    rewrite = catalog[0]
    assert rewrite.get("uriStartString") == f"https://xbrl.onderwijs.example/{year}/"
    # Every file the catalog maps to is in the package.
    mapped = rewrite.get("rewritePrefix").replace("../", f"{root}/")
    assert f"{mapped}entrypoints/edu-rpt-jaarverantwoording-{year}.xsd" in names


def test_packages_are_reproducible(tmp_path: Path, packages_dir: Path) -> None:
    # Same model, same bytes: a package's sha256 identifies the taxonomy.
    for y in years():
        again = build_package(y, tmp_path)
        assert again.read_bytes() == (packages_dir / package_file_name(y)).read_bytes()
