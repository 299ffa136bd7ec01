"""Which taxonomy packages and entry points exist for which reporting year.

The shipped packages (taxonomies/packages, built by `make setup`) are the
default; more are registered from any directory of Taxonomy Package zips
without code changes, e.g. next year's package or the ministry's official one.
A package's reporting year is its `tp:version` when that is a year, otherwise
the first year in its entry point's URL.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SHIPPED_PACKAGES = Path(__file__).resolve().parent.parent / "taxonomies" / "packages"
_TP = "{http://xbrl.org/2016/taxonomy-package}"
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


class RegistryError(Exception):
    """A package that cannot be registered (unreadable, no entry point, no year)."""


@dataclass(frozen=True)
class Taxonomy:
    """One registered reporting year: its entry point and the package that holds it."""

    year: int
    entry_point: str
    package: Path
    package_sha256: str
    base_urls: tuple[str, ...]  # the URL prefixes the package's catalog maps

    def to_dict(self) -> dict[str, object]:
        """As the command line's JSON shows it."""
        return {"year": self.year, "entry_point": self.entry_point, "package": str(self.package),
                "package_sha256": self.package_sha256}


def read_package(path: Path) -> list[Taxonomy]:
    """The entry points a Taxonomy Package zip declares, one Taxonomy per entry point."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            meta_name = next((n for n in names if n.endswith("META-INF/taxonomyPackage.xml")), None)
            if meta_name is None:
                raise RegistryError(f"{path.name}: no META-INF/taxonomyPackage.xml")
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            meta = etree.fromstring(zf.read(meta_name), parser)
            catalog_name = meta_name.replace("taxonomyPackage.xml", "catalog.xml")
            catalog = etree.fromstring(zf.read(catalog_name), parser) if catalog_name in names else None
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise RegistryError(f"{path.name}: {exc}") from exc
    bases = tuple(e.get("uriStartString", "") for e in catalog.iter("{*}rewriteURI")) if catalog is not None else ()
    version = (meta.findtext(f"{_TP}version") or "").strip()
    entries = [e.get("href", "") for e in meta.iter(f"{_TP}entryPointDocument")]
    if not entries:
        raise RegistryError(f"{path.name}: declares no entry point")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = []
    for href in entries:
        match = re.fullmatch(r"20\d\d", version) or _YEAR.search(href)
        if not match:
            raise RegistryError(f"{path.name}: cannot tell the reporting year of {href}")
        result.append(Taxonomy(int(match.group(0)), href, path.resolve(), digest, bases))
    return result


class Registry:
    """Reporting year -> taxonomy, from one or more directories of package zips."""

    def __init__(self, directories: list[Path] | None = None) -> None:
        self._by_year: dict[int, Taxonomy] = {}
        for directory in directories if directories is not None else [SHIPPED_PACKAGES]:
            self.register_directory(directory)

    def register_directory(self, directory: Path) -> list[Taxonomy]:
        """Register every package zip in `directory`; a later package for a year replaces an earlier one."""
        added = []
        for path in sorted(Path(directory).glob("*.zip")):
            for taxonomy in read_package(path):
                self._by_year[taxonomy.year] = taxonomy
                added.append(taxonomy)
        return added

    def for_year(self, year: int) -> Taxonomy | None:
        """The taxonomy registered for reporting `year`, if any."""
        return self._by_year.get(year)

    def all(self) -> list[Taxonomy]:
        """Every registered taxonomy, by year."""
        return [self._by_year[y] for y in sorted(self._by_year)]

    @property
    def packages(self) -> list[Path]:
        """Every registered package zip (all are given to Arelle: a wrong-year
        reference then fails on its namespace, not on a missing file)."""
        return sorted({t.package for t in self._by_year.values()})

    @property
    def base_urls(self) -> tuple[str, ...]:
        """Every URL prefix the registered packages serve."""
        return tuple(sorted({b for t in self._by_year.values() for b in t.base_urls}))
