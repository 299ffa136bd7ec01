"""What changed between two filings: facts added, removed or changed, and findings new or resolved.

Two versions of one board and year are compared fact by fact; a version and the board's filing of
the year before too, once last year's periods are moved on by a year (`shift`), so that last year's
balance sheet date lines up with this year's. A fact is identified by its concept's local name, its
period, its dimensions (axis and member by local name: each year's taxonomy has its own namespace)
and, for a text, its language. Numbers compare by value (1000 and 1000.00 are the same), texts
exactly. Plain data in, plain data out: the facts as the portal keeps them (validators.facts.kept)
and the findings as the report's JSON writes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..forms import FormSet

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
# A QName as the facts write an explicit member or an axis ("edu:BudgetMember"); a typed member's
# value (an official's id "W0001") is no QName and is compared as it is.
_QNAME = re.compile(r"[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*")
_DATE = re.compile(r"(\d{4})(-\d\d-\d\d)")

Key = tuple[str, str | None, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Change:
    """One fact that differs: `old` None for an added fact, `new` None for a removed one (a nil fact
    is None too: `kind` says which it is). Period and dimensions are the newer filing's (a removed
    fact's: the older one's, its period moved on by the years compared)."""

    concept: str  # the local name
    period: str | None
    dimensions: dict[str, str]
    lang: str | None
    kind: str  # added | removed | changed
    old: str | None  # as filed
    new: str | None
    numeric: bool
    unit: str | None = None
    statement: str | None = None  # the id of the statement (FormSet) that shows it; None: in none

    @property
    def difference(self) -> Decimal | None:
        """new - old for two numbers, else None."""
        old, new = _number(self.old), _number(self.new)
        return new - old if self.numeric and old is not None and new is not None else None

    def as_dict(self) -> dict[str, Any]:
        """As the API answers it: concept (local name), period, dimensions, old and new (as filed)."""
        return {"concept": self.concept, "period": self.period, "dimensions": dict(self.dimensions),
                "old": self.old, "new": self.new}


@dataclass(frozen=True)
class FindingsDiff:
    """The findings of the newer report that the older one did not have, and the older one's the newer
    one no longer has (each as the report's JSON writes it)."""

    new: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """How many changes of each kind, for the line at the top of a comparison."""

    amounts: int  # numbers changed
    texts: int  # other values changed
    added: int
    removed: int

    @property
    def total(self) -> int:
        """Every change."""
        return self.amounts + self.texts + self.added + self.removed


def shift_period(period: str | None, years: int) -> str | None:
    """`period` with every date moved on by `years`: "2024-12-31" -> "2025-12-31" and
    "2024-01-01/2024-12-31" -> "2025-01-01/2025-12-31" for 1; 29 February becomes the 28th in a
    year without it; "forever" and None stay as they are."""
    if not years or period is None:
        return period

    def moved(match: re.Match[str]) -> str:
        year, rest = int(match.group(1)) + years, match.group(2)
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return f"{year:04d}{'-02-28' if rest == '-02-29' and not leap else rest}"

    return _DATE.sub(moved, period)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1] if _QNAME.fullmatch(name) else name


