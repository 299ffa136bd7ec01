"""The layout of each presentation role: its rows in order and depth, the axis it shows,
and its calculation tree; plain data that model.py turns into a form.

Generic over taxonomies: a role's number and names come from its definition
("200 - Balans (Balance sheet)"), an axis is any element in the dimension
substitution group (its domain and members are no rows), a table (hypercube)
is no row either but its line items are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dts import Arc, Taxonomy

_DEFINITION = re.compile(r"\s*(\d+)\s*-\s*(.*)", re.DOTALL)
UNNUMBERED = 10**9  # roles whose definition starts with no number come last


@dataclass(frozen=True)
class Layout:
    """One presentation role as a form will show it."""

    role: str
    order: int
    labels: dict[str, str]
    rows: tuple[tuple[str, int, bool, bool], ...]  # (concept, depth, abstract, calculation parent)
    axis: str | None  # local name of the axis the role shows
    member: str | None  # an explicit axis's first member other than its default (the budget)
    member_labels: dict[str, str]
    typed_member: str | None  # a typed axis's domain element (the official's id)
    calculations: dict[str, tuple[tuple[str, float], ...]]


def parse_definition(definition: str, role: str) -> tuple[int, dict[str, str]]:
    """(order, {"nl", "en"}) from a definition such as "600 - WNT-verantwoording (WNT disclosure (pay))":
    the number first, the Dutch name, the English one in the outer parentheses."""
    match = _DEFINITION.fullmatch(definition or "")
    order, name = (int(match.group(1)), match.group(2).strip()) if match else (UNNUMBERED, (definition or "").strip())
    if not name:
        name = role.rstrip("/").rsplit("/", 1)[-1]
    if name.endswith(")") and " (" in name:
        nl, en = name[:-1].split(" (", 1)
        return order, {"nl": nl.strip(), "en": en.strip()}
    return order, {"nl": name, "en": name}


def _sorted(arcs: list[Arc]) -> list[Arc]:
    return sorted(arcs, key=lambda arc: (arc.order, arc.position))


def statements_of(taxonomy: Taxonomy) -> list[Layout]:
    """Every presentation role with at least one row, by the number of its definition."""
    parents = {arc.parent for arcs in taxonomy.calculation.values() for arc in arcs}
    layouts = []
    for role, arcs in taxonomy.presentation.items():
        layout = _layout(taxonomy, role, arcs, parents)
        if layout.rows:
            layouts.append(layout)
    return sorted(layouts, key=lambda layout: (layout.order, layout.role))


class _Walk:
    """Depth-first over one role's parent-child tree, collecting rows and the axis shown."""

    def __init__(self, taxonomy: Taxonomy, arcs: list[Arc], parents: set[str]) -> None:
        self.taxonomy = taxonomy
        self.parents = parents
        self.children: dict[str, list[Arc]] = {}
        for arc in arcs:
            self.children.setdefault(arc.parent, []).append(arc)
        for name in self.children:
            self.children[name] = _sorted(self.children[name])
        self.rows: list[tuple[str, int, bool, bool]] = []
        self.seen: set[str] = set()
        self.axes: list[tuple[str, list[str]]] = []  # (axis, its members in order)

    def below(self, name: str, path: tuple[str, ...] = ()) -> list[str]:
        """Every element under `name`, depth-first (an axis's domain and members)."""
        found = []
        for arc in self.children.get(name, []):
            if arc.child not in path:
                found.append(arc.child)
                found.extend(self.below(arc.child, path + (name,)))
        return found

    def visit(self, name: str, depth: int, path: tuple[str, ...] = ()) -> None:
        """Add `name` as a row at `depth` (unless it is structure) and its children below it."""
        element = self.taxonomy.elements.get(name)
        if element is None or name in path:
            return  # another namespace's element, or a cycle
        if element.is_axis:
            self.axes.append((name, self.below(name)))
            return
        inner = depth
        if not element.is_hypercube and name not in self.seen:
            self.seen.add(name)
            self.rows.append((name, depth, element.abstract, name in self.parents))
            inner = depth + 1
        for arc in self.children.get(name, []):
            self.visit(arc.child, inner, path + (name,))


def _layout(taxonomy: Taxonomy, role: str, arcs: list[Arc], parents: set[str]) -> Layout:
    walk = _Walk(taxonomy, arcs, parents)
    children = {arc.child for arc in arcs}
    roots = []
    for arc in sorted(arcs, key=lambda a: a.position):
        if arc.parent not in children and arc.parent not in roots:
            roots.append(arc.parent)
    for root in roots:
        element = taxonomy.elements.get(root)
        if element is not None and element.abstract and not element.is_axis:
            # The statement's heading: its label is the statement's, its children are depth 0.
            for arc in walk.children.get(root, []):
                walk.visit(arc.child, 0, (root,))
        else:
            walk.visit(root, 0)
    order, labels = parse_definition(taxonomy.roles.get(role, ""), role)
    axis = member = typed = None
    member_labels: dict[str, str] = {}
    for name, members in walk.axes:
        if taxonomy.elements[name].typed_domain:
            axis, typed, member = name, taxonomy.typed_domains.get(name), None
            break
        others = [m for m in members if m != taxonomy.defaults.get(name)]
        if others and member is None:
            axis, member = name, others[0]
            found = taxonomy.labels.get(member, {})
            member_labels = {lang: found.get(lang) or found.get("nl") or member for lang in ("nl", "en")}
    if axis is None and walk.axes:
        axis = walk.axes[0][0]  # shown with its default member only: no scenario columns
    calculations: dict[str, list[tuple[str, float]]] = {}
    for arc in _sorted(taxonomy.calculation.get(role, [])):
        calculations.setdefault(arc.parent, []).append((arc.child, arc.weight))
    return Layout(role=role, order=order, labels=labels, rows=tuple(walk.rows), axis=axis, member=member,
                  member_labels=member_labels, typed_member=typed,
                  calculations={parent: tuple(items) for parent, items in calculations.items()})
