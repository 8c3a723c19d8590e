"""The house keeps its rooms: no import cycles, no module too long to read, every room labelled.

import-linter (`make lint`) holds the layers; these checks hold what it does not: a cycle hidden
in an import deferred into a function counts as a cycle too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "adapters", "store", "intents")
MAX_LINES = 800
MAX_TOP_LEVEL_BOT_MODULES = 12


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        # A package's __init__ re-exporting its own modules is not a cycle between modules.
        edges[module] = {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if not imported.startswith(module + ".")
        }
    assert _cycles(edges) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_too_long_to_read(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_bot_is_in_rooms_each_saying_what_it_owns() -> None:
    bot = ROOT / "bot"
    top = [p for p in bot.glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= MAX_TOP_LEVEL_BOT_MODULES, sorted(p.name for p in top)
    rooms = [p for p in bot.iterdir() if p.is_dir() and any(p.glob("*.py"))]
    assert {"api", "chat", "cli", "engine", "notify", "web"} <= {p.name for p in rooms}
    for room in rooms:
        init = room / "__init__.py"
        assert init.exists(), f"bot/{room.name} has no __init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring.split()) >= 15, f"bot/{room.name} says nothing"
