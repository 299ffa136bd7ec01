"""FR-ENTITY, FR-PERIOD, FR-CURRENCY, FR-DUPLICATE, FR-MANDATORY and FR-LANG: what a filing must
hold beyond the taxonomy, because it depends on who files for which year (docs/taxonomy.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from ..codes import FR_CURRENCY, FR_DUPLICATE, FR_ENTITY, FR_LANG, FR_MANDATORY, FR_PERIOD
from ..facts import Fact, is_reporting_year_fact, year_duration
from ..i18n import Message, both, both_n, both_p
from .registry import ENTITY_SCHEME, FilingData, Problem, problem, rule


def _at(data: FilingData, fact: Fact, message: Message, **where: Any) -> Problem:
    """A problem pointing at `fact`; `where` adds to or replaces what it says of the fact."""
    return problem(message, **{"concept": fact["concept"], "label": fact["label"], "context": fact["context"],
                              "period": fact["period"], "dimensions": fact["dimensions"],
                              "values": [] if fact["value"] is None else [fact["value"]], "file": data.file,
                              "line": fact["line"], **where})


@rule(FR_ENTITY)
def entity(data: FilingData) -> Iterator[Problem]:
    """Every context is about the board the filing is submitted for, in the board-number scheme.
    One finding per other board (or other scheme) the file names, however many contexts do: a file
    of another board is one mistake, said once ("this file is of board 30567"), not one per context."""
    wrong: dict[tuple[str | None, str | None], list[Fact]] = {}
    for fact in data.facts:
        scheme, identifier = fact["entity"] or (None, None)
        if not (scheme == ENTITY_SCHEME and identifier == data.board):
            wrong.setdefault((scheme, identifier), []).append(fact)
    for (scheme, identifier), facts in wrong.items():
        contexts = sorted({f["context"] for f in facts})
        count = both_n("%(count)d context", "%(count)d contexts", len(contexts), count=len(contexts))
        if scheme != ENTITY_SCHEME:
            yield _at(data, facts[0], both(
                "This file uses identifier scheme '%(scheme)s' (%(count)s, such as %(context)s); use %(expected)s.",
                scheme=scheme, count=count, context=contexts[0], expected=ENTITY_SCHEME))
        else:
            yield _at(data, facts[0], both(
                "This file is of school board %(other)s (%(count)s), but it is being filed for board %(board)s. "
                "Upload the annual report of %(board)s.", other=identifier, count=count, board=data.board))
    for fact in data.reporting_year_facts("BoardNumber"):
        if (fact["value"] or "").strip() != data.board:
            yield _at(data, fact, both("The school board number in the file (%(value)s) is not %(board)s.",
                                       value=fact["value"], board=data.board))


@rule(FR_PERIOD)
def period(data: FilingData) -> Iterator[Problem]:
    """The main duration context (that of BoardNumber) covers exactly the reporting year."""
    expected = year_duration(data.year)
    anchors = [f for f in data.facts if f["local"] == "BoardNumber" and not f["dimensions"]]
    for fact in anchors:
        if fact["period"] != expected:
            yield _at(data, fact, both("The main period is %(period)s; for reporting year %(year)s it must be "
                                       "%(expected)s.", period=fact["period"], year=data.year, expected=expected))


@rule(FR_CURRENCY)
def currency(data: FilingData) -> Iterator[Problem]:
    """Monetary facts are in euros, with decimals of 0 or more."""
    for fact in data.facts:
        if not fact["monetary"] or fact["value"] is None:
            continue
        if fact["unit"] != "iso4217:EUR":
            yield _at(data, fact, both("%(label)s is in %(unit)s; amounts must be in euros (EUR).",
                                       label=fact["label"], unit=fact["unit"]))
        elif fact["decimals"] not in (None, "INF") and _int(fact["decimals"]) < 0:
            yield _at(data, fact, both("%(label)s is rounded with decimals=%(decimals)s; use 0 (whole euros) or 2.",
                                       label=fact["label"], decimals=fact["decimals"]))


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


def _same(a: str, b: str, numeric: bool) -> bool:
    if numeric:
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            pass
    return a.strip() == b.strip()


@rule(FR_DUPLICATE)
def duplicate(data: FilingData) -> Iterator[Problem]:
    """No two facts for the same concept, context, unit and language with different values."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for fact in data.facts:
        if fact["value"] is not None:
            groups[(fact["concept"], fact["context"], fact["unit"], fact["lang"])].append(fact)
    for facts in groups.values():
        first = facts[0]
        if any(not _same(first["value"], other["value"], first["numeric"]) for other in facts[1:]):
            yield _at(data, first, both("%(label)s appears %(count)s times in context %(context)s with different "
                                        "values; keep one.", label=first["label"], count=len(facts),
                                        context=first["context"]), values=[f["value"] for f in facts])


@rule(FR_MANDATORY)
def mandatory(data: FilingData) -> Iterator[Problem]:
    """Every concept the taxonomy marks required is reported for the reporting year."""
    present = {f["concept"] for f in data.facts if f["value"] is not None and is_reporting_year_fact(f, data.year)}
    for concept, flag in sorted(data.required.items()):
        if flag == "yes" and concept not in present:
            label = {"nl": data.label(concept, "nl"), "en": data.label(concept, "en")}
            yield problem(both("Mandatory item missing for %(year)s: %(label)s.", year=data.year, label=label),
                          concept=concept, label=data.label(concept, "nl"), file=data.file)


@rule(FR_LANG)
def language(data: FilingData) -> Iterator[Problem]:
    """Text facts are in Dutch (xml:lang nl)."""
    for fact in data.facts:
        if fact["text"] and fact["value"] and not (fact["lang"] or "").lower().startswith("nl"):
            lang = fact["lang"] or both_p("no language", "none")
            yield _at(data, fact, both("%(label)s has language '%(lang)s'; texts must be Dutch (xml:lang=\"nl\").",
                                       label=fact["label"], lang=lang))
