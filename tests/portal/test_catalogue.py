"""The portal's texts: every English msgid in the code and templates has its Dutch in the catalogue
(nothing fuzzy, nothing obsolete, the same %(name)s places), the Makefile extracts with the keywords
the code uses, and the portal does not start without its compiled Dutch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from portal import i18n
from portal.i18n import KEYWORDS, TRANSLATIONS, both, text_in

ROOT = Path(__file__).parents[2]
PORTAL = ROOT / "portal"
PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"


def _extracted() -> set[str]:
    """Every msgid marked in portal/ (Python and templates), read the way `make translations` reads it."""
    with (PORTAL / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(list(KEYWORDS))}
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context in extract_from_dir(
                str(PORTAL), method_map, options_map, keywords=keywords, comment_tags=())}


def _catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f)


def _untranslated(catalogue: Catalog, extracted: set[str]) -> list[str]:
    # A plural text is kept under its singular and needs every form translated.
    entries = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}
    return sorted(msgid for msgid in extracted
                  if (entry := entries.get(msgid)) is None or entry.fuzzy
                  or not (all(entry.string) if isinstance(entry.string, tuple) else entry.string))


def test_every_text_of_the_portal_has_its_dutch() -> None:
    extracted = _extracted()
    # The scan sees templates, views, refusals and texts chosen by a value.
    assert {"Upload and check", "Not found.", "Valid", "The passphrases differ."} <= extracted
    catalogue = _catalogue()
    assert _untranslated(catalogue, extracted) == []
    kept = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert sorted(kept - extracted) == [] and not catalogue.obsolete
    assert [(m.id, errors) for m, errors in catalogue.check()] == []


def test_the_check_finds_a_text_without_dutch_and_a_fuzzy_one() -> None:
    extracted, catalogue = _extracted(), _catalogue()
    assert _untranslated(catalogue, extracted | {"Only in English."}) == ["Only in English."]
    catalogue.get("Upload and check").flags.add("fuzzy")
    assert _untranslated(catalogue, extracted) == ["Upload and check"]


def test_the_makefile_extracts_with_the_code_s_keywords() -> None:
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.replace("\\\n", " ").splitlines() if "-F portal/babel.cfg" in line)
    assert sorted(re.findall(r"-k (\S+)", line)) == sorted(KEYWORDS)
    compiles = [line for line in makefile.splitlines() if "pybabel compile" in line]
    assert len(compiles) == 2 and not any("--use-fuzzy" in line for line in compiles)


def test_dutch_and_english_from_the_compiled_catalogue() -> None:
    assert both("Not found.") == {"nl": "Niet gevonden.", "en": "Not found."}
    assert text_in("nl", "The upload exceeds %(mb)s MB.", mb=20) == "Het bestand is groter dan 20 MB."


def test_without_its_compiled_dutch_the_portal_does_not_start(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    from portal import create_app

    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)  # an install where `make setup` did not compile
    monkeypatch.setattr(i18n, "_CATALOGUES", {})
    with pytest.raises(RuntimeError, match="make setup"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
