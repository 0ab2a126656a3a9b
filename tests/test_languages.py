"""What ushtil knows of each language is one definition (`project/languages.py`, a frozen
dataclass per language) that the configuration, the plural rules, the look-alike check,
the glossary's stems and the pages' dates all take their facts from."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from ushtil.interface import glossary, plurals
from ushtil.project import languages, lookalikes
from ushtil.project.config import read_config

SRC = Path(__file__).resolve().parents[1] / "src" / "ushtil"
# facts of one language that no other module may spell again
FACTS = ("Қазақша", "Русский", "kk_KZ", "ru_RU", "en_US", "n%10==1", "аәеёиіоөуұүыэюя")


def test_no_other_module_spells_a_language_fact() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        if path.name == "languages.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings and any(f in node.value for f in FACTS):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value[:40]!r}")
    assert found == []


def test_the_facts_are_frozen_and_agree_with_babel() -> None:
    for code, facts in languages.KNOWN.items():
        with pytest.raises(dataclasses.FrozenInstanceError):
            facts.name = "x"  # type: ignore[misc]
        assert Locale.parse(facts.locale).language == code
        assert get_plural(code).num_plurals == facts.nplurals
        assert plurals.PLURAL_FORMS[code] == (facts.nplurals, facts.plural)
        assert set(facts.vowels) <= set(facts.letters) and set(facts.voicing) <= set(facts.letters)
    assert lookalikes.CYRILLIC_LANGS == ("kk", "ru")
    assert glossary.VOWELS == set("аәеёиіоөуұүыэюяaeiouy") and glossary.VOICED == set("кқп")


def test_a_lookalike_is_fixed_where_its_twin_is_in_the_alphabet() -> None:
    for ch, twin in lookalikes.LOOKALIKES.items():
        word = f"ка{ch}ра"
        for lang in ("kk", "ru"):
            fixed = lookalikes.fixed_word(word, lang)
            has_twin = twin.lower() in languages.KNOWN[lang].letters
            assert fixed == (f"ка{twin}ра" if has_twin else None), (ch, lang)


def test_a_known_language_needs_no_configuration(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(
        'base_url = "https://example.kz"\nlanguages = ["kk", "ru", "en"]\n', encoding="utf-8"
    )
    config, problems = read_config(tmp_path)
    assert config is not None, problems
    assert [(x.code, x.name, x.locale) for x in config.languages] == [
        (f.code, f.name, f.locale) for f in languages.KNOWN.values()
    ]
