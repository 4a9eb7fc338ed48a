"""The layers as the developers' guide draws them, read from the source (every import statement,
also those inside functions and under TYPE_CHECKING): no module of rules/, sheets/ or api/
imports, directly or through others, a module that imports it; and the pure core, rules/, imports
nothing from the adapters, the API or the libraries of either."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("rules", "sheets", "api")
NOT_IN_THE_CORE = ("sheets", "api", "flask", "marshmallow", "openpyxl", "gspread", "google",
                   "sqlalchemy", "alembic", "werkzeug")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES
            for path in sorted((ROOT / package).rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module ``name``'s source imports: project modules by name, others by top package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                         for a in node.names)
    return {_within(target, known) for target in found}


def _within(target: str, known: set[str]) -> str:
    """The project module ``target`` is or lies in, else its top-level package."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return parts[0]


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imported(name, path, known) - {name} for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path) per group of modules that reach each other (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_a_module_that_imports_it():
    assert cycles(graph()) == []


def test_the_core_imports_neither_adapters_nor_the_api_nor_their_libraries():
    offending = {name: sorted(t for t in targets if t.split(".")[0] in NOT_IN_THE_CORE)
                 for name, targets in graph().items() if name.split(".")[0] == "rules"}
    assert {name: bad for name, bad in offending.items() if bad} == {}


def test_the_walk_sees_a_cycle_and_a_function_level_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "api.store" in graph()["api.service"]  # imported inside a function only
