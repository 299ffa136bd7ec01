"""One list of the engine's codes (validators/codes.py): every module raises codes from it, every
listed filing rule is registered under its code, and a taxonomy's EDU-* codes are read from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from taxonomies.model import assertions
from validators import codes
from validators.codes import FILING_RULES, assertion_codes
from validators.rules import REGISTRY, rule

VALIDATORS = Path(codes.__file__).parent
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")
NOT_CODES = {"META-INF", "US-ASCII", "ECDSA-SHA256", "UTF-8", "WINDOWS-125"}  # a folder, encodings, an algorithm


def written_out(source: str) -> set[str]:
    """The code-like string literals of a module (a docstring or message that names a code is no code)."""
    return {node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and CODE.fullmatch(node.value) and node.value not in NOT_CODES}


def test_every_listed_code_is_named_after_itself() -> None:
    listed = {name: value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)}
    assert listed and all(name == value.replace("-", "_") for name, value in listed.items())
    assert set(codes.ENGINE_CODES) == set(listed.values()) and len(codes.ENGINE_CODES) == len(listed)


def test_no_module_writes_a_code_out_instead_of_importing_it() -> None:
    found = {str(path.relative_to(VALIDATORS)): written_out(path.read_text(encoding="utf-8"))
             for path in sorted(VALIDATORS.rglob("*.py")) if path.name != "codes.py"}
    assert {name: literals for name, literals in found.items() if literals} == {}


def test_the_scan_finds_a_code_written_out() -> None:
    assert written_out('raise _reject("IN-NEW", "nl", "en")\nx = "UTF-8"\n"""Says IN-SIZE."""') == {"IN-NEW"}


def test_every_listed_filing_rule_is_registered_under_its_code() -> None:
    assert list(REGISTRY) == list(FILING_RULES)
    assert all(registered.code == code for code, registered in REGISTRY.items())


def test_a_rule_needs_a_listed_code_of_its_own() -> None:
    with pytest.raises(ValueError, match="list it in validators/codes.py"):
        rule("FR-NEW")
    with pytest.raises(ValueError, match="registered already"):
        rule("FR-LANG")
    assert set(REGISTRY) == set(FILING_RULES)


def test_a_packages_assertion_codes_are_its_assertions(packages: list[Path]) -> None:
    expected = sorted(a.id for a in assertions())
    assert expected and all(assertion_codes(package) == expected for package in packages)
