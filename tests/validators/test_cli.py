"""The command line, as an accountant runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from taxonomies.samples import SAMPLES_DIR

ROOT = Path(__file__).parents[2]


def _cli(*args: str, packages: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validators", *args[:1], "--packages", str(packages), *args[1:]],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_several_files_json_one_report_per_line_and_exit_1(packages_dir: Path) -> None:
    files = [SAMPLES_DIR / "2025/valid/po-small.xbrl", SAMPLES_DIR / "2025/broken/EDU-BAL-01.xbrl"]
    done = _cli("validate", *map(str, files), "--board", "41234", "--year", "2025", "--format", "json",
                packages=packages_dir)
    assert done.returncode == 1, done.stderr
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in reports] == ["valid", "invalid"]
    assert reports[1]["findings"][0]["code"] == "EDU-BAL-01"


def test_text_for_people_and_exit_0_with_warnings(packages_dir: Path) -> None:
    done = _cli("validate", str(SAMPLES_DIR / "2025/broken/EDU-EQ-01.xbrl"), "--board", "41234", "--lang", "en",
                packages=packages_dir)
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert "VALID WITH WARNINGS" in first and "school board 41234" in first and "year 2025" in first
    assert any(line.strip().startswith("EDU-EQ-01:") for line in rest)
    assert any("line" in line and "Nettoresultaat" in line for line in rest)


def test_usage_errors_exit_2(packages_dir: Path) -> None:
    assert _cli("validate", "missing.xbrl", "--board", "41234", packages=packages_dir).returncode == 2
    assert _cli("validate", str(SAMPLES_DIR / "2025/valid/po-small.xbrl"), "--board", "12",
                packages=packages_dir).returncode == 2
    assert subprocess.run([sys.executable, "-m", "validators", "validate"], cwd=ROOT,
                          capture_output=True).returncode == 2


def test_taxonomies_json(packages_dir: Path) -> None:
    done = _cli("taxonomies", "--format", "json", packages=packages_dir)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["year"], Path(r["package"]).name) for r in rows] == [
        (2024, "edu-rpt-jaarverantwoording-2024.zip"), (2025, "edu-rpt-jaarverantwoording-2025.zip")]
    assert rows[1]["entry_point"] == "https://xbrl.onderwijs.example/2025/entrypoints/edu-rpt-jaarverantwoording-2025.xsd"
