"""docs/CODES.md lists every stable code the project raises, and nothing else.

The codes are collected from where they are raised, not from a second list:
the engine's one list (validators/codes.py), the taxonomy's assertion ids,
every code-like string in the sources of validators/ and portal/ (so a code
written straight into a new `ServiceError(...)` is found too), the first
argument of every call that raises or declares one (codes without a hyphen,
such as FORBIDDEN), and the codes README.md's tables name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from taxonomies.model import assertions
from validators import codes

ROOT = Path(__file__).parents[1]
CODES_MD = ROOT / "docs" / "CODES.md"
SOURCES = (ROOT / "validators", ROOT / "portal")
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")
# Strings shaped like a code that are none: a package folder, a charset, a signature algorithm.
NOT_CODES = {"META-INF", "US-ASCII", "ECDSA-SHA256"}
# Calls whose first argument (or `code=`) is a code: the refusals and findings of the engine and the portal.
RAISERS = {"ServiceError", "AssuranceError", "Rejection", "api_error", "error", "_error", "_reject", "_problem",
           "finding", "Finding"}


def _looks_like_a_code(text: str) -> bool:
    """A hyphenated upper-case name with letters after the first hyphen (EDU-BAL-01, not UTF-8 or a
    receipt number such as JV-2025-41234-0001)."""
    parts = text.split("-")
    return (len(parts) > 1 and CODE.fullmatch(text) is not None and text not in NOT_CODES
            and any(c.isalpha() for part in parts[1:] for c in part))


def codes_in_source(source: str) -> set[str]:
    """Every code a module raises or declares."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _looks_like_a_code(node.value):
            found.add(node.value)
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in RAISERS:
                given = node.args[:1] + [k.value for k in node.keywords if k.arg == "code"]
                found.update(a.value for a in given if isinstance(a, ast.Constant) and isinstance(a.value, str)
                             and CODE.fullmatch(a.value))
    return found


def codes_in_tables(markdown: str) -> set[str]:
    """The codes in a Markdown document's table rows (`CODE`, written as code)."""
    return {token for line in markdown.splitlines() if line.startswith("|")
            for token in re.findall(r"`([^`]+)`", line) if CODE.fullmatch(token)}


def documented() -> dict[str, list[str]]:
    """docs/CODES.md: each code (the first cell of a table row) with the row's other cells."""
    rows: dict[str, list[str]] = {}
    for line in CODES_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(r"`[^`]+`", cells[0]):
            code = cells[0].strip("`")
            assert code not in rows, f"{code} is listed twice"
            rows[code] = cells[1:]
    return rows


def raised() -> set[str]:
    """Every code the project can raise."""
    found = set(codes.ENGINE_CODES) | {a.id for a in assertions()}
    for root in SOURCES:
        for path in sorted(root.rglob("*.py")):
            found |= codes_in_source(path.read_text(encoding="utf-8"))
    return found | codes_in_tables((ROOT / "README.md").read_text(encoding="utf-8"))


def test_every_code_raised_is_documented() -> None:
    assert sorted(raised() - set(documented())) == []


def test_every_documented_code_is_raised() -> None:
    assert sorted(set(documented()) - raised()) == []


def test_every_code_has_its_meaning_in_dutch_and_english() -> None:
    rows = documented()
    assert len(rows) > 80
    assert any(len(cells) == 3 for cells in rows.values())  # the HTTP status check below runs
    for code, cells in rows.items():
        assert len(cells) >= 2 and all(len(text) > 10 for text in cells[-2:]), code  # betekenis, meaning
        if len(cells) == 3:  # the portal's codes give their HTTP status
            assert re.fullmatch(r"[1-5][0-9][0-9]", cells[0]), code


@pytest.mark.parametrize("source, expected", [
    ('raise ServiceError("DOC-WATERMARK", "nl", "en", 409)', {"DOC-WATERMARK"}),
    ('raise ServiceError("GONE", "nl", "en", 410)', {"GONE"}),
    ('NEW = "IN-MACRO"', {"IN-MACRO"}),
    ('yield finding(code="FR-TOTALS", severity="error", message={})', {"FR-TOTALS"}),
    ('RECEIPT = "JV-2025-41234-0001"\nENCODING = "UTF-8"\n"""Raises IN-SIZE."""', set()),
])
def test_a_new_code_in_the_sources_is_collected(source: str, expected: set[str]) -> None:
    assert codes_in_source(source) == expected
