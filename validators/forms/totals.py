"""Totals from the calculation trees: what each calculation parent adds up to from its children.

A form shows a total while the user types (the portal's script, generated from the same
trees) and a draft's totals are computed again on save. Per context (period and
dimensions) a parent is the weighted sum of those of its children that have a value,
filed or computed themselves (bottom-up); a parent none of whose children has a value
keeps the value filed for it, so a budget total given on its own stays as it is.
`differences` lists the totals filed otherwise than their items add up to: what the
calculation check would report once the draft is validated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .model import FormSet
from .values import DraftFact

Key = tuple[str, str, str]
Tree = dict[str, tuple[tuple[str, Decimal], ...]]


@dataclass(frozen=True)
class Difference:
    """A total filed otherwise than its items add up to."""

    key: Key  # (concept, period, dimensions as sorted JSON), as DraftFact.key
    filed: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        """Filed minus computed: how much the filed total is too high (negative: too low)."""
        return self.filed - self.computed


def trees(forms: FormSet) -> Tree:
    """parent -> ((child, weight), ...) over every statement's calculation (a child listed once per parent)."""
    merged: dict[str, dict[str, Decimal]] = {}
    for statement in forms.statements:
        for parent, children in statement.calculations.items():
            for child, weight in children:
                merged.setdefault(parent, {}).setdefault(child, Decimal(str(weight)))
    return {parent: tuple(children.items()) for parent, children in merged.items()}


def _filed(facts: list[DraftFact]) -> dict[tuple[str, str], dict[str, Decimal]]:
    """The numeric facts' values, per context (period, dimensions as sorted JSON)."""
    by_context: dict[tuple[str, str], dict[str, Decimal]] = {}
    for fact in facts:
        if fact.unit is None:
            continue
        try:
            value = Decimal(fact.value)
        except InvalidOperation:
            continue  # not a number: check_facts refuses it before it gets here
        by_context.setdefault((fact.period, fact.key[2]), {})[fact.concept] = value
    return by_context


def _evaluate(forms: FormSet, facts: list[DraftFact]) -> dict[Key, tuple[Decimal | None, Decimal | None]]:
    """Per calculation parent and context with any value: (filed, computed from its children or None)."""
    tree = trees(forms)
    result: dict[Key, tuple[Decimal | None, Decimal | None]] = {}
    for (period, dims), filed in _filed(facts).items():
        computed: dict[str, Decimal | None] = {}
        for parent in tree:
            _total(parent, tree, filed, computed, ())
        for parent in tree:
            if filed.get(parent) is not None or computed.get(parent) is not None:
                result[(parent, period, dims)] = (filed.get(parent), computed.get(parent))
    return result


def compute_totals(forms: FormSet, facts: list[DraftFact]) -> dict[Key, Decimal]:
    """Every calculation parent's total per (concept, period, dimensions) key, from its children's facts
    (recursively, bottom-up); a parent without any child's value keeps its filed value; a parent with
    neither is left out."""
    totals: dict[Key, Decimal] = {}
    for key, (filed, computed) in _evaluate(forms, facts).items():
        value = computed if computed is not None else filed
        if value is not None:
            totals[key] = value
    return totals


def differences(forms: FormSet, facts: list[DraftFact]) -> list[Difference]:
    """Every filed total that differs from what its items add up to (as compute_totals adds them), by key."""
    found = [Difference(key, filed, computed) for key, (filed, computed) in _evaluate(forms, facts).items()
             if filed is not None and computed is not None and filed != computed]
    return sorted(found, key=lambda d: d.key)


def _total(concept: str, tree: Tree, filed: dict[str, Decimal], computed: dict[str, Decimal | None],
           path: tuple[str, ...]) -> Decimal | None:
    """The concept's value in one context: its children's weighted sum where any has a value, else its
    filed value. `computed` keeps each parent's sum (None: no child has a value)."""
    if concept not in tree or concept in path:
        return filed.get(concept)
    if concept not in computed:
        parts = [(weight, _total(child, tree, filed, computed, path + (concept,))) for child, weight in tree[concept]]
        present = [weight * value for weight, value in parts if value is not None]
        computed[concept] = sum(present, Decimal(0)) if present else None
    value = computed[concept]
    return value if value is not None else filed.get(concept)
