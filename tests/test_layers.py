"""ARCHITECTURE.md's layers hold: no module imports from a layer below its own in the pipeline."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

# Each layer and the layers it may import from (its own included).
ALLOWED = {
    "core": {"core"},
    "load": {"core", "load"},
    "model": {"core", "load", "model"},
    "check": {"core", "load", "model", "check"},
    "render": {"core", "load", "model", "check", "render"},
    "export": {"core", "load", "model", "check", "render", "export"},
    "lab": {"core", "load", "model", "lab"},
    "tools": {"core", "load", "model", "check", "render", "export", "lab", "tools"},
}


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT / "macros").parts
    return parts[0] if len(parts) > 1 else None  # None: cli.py, site.py, __init__.py on top


def imported_layers(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "macros" and len(parts) > 1 and parts[1] in ALLOWED:
                yield node.lineno, parts[1]


def test_no_module_imports_a_layer_below_its_own():
    wrong = []
    for path in sorted((ROOT / "macros").rglob("*.py")):
        layer = layer_of(path)
        if layer is None:
            continue
        assert layer in ALLOWED, f"{path}: a new layer? add it to ALLOWED and ARCHITECTURE.md"
        wrong += [f"{path.relative_to(ROOT)}:{line} imports macros.{other}"
                  for line, other in imported_layers(path) if other not in ALLOWED[layer]]
    assert not wrong, "\n".join(wrong)


def test_the_top_level_holds_only_the_entry_points():
    top = sorted(p.name for p in (ROOT / "macros").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "site.py"]
