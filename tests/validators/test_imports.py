"""The engine's import graph: no module imports one that imports it back, and nothing of the portal."""

from __future__ import annotations

import ast
from pathlib import Path

VALIDATORS = Path(__file__).parents[2] / "validators"


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports, anywhere in its body (in functions too):
    `from . import x` of a submodule counts as that submodule, of a name as the package itself."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
                target = ".".join(p for p in (base, node.module or "") if p)
                for alias in node.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every chain of imports that leads back to where it started."""
    found = []
    for start in sorted(graph):
        stack = [[start]]
        while stack:
            path = stack.pop()
            for nxt in sorted(graph[path[-1]]):
                if nxt == start:
                    found.append(path)
                elif nxt not in path:
                    stack.append(path + [nxt])
    return found


def test_no_module_of_the_engine_imports_one_that_imports_it_back() -> None:
    graph = imports(VALIDATORS)
    assert "validators.rules.filing" in graph["validators.rules"] and graph["validators.engine"]
    assert cycles(graph) == []


def test_the_walk_finds_a_cycle_through_a_package() -> None:
    graph = {"p": {"p.a"}, "p.a": {"p.b"}, "p.b": {"p"}, "q": set()}
    assert cycles(graph) == [["p", "p.a", "p.b"], ["p.a", "p.b", "p"], ["p.b", "p", "p.a"]]


def test_the_engine_imports_nothing_of_the_portal_or_flask() -> None:
    used = set()
    for path in VALIDATORS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                used.add(node.module.split(".")[0])
    assert "arelle" in used and not used & {"portal", "flask", "werkzeug", "sqlalchemy", "celery"}
