"""The facts a draft holds, how they are checked, and the stable id of a form field.

A draft is a list of DraftFacts: concept (local name), period, dimensions, value in
its canonical lexical form, and the unit the concept implies. `check_facts` reads
the drafts API's facts and reports every problem at once, each with a stable code
(DRAFT-SHAPE, -CONCEPT, -DIMENSIONS, -PERIOD, -VALUE, -DUPLICATE: validators/codes.py;
what each means in Dutch and English: docs/CODES.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..codes import DRAFT_CONCEPT, DRAFT_DIMENSIONS, DRAFT_DUPLICATE, DRAFT_PERIOD, DRAFT_SHAPE, DRAFT_VALUE
from ..i18n import Message, both, both_p
from .lexical import InputError, canonical, dutch
from .model import Concept, FormSet

KEYS = frozenset({"concept", "period", "dimensions", "value", "unit"})
REQUIRED_KEYS = frozenset({"concept", "period", "value"})
MAX_FACTS = 100_000  # a full report holds a few hundred; a draft of more is no report
OFFICIAL_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")


@dataclass(frozen=True)
class DraftFact:
    """One value of a draft, keyed by concept, period and dimensions."""

    concept: str
    period: str
    dimensions: dict[str, str]
    value: str
    unit: str | None

    @property
    def key(self) -> tuple[str, str, str]:
        """(concept, period, dimensions as sorted JSON): two facts with one key are one cell."""
        return (self.concept, self.period, json.dumps(self.dimensions, sort_keys=True))

    def to_dict(self) -> dict[str, Any]:
        """The fact as the drafts API writes it."""
        return {"concept": self.concept, "period": self.period, "dimensions": dict(self.dimensions),
                "value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class Problem:
    """Why a fact (by its position in the list sent) or a form field was refused."""

    index: int | None
    concept: str | None
    period: str | None
    dimensions: dict[str, str]
    code: str
    message: Message

    def to_dict(self) -> dict[str, Any]:
        """The problem as the API's 422 answer lists it."""
        return {"index": self.index, "concept": self.concept, "period": self.period,
                "dimensions": dict(self.dimensions), "code": self.code, "message": dict(self.message)}


class FactsInvalid(Exception):
    """Facts refused: every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + ", ".join(sorted({p.code for p in problems})))
        self.problems = problems


def parse_input(concept: Concept, text: str) -> str:
    """What a form user typed -> the canonical lexical value; ValueError (an InputError, whose `message`
    says why in Dutch and English) when it does not fit. Amounts in Dutch notation ('1.234.567',
    '-41.902', '€ 1.234.567', '1.234.567,50'), whole numbers ('1.234'), decimals ('0,90'; '0.9' where a
    dot cannot be a thousands separator), dates dd-mm-jjjj or yyyy-mm-dd, enumerations by their option
    (a list separated by spaces or commas), texts stripped and not empty."""
    return dutch(concept, text)


def field_id(concept: str, period: str, dimensions: dict[str, str]) -> str:
    """A stable HTML id for the cell a key names, e.g. "f-Assets-2025-12-31", "f-Income-2026-BudgetMember",
    "f-WNTRemuneration-2025-TF1". A prefixed concept ("edu:Assets") gives its local name's id. Only
    [A-Za-z0-9_-]; anything else is escaped ("_2e_" for a dot), an explicit member is marked "m", so two
    keys a form can hold never share an id (the axis is not in it: a concept is given on one axis)."""
    parts = ["f", _escape(concept.rpartition(":")[2]), _period_part(period)]
    for axis in sorted(dimensions):
        value = dimensions[axis]
        if ":" in value:  # an explicit member (a QName): its local name, marked apart from an official's id
            parts.append("m" + _escape(value.rpartition(":")[2]))
        else:
            parts.append(_escape(value, lead=True))
    return "-".join(parts)


def _escape(text: str, lead: bool = False) -> str:
    """Letters and digits as they are, any other character as _hex_. With `lead`, a first character that
    is a digit or "m" is escaped too, so an official's id never reads as a period or an explicit member."""
    out = []
    for i, char in enumerate(text):
        plain = char.isascii() and char.isalnum() and not (lead and i == 0 and (char.isdigit() or char == "m"))
        out.append(char if plain else f"_{ord(char):x}_")
    return "".join(out) or "_"


def _period_part(period: str) -> str:
    """2025 for a calendar year, 2025-12-31 for an instant, start-end for another duration (dates only)."""
    start, slash, end = period.partition("/")
    date = r"\d{4}-\d{2}-\d{2}"
    if slash and re.fullmatch(date, start) and re.fullmatch(date, end):
        if start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31":
            return start[:4]
        return f"{start}-{end}"
    if not slash and re.fullmatch(date, period):
        return period
    return "x" + _escape(period)


