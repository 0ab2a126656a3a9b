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
    "engine": {"project", "engine"},  # below the site: it knows no page kind
    "site": {"project", "interface", "engine", "site"},
    "cli": {"project", "interface", "translation", "engine", "site", "cli"},
}


def modules() -> dict[str, Path]:
    return {
        p.relative_to(PACKAGE).as_posix(): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "__init__.py" and p.relative_to(PACKAGE).parts[0] in ALLOWED
    }


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for every ushtil import, wherever
    it is (in a function, under ``TYPE_CHECKING``); ``from ushtil import site`` counts as
    an import of ``ushtil.site``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "ushtil":
            found += [(f"ushtil.{a.name}", [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ushtil"):
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("ushtil")]
    return found


def wrong_imports(name: str, path: Path) -> list[str]:
    """The imports of module ``name`` (``wing/module.py``) that go against the table."""
    wing = name.split("/")[0]
    wrong = []
    for module, _, line in imports(path):
        parts = module.split(".")
        if len(parts) > 1 and parts[1] in ALLOWED and parts[1] not in ALLOWED[wing]:
            wrong.append(f"{name}:{line}: {wing} imports {module}")
    return wrong


def test_the_module_table_is_the_tree() -> None:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+/[a-z0-9_]+\.py)` \|", text, flags=re.M))
    assert documented == set(modules()), (
        f"in the tree but not in the table: {sorted(set(modules()) - documented)}; "
        f"in the table but not in the tree: {sorted(documented - set(modules()))}"
    )


def test_wings_import_only_downwards() -> None:
    wrong = [w for name, path in modules().items() for w in wrong_imports(name, path)]
    assert wrong == []


def test_the_engine_may_not_import_the_site(tmp_path: Path) -> None:
    """The engine is below the site: an engine module that imports anything of site/
    (or of the wings above it), even only for type checking, is refused."""
    module = tmp_path / "ledger.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from ushtil.engine.store import Json\n"
        "from ushtil.project.model import Page\n"
        "from ushtil import site\n"
        "import ushtil.interface.glossary\n"
        "if TYPE_CHECKING:\n"
        "    from ushtil.site.outputs import Indexed\n"
        "def load() -> None:\n"
        "    from ushtil.site.images import MEDIA\n",
        encoding="utf-8",
    )
    assert wrong_imports("engine/ledger.py", module) == [
        "engine/ledger.py:4: engine imports ushtil.site",
        "engine/ledger.py:5: engine imports ushtil.interface.glossary",
        "engine/ledger.py:7: engine imports ushtil.site.outputs",
        "engine/ledger.py:9: engine imports ushtil.site.images",
    ]
    assert wrong_imports("site/render.py", module) == []  # the site may import the engine


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


# A rule kept in two places drifts apart: each of these is spelt once in the package.
RULES = {
    "an article's ID, a slug": r"[a-z0-9]+(?:-[a-z0-9]+)*",
    "a %-placeholder": "[diouxXeEfFgGcrsa",
    "what XML forbids": "\x0e-\x1f\ufffe\uffff",
    "the Markdown dialect": "commonmark",
    "a parser of untrusted XML": "ParserCreate",
    "a language's plural rule": "n%10",
}


def _pattern_literals(path: Path) -> list[tuple[str, int]]:
    """The string constants given as the pattern of a `re` call."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
        ):
            parts = [node.args[0]]
            if isinstance(node.args[0], ast.BinOp):  # "a" + "b"
                parts = [node.args[0].left, node.args[0].right]
            found += [
                (p.value, node.lineno)
                for p in parts
                if isinstance(p, ast.Constant) and isinstance(p.value, str)
            ]
    return found


def _code_strings(path: Path) -> list[str]:
    """Every string constant and attribute name of a module (its docstrings not counted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
        and isinstance(n.body[0], ast.Expr)
    }  # fmt: skip
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            out.append(node.value)
        elif isinstance(node, ast.Attribute):
            out.append(node.attr)
    return out


def test_each_rule_is_defined_once() -> None:
    strings = {name: _code_strings(path) for name, path in modules().items()}
    where = {
        rule: [name for name, found in strings.items() for s in found if mark in s]
        for rule, mark in RULES.items()
    }
    assert {rule: len(names) for rule, names in where.items()} == dict.fromkeys(RULES, 1), where


def test_no_regular_expression_is_written_twice() -> None:
    seen: dict[str, str] = {}
    twice = []
    for name, path in modules().items():
        for pattern, line in _pattern_literals(path):
            if len(pattern) > 8 and pattern in seen:
                twice.append(f"{name}:{line} repeats {seen[pattern]}: {pattern!r}")
            seen.setdefault(pattern, f"{name}:{line}")
    assert twice == []
