"""Build the taxonomy packages: model -> XBRL files -> one Taxonomy Package 1.0 zip per year.

    python -m taxonomies.build [--out DIR] [--check]

Writes DIR/edu-rpt-jaarverantwoording-YEAR.zip (default DIR: taxonomies/packages,
git-ignored) and the sample filings under taxonomies/samples/YEAR/. The zips are
reproducible: the same model gives byte-identical packages, so a package's
sha256 identifies the taxonomy a filing was validated against. `--check`
writes nothing and fails when the committed samples differ from what the
generator makes now.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from . import formulas, linkbases, schema
from .model import Assertion, Year, years
from .xmlutil import el, nsmap, to_bytes

PACKAGES_DIR = Path(__file__).resolve().parent / "packages"
# A fixed timestamp for every zip entry: reproducible packages.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def package_file_name(year: Year) -> str:
    """The zip file name of a year's package."""
    return f"edu-rpt-jaarverantwoording-{year.year}.zip"


def documents(year: Year, assertion_list: Iterable[Assertion] | None = None) -> dict[str, bytes]:
    """Every taxonomy document of the year, by path relative to the year's base URL
    (`assertion_list` replaces the model's assertions: the benchmark compares designs)."""
    f = schema.files(year)
    return {
        f["core"]: to_bytes(schema.core_schema(year)),
        f["entry"]: to_bytes(schema.entry_point_schema(year)),
        f["lab-nl"]: to_bytes(schema.label_linkbase(year, "nl")),
        f["lab-en"]: to_bytes(schema.label_linkbase(year, "en")),
        f["pre"]: to_bytes(linkbases.presentation(year)),
        f["cal"]: to_bytes(linkbases.calculation(year)),
        f["def"]: to_bytes(linkbases.definition(year)),
        f["for"]: to_bytes(formulas.formula_linkbase(year, assertion_list)),
    }


def _host_dir(year: Year) -> str:
    # The folder inside the package that mirrors the URL, e.g. xbrl.onderwijs.example/2025/
    return year.base_url.split("://", 1)[1]


def package_metadata(year: Year) -> bytes:
    """META-INF/taxonomyPackage.xml: identity, version and the entry point."""
    root = el(None, "tp:taxonomyPackage", nsmap=nsmap("tp"))
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "nl")
    el(root, "tp:identifier", text=f"{year.base_url}package")
    el(root, "tp:name", text=year.package_name)
    el(root, "tp:description", text=(
        f"Taxonomie voor de jaarverantwoording onderwijs, verslagjaar {year.year} "
        f"(education annual accounts taxonomy, reporting year {year.year})."))
    el(root, "tp:version", text=str(year.year))
    el(root, "tp:publisher", text="Verantwoordingsportaal onderwijs")
    el(root, "tp:publicationDate", text=f"{year.year}-11-01")
    entry = el(el(root, "tp:entryPoints"), "tp:entryPoint")
    el(entry, "tp:name", text=f"Jaarverantwoording {year.year}")
    el(entry, "tp:entryPointDocument", {"href": year.entry_point})
    return to_bytes(root)


def package_catalog(year: Year) -> bytes:
    """META-INF/catalog.xml: the year's URLs map onto the package, so nothing is fetched."""
    root = etree.Element("{urn:oasis:names:tc:entity:xmlns:xml:catalog}catalog",
                         nsmap={None: "urn:oasis:names:tc:entity:xmlns:xml:catalog"})
    etree.SubElement(root, "{urn:oasis:names:tc:entity:xmlns:xml:catalog}rewriteURI", {
        "uriStartString": year.base_url, "rewritePrefix": f"../{_host_dir(year)}"})
    return to_bytes(root)


def build_package(year: Year, out_dir: Path, assertion_list: Iterable[Assertion] | None = None) -> Path:
    """Write the year's Taxonomy Package zip into `out_dir` and return its path."""
    top = f"edu-rpt-jaarverantwoording-{year.year}"
    entries = {f"{top}/META-INF/taxonomyPackage.xml": package_metadata(year),
               f"{top}/META-INF/catalog.xml": package_catalog(year)}
    for path, data in documents(year, assertion_list).items():
        entries[f"{top}/{_host_dir(year)}{path}"] = data
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / package_file_name(year)
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    partial.replace(target)  # never leave a half-written package behind
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: build every year's package and write the samples."""
    parser = argparse.ArgumentParser(prog="python -m taxonomies.build", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=PACKAGES_DIR, help="where the zips go")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail when the committed samples are out of date")
    args = parser.parse_args(argv)
    from . import samples  # the samples need the model only, not the packages

    if args.check:
        stale = samples.stale_samples()
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    for year in years():
        path = build_package(year, args.out)
        print(f"built {path}")
    written = samples.write_samples()
    print(f"wrote {written} sample filings under {samples.SAMPLES_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
