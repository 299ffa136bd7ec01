"""The engine's texts: every English text in the code has its Dutch translation in the catalogue, the
command line speaks the language asked for, and a missing compiled catalogue stops the engine loudly."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from validators import i18n
from validators.i18n import CATALOGUES, KEYWORDS, CatalogueMissing, both, both_n, both_p, load

from ..samples import WARNING

ROOT = Path(__file__).parents[2]
VALIDATORS = ROOT / "validators"
PO = CATALOGUES / "nl" / "LC_MESSAGES" / "validators.po"


def _extracted() -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    """(context, msgid) -> msgid (a tuple of singular and plural) of every text marked in validators/,
    read from the source the way `make translations` reads it."""
    with (VALIDATORS / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(VALIDATORS), method_map, options_map, keywords=KEYWORDS, comment_tags=()):
        found[(context, message[0] if isinstance(message, tuple) else message)] = message
    return found


def _catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f)


def _untranslated(catalogue: Catalog, extracted: dict[tuple[str | None, str], str | tuple[str, ...]]) -> list[str]:
    """The texts of the code that have no usable Dutch: absent, empty or fuzzy (compiled without them)."""
    problems = []
    for (context, msgid), message in sorted(extracted.items(), key=str):
        entry = catalogue.get(msgid, context)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or not all(strings) or entry.fuzzy or isinstance(message, tuple) != entry.pluralizable:
            problems.append(f"{context or ''}|{msgid}")
    return problems


def test_every_text_in_the_code_has_a_dutch_translation() -> None:
    extracted = _extracted()
    assert len(extracted) > 150  # the scan finds the engine's texts (rules, intake, Arelle, assurance, CLI)
    assert (None, "The upload is empty.") in extracted and ("command line", "error") in extracted
    assert (None, "%(count)d context") in extracted and (None, "VALID WITH WARNINGS") in extracted  # plural, mark()
    catalogue = _catalogue()
    assert _untranslated(catalogue, extracted) == []
    # Nothing kept that the code no longer says, and nothing commented out as obsolete.
    kept = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue if m.id}
    assert sorted(kept - set(extracted), key=str) == [] and not catalogue.obsolete
    # %(name)s placeholders the same in the Dutch as in the English (babel's checks, as pybabel compile runs them).
    assert [(m.id, errors) for m, errors in catalogue.check()] == []


def test_the_completeness_check_finds_a_new_text_and_a_fuzzy_one() -> None:
    extracted = _extracted()
    catalogue = _catalogue()
    assert _untranslated(catalogue, {**extracted, (None, "A text only in English."): "A text only in English."}) == [
        "|A text only in English."]
    catalogue.get("The upload is empty.").flags.add("fuzzy")
    assert _untranslated(catalogue, extracted) == ["|The upload is empty."]


def test_the_makefile_extracts_with_the_keywords_of_i18n() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntranslations:", 1)[1].split("\n\n", 1)[0]
    assert "--mapping-file validators/babel.cfg" in recipe and "--no-default-keywords" in recipe
    assert parse_keywords(re.findall(r"--keywords (\S+)", recipe)) == KEYWORDS
    setup = re.search(r"^setup:(.*)$", makefile, re.M)
    assert setup is not None and "catalogues" in setup.group(1).split()
    assert "--use-fuzzy" not in makefile.split("\ncatalogues:", 1)[1].split("\n\n", 1)[0]


def test_both_languages_at_once_with_values_said_in_each() -> None:
    assert both("The upload is empty.") == {"nl": "Het bestand is leeg.", "en": "The upload is empty."}
    count = both_n("%(count)d context", "%(count)d contexts", 3, count=3)
    assert count == {"nl": "3 contexten", "en": "3 contexts"}
    assert both_n("%(count)d context", "%(count)d contexts", 1, count=1) == {"nl": "1 context", "en": "1 context"}
    # A value said in both languages gives each language its own part; other values are the same in both.
    assert both("Unsafe zip file: %(problem)s (%(name)s).", problem=both("an absolute path"), name="/etc/x") == {
        "nl": "Onveilig zip-bestand: een absoluut pad (/etc/x).", "en": "Unsafe zip file: an absolute path (/etc/x)."}
    # One English word, two Dutch ones: the context chooses.
    assert both_p("command line", "error")["nl"] == "fout"
    assert both_p("no language", "none") == {"nl": "geen", "en": "none"}


def test_a_missing_compiled_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    shutil.copytree(CATALOGUES, tmp_path / "translations", ignore=shutil.ignore_patterns("*.mo"))
    with pytest.raises(CatalogueMissing, match=r"make setup"):
        load("nl", tmp_path / "translations")
    assert load("en", tmp_path / "translations").gettext("The upload is empty.") == "The upload is empty."
    assert load("nl").gettext("The upload is empty.") == "Het bestand is leeg."  # the compiled one
    assert i18n.catalogue_path("nl").is_file()


def _validate(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validators", "validate", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_the_command_line_without_its_compiled_catalogue_says_run_make_setup(tmp_path: Path,
                                                                             packages_dir: Path) -> None:
    # A copy of the package without its .mo, run from its own folder (so Python imports the copy).
    shutil.copytree(VALIDATORS, tmp_path / "validators", ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    (tmp_path / "a.xbrl").write_bytes(WARNING)
    done = _validate(tmp_path / "a.xbrl", "--board", "41234", "--packages", packages_dir, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr, done.stderr
    assert "make setup" in done.stderr and str(tmp_path / "validators" / "translations") in done.stderr


def test_the_command_line_speaks_dutch_or_english(tmp_path: Path, packages_dir: Path) -> None:
    (tmp_path / "jaarrekening.xbrl").write_bytes(WARNING)
    (tmp_path / "scan.xbrl").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # a PDF under an XBRL name
    files = (tmp_path / "jaarrekening.xbrl", tmp_path / "scan.xbrl")
    dutch = _validate(*files, "--board", "41234", "--year", "2025", "--lang", "nl", "--packages", packages_dir)
    english = _validate(*files, "--board", "41234", "--year", "2025", "--lang", "en", "--packages", packages_dir)
    assert dutch.returncode == english.returncode == 1, dutch.stderr + english.stderr
    assert re.search(r"^jaarrekening\.xbrl: GELDIG MET WAARSCHUWINGEN - bevoegd gezag 41234, verslagjaar 2025, "
                     r"1 bevinding\(en\) \(\d+ ms\)$", dutch.stdout, re.M), dutch.stdout
    assert re.search(r"^jaarrekening\.xbrl: VALID WITH WARNINGS - school board 41234, year 2025, 1 finding\(s\) "
                     r"\(\d+ ms\)$", english.stdout, re.M), english.stdout
    for text, lines in ((dutch.stdout, ("  Waarschuwingen (1):", "  Signaleringswaarden:", "    Solvabiliteit 2: ",
                                        "scan.xbrl: GEWEIGERD - ", "    IN-TYPE: Dit is een PDF-bestand, geen XBRL. "
                                        "Upload het XBRL-bestand van de jaarverantwoording.")),
                        (english.stdout, ("  Warnings (1):", "  Signalling values:", "    Solvency 2: ",
                                          "scan.xbrl: REJECTED - ", "    IN-TYPE: This is a PDF file, not XBRL. "
                                          "Upload the annual report's XBRL file."))):
        for line in lines:
            assert any(shown.startswith(line) for shown in text.splitlines()), (line, text)
    assert re.search(r"^      \[.*, regel \d+\]$", dutch.stdout, re.M) and "(grens " in dutch.stdout
    assert re.search(r"^      \[.*, line \d+\]$", english.stdout, re.M) and "(threshold " in english.stdout
    # Numbers in each language's notation: cash in euros, ratios with a decimal comma in Dutch.
    assert re.search(r"^    Liquide middelen \(euro\): € \d{1,3}(\.\d{3})+ \(grens € 100\.000\)$", dutch.stdout, re.M)
    assert re.search(r"^    Cash \(euro\): €\d{1,3}(,\d{3})+ \(threshold €100,000\)$", english.stdout, re.M)
    assert re.search(r"^    Solvabiliteit 2: \d,\d{2,4} \(grens 0,30\)$", dutch.stdout, re.M), dutch.stdout
    # Usage errors too, before any file is read.
    wrong = [_validate(files[0], "--board", "12", "--lang", lang, "--packages", packages_dir) for lang in ("nl", "en")]
    assert [w.returncode for w in wrong] == [2, 2]
    assert wrong[0].stderr.strip() == "fout: een bevoegd-gezagnummer heeft 5 cijfers, niet '12'"
    assert wrong[1].stderr.strip() == "error: a school board number has 5 digits, not '12'"
