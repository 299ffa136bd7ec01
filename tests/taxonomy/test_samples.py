"""The sample filings: valid ones validate clean; each broken one yields exactly its
assertion id at its severity; a filing pointing at another year's entry point
never loads that year's concepts silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from taxonomies.check import run_arelle
from taxonomies.samples import SAMPLES_DIR, stale_samples

# docs/taxonomy.md, "The taxonomy's own business rules": id -> severity.
SEVERITY = {
    "EDU-BAL-01": "ERROR", "EDU-CF-01": "ERROR", "EDU-EQ-01": "WARNING", "EDU-WNT-01": "ERROR",
    "EDU-WNT-02": "ERROR", "EDU-WNT-03": "ERROR", "EDU-CP-01": "ERROR", "EDU-NEG-01": "ERROR",
    "EDU-AUD-01": "ERROR",
}


def _files(kind: str) -> list[Path]:
    return sorted(SAMPLES_DIR.glob(f"*/{kind}/*"))


def _id(path: Path) -> str:
    return "/".join(path.parts[-3:])


def test_committed_samples_are_what_the_generator_makes() -> None:
    assert stale_samples() == [], "run `python -m taxonomies.build` and commit the samples"


def test_there_is_a_broken_sample_for_every_assertion_in_every_year() -> None:
    for year_dir in sorted(SAMPLES_DIR.iterdir()):
        broken = {p.stem for p in (year_dir / "broken").iterdir()}
        assert set(SEVERITY) <= broken, year_dir.name
        valid = {p.name for p in (year_dir / "valid").iterdir()}
        assert {"po-small.xbrl", "vo-large.xbrl", "mbo.xbrl", "po-small.xhtml"} <= valid


@pytest.mark.parametrize("path", _files("valid"), ids=_id)
def test_valid_sample_validates_clean(path: Path, packages: list[Path], no_network: list[object]) -> None:
    result = run_arelle(path, packages)
    assert result.problems == []


@pytest.mark.parametrize("path", [p for p in _files("broken") if p.stem in SEVERITY], ids=_id)
def test_broken_sample_yields_exactly_its_assertion(path: Path, packages: list[Path]) -> None:
    result = run_arelle(path, packages)
    assert [(m.level, m.code) for m in result.problems] == [(SEVERITY[path.stem], f"message:{path.stem}")]
    text = result.problems[0].text
    # One message, both languages, with the amounts or values involved.
    assert text.startswith("[nl] ") and " [en] " in text
    assert any(ch.isdigit() for ch in text.split(" [en] ")[0])


@pytest.mark.parametrize("path", [p for p in _files("broken") if p.stem.startswith("FR-ENTRYPOINT")], ids=_id)
def test_wrong_year_entry_point_never_loads_silently(path: Path, packages: list[Path]) -> None:
    # Both years' packages are registered, as in the portal: the other year's
    # taxonomy loads, but its namespace differs, so none of the facts are known.
    result = run_arelle(path, packages)
    codes = {m.code for m in result.problems if m.level == "ERROR"}
    assert "xbrl:schemaImportMissing" in codes
    assert not any(c.startswith("message:EDU-") for c in codes)  # no assertion ran on foreign facts