def _dims(dimensions: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """Dimensions as a key: axis and explicit member by local name, a typed member's value as it is."""
    return tuple(sorted((_local(axis), _local(member)) for axis, member in (dimensions or {}).items()))


def _number(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _same(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether two facts say the same: numbers by value (and unit), texts exactly."""
    before, after, unit = old.get("value"), new.get("value"), old.get("unit")
    if unit != new.get("unit"):
        return False
    if before == after:
        return True  # most facts of two versions are written alike: no number to read
    if unit is None:
        return False
    a, b = _number(before), _number(after)
    return a is not None and a == b


def _index(facts: Iterable[Mapping[str, Any]], years: int) -> dict[tuple[Key, str | None], Mapping[str, Any]]:
    """The facts by (key, lang); a numeric fact's language (inherited in inline XBRL) does not count.
    A fact twice with the same key (a duplicate) counts once, as first filed."""
    found: dict[tuple[Key, str | None], Mapping[str, Any]] = {}
    # A filing has a few dozen contexts for thousands of facts: each period and set of dimensions is
    # worked out once (a 3,000-fact filing is indexed in a few milliseconds).
    periods: dict[str | None, str | None] = {}
    dims: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
    for fact in facts:
        period = fact.get("period")
        if period not in periods:
            periods[period] = shift_period(period, years)
        given = fact.get("dimensions")
        written = tuple(given.items()) if given else ()
        if written not in dims:
            dims[written] = _dims(dict(written))
        unit, lang = fact.get("unit"), fact.get("lang")
        key = (fact["local"], periods[period], dims[written])
        found.setdefault((key, lang.lower() if lang and unit is None else None), fact)
    return found


def _pair_by_key(removed: list[tuple[Key, str | None]], added: list[tuple[Key, str | None]]
                 ) -> list[tuple[tuple[Key, str | None], tuple[Key, str | None]]]:
    """Unmatched facts that differ in language only, one on each side for their key (a text whose
    language was left out in one version, or given another): one fact changed, not two."""
    olds: dict[Key, list[tuple[Key, str | None]]] = {}
    news: dict[Key, list[tuple[Key, str | None]]] = {}
    for item in removed:
        olds.setdefault(item[0], []).append(item)
    for item in added:
        news.setdefault(item[0], []).append(item)
    return [(olds[key][0], news[key][0]) for key in olds if len(olds[key]) == 1 and len(news.get(key, ())) == 1]


Found = tuple[tuple[Key, str | None], str, Mapping[str, Any] | None, Mapping[str, Any] | None]


def compare_facts(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]], *, shift: int = 0,
                  forms: FormSet | None = None) -> list[Change]:
    """The changes from `old` to `new` (each a list of kept facts), `old`'s periods first moved on by
    `shift` years (1: `old` is the year before's filing). In the statements' order when `forms` (the
    newer year's FormSet) is given, else by concept name."""
    before, after = _index(old, shift), _index(new, 0)
    removed = [k for k in before if k not in after]
    added = [k for k in after if k not in before]
    found: list[Found] = [(key, CHANGED, before[key], after[key]) for key in after.keys() & before.keys()
                          if not _same(before[key], after[key])]
    paired = _pair_by_key(removed, added)
    for old_key, new_key in paired:
        langs = (old_key[1], new_key[1])
        if not _same(before[old_key], after[new_key]) or (None not in langs and langs[0] != langs[1]):
            found.append((new_key, CHANGED, before[old_key], after[new_key]))
    done_old, done_new = {p[0] for p in paired}, {p[1] for p in paired}
    found += [(k, REMOVED, before[k], None) for k in removed if k not in done_old]
    found += [(k, ADDED, None, after[k]) for k in added if k not in done_new]
    return _ordered(found, forms, shift)


def _change(kind: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, shift: int,
            statement: str | None) -> Change:
    shown = new if new is not None else old
    assert shown is not None
    period = shown.get("period") if new is not None else shift_period(shown.get("period"), shift)
    numeric = shown.get("unit") is not None
    return Change(concept=shown["local"], period=period, dimensions=dict(shown.get("dimensions") or {}),
                  lang=shown.get("lang") if not numeric else None, kind=kind,
                  old=old.get("value") if old is not None else None,
                  new=new.get("value") if new is not None else None, numeric=numeric, unit=shown.get("unit"),
                  statement=statement)


def _places(forms: FormSet) -> dict[tuple[str, str | None], tuple[int, int, str, bool]]:
    """(concept, local name of the statement's axis or None; "*": any) -> (statement position, row
    position, statement id, per official), the first statement in presentation order that shows it so."""
    places: dict[tuple[str, str | None], tuple[int, int, str, bool]] = {}
    for s, statement in enumerate(forms.statements):
        axis = _local(statement.axis) if statement.axis else None
        for r, row in enumerate(statement.rows):
            places.setdefault((row.concept, axis), (s, r, statement.id, statement.per_official))
            places.setdefault((row.concept, "*"), (s, r, statement.id, statement.per_official))
    return places


def _ordered(found: list[Found], forms: FormSet | None, shift: int) -> list[Change]:
    """Changes as a reader expects them: per statement in presentation order, its rows in order (a
    per-official statement official by official), the reporting year's column before the others;
    a concept no statement shows after them, by name. Without `forms`: by concept name. Each change
    knows its statement's id."""
    places = _places(forms) if forms is not None else {}
    year_end = f"{forms.year}-12-31" if forms is not None else ""
    last = len(forms.statements) if forms is not None else 0
    keyed: list[tuple[tuple[Any, ...], int]] = []
    statements: list[str | None] = []
    for i, ((key, lang), _kind, _old, _new) in enumerate(found):
        local, period, dims = key
        column = (0 if (period or "").endswith(year_end) and forms is not None else 1, period or "", lang or "")
        place = (places.get((local, dims[0][0] if len(dims) == 1 else None)) or places.get((local, None))
                 or places.get((local, "*"))) if places else None
        if place is None:
            statements.append(None)
            keyed.append(((last, (), 0, local, dims, column), i))
        else:
            s, r, statement, per_official = place
            statements.append(statement)
            keyed.append(((s, dims if per_official else (), r, local, dims, column), i))
    keyed.sort()
    return [_change(found[i][1], found[i][2], found[i][3], shift, statements[i]) for _key, i in keyed]


def summarise(changes: Iterable[Change]) -> Summary:
    """The counts of `changes` by kind, changed numbers apart from other changed values."""
    kinds = Counter((c.kind, c.numeric) for c in changes)
    return Summary(amounts=kinds[(CHANGED, True)], texts=kinds[(CHANGED, False)],
                   added=kinds[(ADDED, True)] + kinds[(ADDED, False)],
                   removed=kinds[(REMOVED, True)] + kinds[(REMOVED, False)])


def _finding_key(finding: Mapping[str, Any], years: int) -> tuple[Any, ...]:
    concept = finding.get("concept")
    return (finding.get("code"), _local(concept) if concept else None,
            shift_period(finding.get("period"), years), _dims(finding.get("dimensions")))


def compare_findings(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]], *,
                     shift: int = 0) -> FindingsDiff:
    """The findings of `new` that `old` did not have, and those of `old` that `new` no longer has: a
    finding is identified by its code, concept (local name), period (`old`'s moved on by `shift`
    years) and dimensions; its message and values may differ (the amounts it names changed)."""
    old, new = list(old), list(new)
    left = Counter(_finding_key(f, shift) for f in old)
    found: list[dict[str, Any]] = []
    for finding in new:
        key = _finding_key(finding, 0)
        if left[key]:
            left[key] -= 1
        else:
            found.append(dict(finding))
    right = Counter(_finding_key(f, 0) for f in new)
    resolved: list[dict[str, Any]] = []
    for finding in old:
        key = _finding_key(finding, shift)
        if right[key]:
            right[key] -= 1
        else:
            resolved.append(dict(finding))
    return FindingsDiff(new=found, resolved=resolved)


__all__ = ["ADDED", "REMOVED", "CHANGED", "Change", "FindingsDiff", "Summary", "compare_facts",
           "compare_findings", "shift_period", "summarise"]
