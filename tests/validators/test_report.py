"""The report JSON is the published contract (docs/report-format.md), lossless, with the status derived."""

from __future__ import annotations

import json

import pytest

from validators import Engine, Report
from validators.report import Finding, finding

from ..samples import sample

TOP_KEYS = {"status", "board", "year", "file", "taxonomy", "findings", "signals", "timings"}
FINDING_KEYS = {"code", "severity", "message", "concept", "label", "context", "period", "dimensions", "values",
                "file", "line", "statement"}
SIGNAL_NAMES = {"solvency2", "current_ratio", "cash", "excess_public_equity", "housing_ratio", "resilience"}


def test_report_json_has_the_published_keys_and_reads_back(engine: Engine) -> None:
    data = sample("2025/broken/EDU-WNT-01.xbrl")
    report = engine.validate(data, "EDU-WNT-01.xbrl", "41234", 2025)
    out = json.loads(report.to_json())
    assert TOP_KEYS <= set(out)
    assert out["status"] == "invalid" and out["board"] == "41234" and out["year"] == 2025
    assert out["file"]["name"] == "EDU-WNT-01.xbrl" and out["file"]["size"] == len(data) and len(out["file"]["sha256"]) == 64
    assert out["taxonomy"]["year"] == 2025 and out["taxonomy"]["entry_point"].endswith("-2025.xsd")
    (item,) = out["findings"]
    assert set(item) == FINDING_KEYS
    assert item["code"] == "EDU-WNT-01" and item["concept"] == "edu:WNTTotalRemuneration"
    assert item["label"] == "Totaal bezoldiging" and item["dimensions"] == {"edu:WNTOfficialAxis": "W0001"}
    assert item["period"] == "2025-01-01/2025-12-31" and item["context"] == "D2025-W0001"
    assert item["line"] > 0 and item["values"]
    assert set(out["signals"]) == SIGNAL_NAMES
    assert all(set(s) == {"value", "threshold", "breach", "computable", "reason"} for s in out["signals"].values())
    assert "total_ms" in out["timings"]
    assert Report.from_json(report.to_json()).to_dict() == out  # lossless


@pytest.mark.parametrize("severities,status", [
    ([], "valid"), (["info"], "valid"), (["warning"], "valid-with-warnings"), (["warning", "error"], "invalid"),
    (["inconsistency"], "invalid")])
def test_status_follows_the_findings(severities: list[str], status: str) -> None:
    report = Report("41234", 2025, "f.xbrl", 1, "0" * 64,
                    findings=[finding("X", s, {"nl": "nl", "en": "en"}) for s in severities])
    assert report.status == status


def test_an_intake_finding_means_rejected() -> None:
    report = Report("41234", 2025, "f.xbrl", 0, "0" * 64,
                    findings=[finding("IN-EMPTY", "error", {"nl": "leeg", "en": "empty"})])
    assert report.status == "rejected" and report.to_dict()["signals"] is None


def test_a_tampered_status_does_not_read_back() -> None:
    out = Report("41234", 2025, "f.xbrl", 1, "0" * 64,
                 findings=[finding("X", "error", {"nl": "n", "en": "e"})]).to_dict()
    out["status"] = "valid"
    with pytest.raises(ValueError):
        Report.from_dict(out)


def test_unknown_severity_is_refused() -> None:
    with pytest.raises(ValueError):
        Finding("X", "fatal", {"nl": "", "en": ""})
