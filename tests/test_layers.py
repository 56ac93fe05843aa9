"""The layers stay as the README draws them: a pure core, and no import circles anywhere.

Imports only for type checking count too: a circle through them is still two modules that each
need the other, and the core may not even name the shell's types.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "custom_components" / "backward_walking"


def _imports(source: str, here: tuple[str, ...]) -> set[str]:
    """Every module ``source`` (in package ``here``) imports, at run time or for type checking."""
    tree = ast.parse(source)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level + 1]
            module = ".".join((*base, *(node.module or "").split("."))).strip(".")
            found.add(module)
            # ``from . import options``: the names may be modules themselves.
            found.update(f"{module}.{alias.name}".strip(".") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _modules() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        modules[".".join(parts)] = _imports(path.read_text(encoding="utf-8"), parts[:-1])
    return modules


def test_the_core_imports_neither_home_assistant_nor_the_shell() -> None:
    modules = _modules()
    for name, imports in modules.items():
        if name.startswith("core."):
            assert not any(i.startswith("homeassistant") for i in imports), name
            shell = {i for i in imports if i in modules and not i.startswith("core")}
            assert not shell, f"{name} imports the shell: {shell}"


def test_no_import_circles_not_even_for_type_checking() -> None:
    modules = _modules()
    graph = {
        name: {i for i in imports if i in modules and i != name}
        for name, imports in modules.items()
    }
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " → ".join((*path, name))
        if name in done:
            return
        for target in graph[name]:
            visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_type_only_imports_count() -> None:
    """What the earlier check passed over: ``if TYPE_CHECKING: from .hub import WalkerHub``."""
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .hub import WalkerHub\n"
    assert "hub" in _imports(source, ())
    assert "hub" in _imports("from ..hub import WalkerHub\n", ("core",))
