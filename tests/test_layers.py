"""The layers stay as the README draws them: a pure core, and no import circles in the shell."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "custom_components" / "backward_walking"


def _runtime_imports(path: Path) -> set[str]:
    """Modules imported at run time (not under ``if TYPE_CHECKING``), as dotted package paths."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for node in ast.walk(branch)
    }
    here = path.relative_to(PACKAGE).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level + 1]
            found.add(".".join((*base, *(node.module or "").split("."))).strip("."))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _modules() -> dict[str, set[str]]:
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): _runtime_imports(path)
        for path in PACKAGE.rglob("*.py")
    }


def test_the_core_imports_no_home_assistant() -> None:
    for name, imports in _modules().items():
        if name.startswith("core."):
            assert not any(i.startswith("homeassistant") for i in imports), name
            shell = {i for i in imports if "." not in i and i not in ("const",)} & set(_modules())
            assert not shell, f"{name} imports the shell: {shell}"


def test_no_import_circles() -> None:
    modules = _modules()
    graph = {name: {i for i in imports if i in modules} for name, imports in modules.items()}
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