def check_facts(forms: FormSet, raw: list[dict[str, Any]]) -> list[DraftFact]:
    """The drafts API's facts -> DraftFacts; FactsInvalid with every problem when any is refused. Values
    are XML Schema lexical forms ("1234567", "0.90", "2025-06-12"), stored canonical; `unit` may be left
    out, and when sent must be the concept's; the period must be one of the concept's cells (a WNT fact:
    any official's id, 1-40 of [A-Za-z0-9._-]); an empty value is refused (leave the fact out)."""
    if not isinstance(raw, list):
        raise FactsInvalid([_shape(None, both("The facts must be a list."))])
    if len(raw) > MAX_FACTS:
        raise FactsInvalid([_shape(None, both("A draft holds at most %(count)s facts.", count=MAX_FACTS))])
    facts: list[DraftFact] = []
    problems: list[Problem] = []
    first: dict[tuple[str, str, str], int] = {}
    for index, item in enumerate(raw):
        result = check_fact(forms, item, index)
        if isinstance(result, Problem):
            problems.append(result)
        elif result.key in first:
            concept = forms.concepts[result.concept]
            problems.append(Problem(index, result.concept, result.period, dict(result.dimensions), DRAFT_DUPLICATE,
                                    both("%(label)s (%(period)s) is sent twice: as fact %(first)s and fact %(index)s.",
                                         label=concept.labels, period=result.period, first=first[result.key],
                                         index=index)))
        else:
            first[result.key] = index
            facts.append(result)
    if problems:
        raise FactsInvalid(problems)
    return facts


def _shape(index: int | None, message: Message, item: Any = None) -> Problem:
    item = item if isinstance(item, dict) else {}
    concept, period = item.get("concept"), item.get("period")
    dims = item.get("dimensions")
    return Problem(index, concept if isinstance(concept, str) else None, period if isinstance(period, str) else None,
                   dict(dims) if _is_dimensions(dims) else {}, DRAFT_SHAPE, message)


def _is_dimensions(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def check_fact(forms: FormSet, item: Any, index: int | None = None) -> DraftFact | Problem:
    """One fact of the API checked against the forms: the DraftFact, or the first Problem it has."""
    if not isinstance(item, dict) or not REQUIRED_KEYS <= set(item) or set(item) - KEYS:
        return _shape(index, both("Fact %(index)s is not an object with the keys concept, period, value and "
                                  "optionally dimensions and unit.", index=index), item)
    dims = item.get("dimensions") or {}
    unit = item.get("unit")
    if not all(isinstance(item[k], str) for k in REQUIRED_KEYS) or not _is_dimensions(dims) or not (
            unit is None or isinstance(unit, str)):
        return _shape(index, both("Fact %(index)s: concept, period, value and unit are text, dimensions an object "
                                  "of texts.", index=index), item)
    name, period, value = item["concept"], item["period"], item["value"]
    where = (index, name, period, dict(dims))
    slots = forms.slots.get(name)
    concept = forms.concepts.get(name)
    if slots is None or concept is None:
        return Problem(*where, DRAFT_CONCEPT, both("%(concept)s is no item of the forms of %(year)s.",
                                                     concept=name[:100], year=forms.year))
    pattern = _pattern(forms, dims)
    if pattern is None or pattern not in slots:
        return Problem(*where, DRAFT_DIMENSIONS, _dimensions_message(forms, concept, dims, slots))
    if period not in slots[pattern]:
        periods = ", ".join(sorted(slots[pattern]))
        return Problem(*where, DRAFT_PERIOD, both("%(label)s has no field for the period %(period)s (it has: "
                                                    "%(periods)s).", label=concept.labels, period=period[:60],
                                                    periods=periods))
    if unit is not None and unit != concept.unit:
        return Problem(*where, DRAFT_VALUE, both("%(label)s (%(period)s): the unit is %(unit)s, not %(sent)s.",
                                                   label=concept.labels, period=period,
                                                   unit=concept.unit or both_p("no unit", "none"), sent=unit[:40]))
    try:
        lexical = canonical(concept, value)
    except InputError as exc:
        return Problem(*where, DRAFT_VALUE, both("%(label)s (%(period)s): %(reason)s", label=concept.labels,
                                                   period=period, reason=exc.message))
    return DraftFact(name, period, dict(dims), lexical, concept.unit)


def _pattern(forms: FormSet, dims: dict[str, str]) -> tuple[tuple[str, str], ...] | None:
    """The dimensions as FormSet.slots keys them (an official's id as "*"); None for a bad official id."""
    pairs = []
    for axis, member in sorted(dims.items()):
        if axis == forms.official_axis:
            if not OFFICIAL_ID.fullmatch(member):
                return None
            member = "*"
        pairs.append((axis, member))
    return tuple(pairs)


def _dimensions_message(forms: FormSet, concept: Concept, dims: dict[str, str], slots: dict) -> Message:
    official = dims.get(forms.official_axis or "")
    if official is not None and not OFFICIAL_ID.fullmatch(official):
        return both("%(label)s: the senior official's id %(id)s is not 1 to 40 letters, digits, dots, hyphens "
                    "or underscores.", label=concept.labels, id=json.dumps(official[:60]))
    if any(pattern and pattern[0][1] == "*" for pattern in slots):
        return both("%(label)s is given per senior official: give the dimension %(axis)s with the official's id.",
                    label=concept.labels, axis=forms.official_axis)
    return both("%(label)s cannot be given with the dimensions %(dimensions)s.", label=concept.labels,
                dimensions=json.dumps(dims, sort_keys=True)[:200])


__all__ = ["DraftFact", "Problem", "FactsInvalid", "parse_input", "check_facts", "check_fact", "field_id",
           "InputError"]
