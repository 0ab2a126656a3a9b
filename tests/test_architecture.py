"""The package is laid out as docs/ARCHITECTURE.md says: its module table is the tree, the
wings import only downwards, no private name crosses a module, no module grows past
the size a reader can hold."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ushtil"
MAX_LINES = 440  # "about 400": a reader holds a module of this size in mind
# which wings each wing may import from (itself included)
ALLOWED = {
    "project": {"project"},
    "interface": {"project", "interface"},
    "translation": {"project", "interface", "translation"},
    "site": {"project", "interface", "site"},
    "cli": {"project", "interface", "translation", "site", "cli"},
}


def modules() -> dict[str, Path]:
    return {
        p.relative_to(PACKAGE).as_posix(): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "__init__.py" and p.relative_to(PACKAGE).parts[0] in ALLOWED
    }


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for every ushtil import."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ushtil"):
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("ushtil")]
    return found


def test_the_module_table_is_the_tree() -> None:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+/[a-z0-9_]+\.py)` \|", text, flags=re.M))
    assert documented == set(modules()), (
        f"in the tree but not in the table: {sorted(set(modules()) - documented)}; "
        f"in the table but not in the tree: {sorted(documented - set(modules()))}"
    )


def test_wings_import_only_downwards() -> None:
    wrong = []
    for name, path in modules().items():
        wing = name.split("/")[0]
        for module, _, line in imports(path):
            parts = module.split(".")
            if len(parts) > 1 and parts[1] in ALLOWED and parts[1] not in ALLOWED[wing]:
                wrong.append(f"{name}:{line}: {wing} imports {module}")
    assert wrong == []


def test_no_private_name_crosses_a_module() -> None:
    wrong = [
        f"{name}:{line}: from {module} import {n}"
        for name, path in modules().items()
        for module, names, line in imports(path)
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert wrong == []


def test_no_module_is_too_long() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
