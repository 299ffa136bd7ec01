"""Every hostile or broken upload gets one clear finding with its IN-* or FR-* code,
Arelle never sees it, and the worker pool is unharmed."""

from __future__ import annotations

import pytest

from validators import Engine

from ..hostile import HOSTILE, zip_of
from ..samples import VALID, VALID_INLINE


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_upload_gets_one_clear_finding(name: str, engine: Engine) -> None:
    data, filename, code = HOSTILE[name]
    report = engine.validate(data, filename, "41234", 2025)
    assert [f.code for f in report.findings] == [code]
    (item,) = report.findings
    assert item.severity == "error" and item.message["nl"] and item.message["en"]
    assert report.status == ("rejected" if code.startswith("IN-") else "invalid")
    assert report.signals is None
    assert "arelle_ms" not in report.timings  # Arelle never saw it


def test_the_pool_survives_every_hostile_upload(engine: Engine) -> None:
    before = engine.pool.restarts
    for data, filename, _ in HOSTILE.values():
        engine.validate(data, filename, "41234", 2025)
    assert engine.validate(VALID, "po-small.xbrl", "41234", 2025).status == "valid"
    assert engine.pool.restarts == before


def test_a_valid_report_package_is_unpacked_and_validated(engine: Engine) -> None:
    package = zip_of({"jv/META-INF/reportPackage.json": b'{"documentInfo": {"documentType": '
                                                      b'"https://xbrl.org/report-package/2023/xbri"}}',
                    "jv/reports/jaarverslag.xhtml": VALID_INLINE})
    report = engine.validate(package, "jaarverslag.xbri", "41234", 2025)
    assert report.status == "valid", [f.to_dict() for f in report.findings]
