"""The engine's texts in Dutch and English: gettext catalogues of the domain "validators".

Every text a person reads (a finding's message, a refusal, a line of the
command line) is written in the code in English, as the msgid, and
translated to Dutch in validators/translations/nl/LC_MESSAGES/validators.po.
English needs no catalogue: it is the msgid itself. The .po is compiled to
a .mo by `make setup` (`pybabel compile`); `make translations` extracts the
msgids from the code and updates the .po.

Texts take values the gettext way, `%(name)s`, always interpolated, so a
literal percent sign is written `%%`. A value may itself be a message in
both languages ({"nl": ..., "en": ...}, as `both` returns): each language
then gets its own part, e.g. a label or a count said in that language.

A message is rendered when it is made, in both languages, as plain strings:
the report's JSON carries {"nl": ..., "en": ...} for every finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

DOMAIN = "validators"
LANGUAGES = ("nl", "en")
CATALOGUES = Path(__file__).resolve().parent / "translations"
# The functions below whose string arguments are msgids, as babel's extractor reads them
# (argument positions from 1; "c" marks a context). The Makefile's `translations` target passes the same.
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...]] = {
    "both": (1,), "both_p": ((1, "c"), 2), "both_n": (1, 2),
    "say": (2,), "say_p": ((2, "c"), 3), "mark": (1,),
}

Message = dict[str, str]  # {"nl": ..., "en": ...}


class CatalogueMissing(RuntimeError):
    """The compiled Dutch catalogue is not there: the engine refuses to answer in English instead."""


def catalogue_path(lang: str, directory: Path = CATALOGUES) -> Path:
    """Where the compiled catalogue of `lang` lives."""
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def load(lang: str, directory: Path = CATALOGUES) -> NullTranslations:
    """The translations of `lang` read from `directory`; CatalogueMissing when its .mo is absent.

    English is the msgids themselves. A missing Dutch catalogue is an error, never English in
    the "nl" field: a board would read English where the report promises Dutch.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}")
    if lang == "en":
        return NullTranslations()
    path = catalogue_path(lang, directory)
    if not path.is_file():
        raise CatalogueMissing(f"the compiled {lang} catalogue of the validation engine is missing ({path}): "
                               "run `make setup`, which compiles validators/translations with pybabel")
    with path.open("rb") as f:
        return Translations(f, domain=DOMAIN)


@cache
def _translations(lang: str) -> NullTranslations:
    """`load` once per process: the catalogue does not change while the engine runs."""
    return load(lang)


def require() -> None:
    """Load every catalogue now, so a missing one stops a program at its start, not at its first finding."""
    for lang in LANGUAGES:
        _translations(lang)


def _fill(text: str, lang: str, values: Mapping[str, object]) -> str:
    picked = {name: _pick(value, lang) for name, value in values.items()}
    return text % picked


def _pick(value: object, lang: str) -> object:
    """A value said in both languages gives its `lang` part; any other value is the same in both."""
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        return value[lang]
    return value


def say(lang: str, msgid: str, /, **values: object) -> str:
    """`msgid` in `lang` ("nl" or "en"), with `values` filled in."""
    return _fill(_translations(lang).gettext(msgid), lang, values)


def say_p(lang: str, context: str, msgid: str, /, **values: object) -> str:
    """As `say`, for an English text that has another Dutch text in another `context`."""
    return _fill(_translations(lang).pgettext(context, msgid), lang, values)


def both(msgid: str, /, **values: object) -> Message:
    """{"nl": ..., "en": ...}: `msgid` in both languages, with `values` filled in."""
    return {lang: say(lang, msgid, **values) for lang in LANGUAGES}


def both_p(context: str, msgid: str, /, **values: object) -> Message:
    """As `both`, for an English text that has another Dutch text in another `context`."""
    return {lang: say_p(lang, context, msgid, **values) for lang in LANGUAGES}


def both_n(singular: str, plural: str, n: int, /, **values: object) -> Message:
    """As `both`, choosing the singular or plural form for the number `n` in each language."""
    return {lang: _fill(_translations(lang).ngettext(singular, plural, n), lang, values) for lang in LANGUAGES}


def mark(msgid: str) -> str:
    """`msgid` unchanged: marks a text kept in a table for translation, translated when it is used."""
    return msgid
