"""Latin look-alike letters in Kazakh and Russian words, and invisible characters.

A Kazakh or Russian text typed on a keyboard without the Kazakh layout carries Latin
``i``, ``h``, ``o``, ``a``, ``e``, ``c``, ``p``, ``x``, ``y`` inside Cyrillic words
(``әкiмi`` with a Latin ``i``): it looks right and is wrong for search, sorting, screen
readers and hyphenation. One definition serves the catalogues' rule list
(:mod:`ushtil.interface.rules`) and the article files (:func:`article_problems`, called
when a version is read, so ``ushtil check`` and the build warn alike).

A word is fixed (:func:`fix_text`) only when the fix is unambiguous: every letter that
is not Cyrillic is a look-alike with one meaning in the file's language (a Latin ``i`` is
the Kazakh ``і`` in Kazakh, but nothing in Russian, so a Russian word with one is only
reported).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import languages, layout
from ushtil.project.files import write_text
from ushtil.project.invisible import BIDI_CONTROL, DEFAULT_IGNORABLE
from ushtil.project.problems import Diagnostic, Location, Severity, error, warning
from ushtil.project.text import read_text

CYRILLIC_LANGS = languages.CYRILLIC
# Latin (and Latin-script) letters that look like Cyrillic ones, and the letter meant.
LOOKALIKES = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "H": "Н", "K": "К", "M": "М",
    "T": "Т", "B": "В", "i": "і", "I": "І", "h": "һ", "ə": "ә", "Ə": "Ә",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]+")
# Characters that change how text is shown without being seen, as Unicode's properties
# name them (the table is generated, see project/invisible.py): Bidi_Control (marks,
# embeddings, overrides and isolates: the "Trojan Source" characters) anywhere, and
# Default_Ignorable_Code_Point (zero-width spaces and joiners, the BOM, variation
# selectors, tag characters, fillers) in the front matter. One exception: the soft
# hyphen (U+00AD) is a hyphenation hint that Kazakh and Russian typesetting uses in long
# words, and it is seen (as a hyphen) where a line breaks there, so it is never warned about.
SOFT_HYPHEN = "\u00ad"
# fast paths: a line with no letter of each kind side by side in one word, or with no
# invisible character, needs no look at its words or characters
# (a word with a Cyrillic letter and a look-alike has a Cyrillic letter beside another one)
CANDIDATE = re.compile(r"[\u0400-\u052f][^\W\d_\u0400-\u052f]|[^\W\d_\u0400-\u052f][\u0400-\u052f]")


def _char_class(ranges: tuple[tuple[int, int], ...], but: str = "") -> re.Pattern[str]:
    """A character class of ``ranges`` less the characters of ``but``."""
    points = sorted({c for a, b in ranges for c in range(a, b + 1)} - set(map(ord, but)))
    spans: list[list[int]] = []
    for c in points:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in spans) + "]")


BIDI = _char_class(BIDI_CONTROL)
HIDDEN = _char_class(DEFAULT_IGNORABLE + BIDI_CONTROL, but=SOFT_HYPHEN)
LOOKALIKE_CODE = "lookalike"
INVISIBLE_CODE = "invisible"
# what `--strict` makes errors of
STRICT_CODES = frozenset({LOOKALIKE_CODE, INVISIBLE_CODE})


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f"


def lookalikes(text: str) -> list[tuple[str, list[str]]]:
    """Words that are Cyrillic but for Latin (or Latin-script) look-alike letters."""
    return [(word, _letters(word)) for _, word in _mixed_words(text)]


def _letters(word: str) -> list[str]:
    foreign = [ch for ch in word if ch in LOOKALIKES]
    return [f"'{ch}' (meant '{LOOKALIKES[ch]}'?)" for ch in dict.fromkeys(foreign)]


def _mixed_words(text: str) -> list[tuple[int, str]]:
    if CANDIDATE.search(text) is None:
        return []
    found = []
    for match in WORD.finditer(text):
        word = match.group()
        if any(is_cyrillic(ch) for ch in word) and any(ch in LOOKALIKES for ch in word):
            found.append((match.start(), word))
    return found


def fixed_word(word: str, lang: str) -> str | None:
    """``word`` with its look-alikes replaced, when that is unambiguous: every other
    letter is Cyrillic and each look-alike has its twin in ``lang``'s alphabet (a Latin
    ``i`` is the Kazakh ``і``, which Russian lacks)."""
    if lang not in CYRILLIC_LANGS:
        return None
    out = []
    for ch in word:
        if is_cyrillic(ch):
            out.append(ch)
        elif ch in LOOKALIKES and LOOKALIKES[ch].lower() in languages.KNOWN[lang].letters:
            out.append(LOOKALIKES[ch])
        else:
            return None
    return "".join(out)


@dataclass(frozen=True)
class Change:
    line: int
    column: int  # 1-based, in characters
    word: str
    fixed: str


def fix_text(text: str, lang: str) -> tuple[str, list[Change]]:
    """``text`` with every unambiguous look-alike word fixed, and what was changed."""
    changes: list[Change] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        pieces: list[str] = []
        last = 0
        for start, word in _mixed_words(line):
            fixed = fixed_word(word, lang)
            if fixed is None:
                continue
            changes.append(Change(number, start + 1, word, fixed))
            pieces += [line[last:start], fixed]
            last = start + len(word)
        if pieces:
            lines[number - 1] = "".join(pieces) + line[last:]
    return "\n".join(lines), changes


def article_problems(text: str, shown: str, lang: str, body_line: int) -> list[Diagnostic]:
    """Warnings, with line and column, for the look-alike words of a Kazakh or Russian
    version's file (title, summary, captions, body), and for invisible characters: any
    in the front matter (titles, summaries, captions), bidirectional controls anywhere;
    never a soft hyphen."""
    problems: list[Diagnostic] = []
    mixed = lang in CYRILLIC_LANGS and CANDIDATE.search(text) is not None
    hidden_any = HIDDEN.search(text) is not None
    if not (mixed or hidden_any):
        return problems
    for number, line in enumerate(text.split("\n"), 1):
        if mixed:
            for start, word in _mixed_words(line):
                fix = fixed_word(word, lang)
                hint = f"; `ushtil fix-lookalikes` writes '{fix}'" if fix else ""
                message = (
                    f"'{word}' mixes Latin {', '.join(_letters(word))} into a Cyrillic word"
                    + hint
                )
                problems.append(
                    warning(Location(shown, number, start + 1), LOOKALIKE_CODE, message)
                )
        if not hidden_any:
            continue
        for found in (HIDDEN if number < body_line else BIDI).finditer(line):
            ch = found.group()
            kind = "bidirectional control" if BIDI.match(ch) else "character"
            name = unicodedata.name(ch, "")
            message = (
                f"invisible {kind} U+{ord(ch):04X}{f' ({name})' if name else ''}: "
                "delete it (it changes what is shown)"
            )
            where = Location(shown, number, found.start() + 1)
            problems.append(warning(where, INVISIBLE_CODE, message))
    return problems


def strictly(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``--strict``: the warnings of this module as errors."""
    return [
        Diagnostic(Severity.ERROR, d.location, d.code, d.message)
        if d.code in STRICT_CODES and not d.is_error
        else d
        for d in diagnostics
    ]


@dataclass(frozen=True)
class Fixed:
    path: str  # the version's file, relative to the project
    changes: tuple[Change, ...]


def fix_articles(
    root: Path, article_ids: tuple[str, ...] = ()
) -> tuple[list[Fixed], list[Diagnostic]]:
    """Rewrite every Kazakh and Russian version (of ``article_ids``, else of every article)
    with its unambiguous look-alikes fixed, each file atomically; what was changed."""
    done: list[Fixed] = []
    problems: list[Diagnostic] = []
    folder = root / layout.ARTICLES
    ids = article_ids or tuple(
        sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
        if folder.is_dir()
        else ()
    )
    for article_id in ids:
        if not layout.NAME.fullmatch(article_id):
            problems.append(error(Location(article_id), "article", "not an article ID"))
            continue
        article_folder = folder / article_id
        if not article_folder.is_dir() or article_folder.is_symlink():
            shown_folder = f"{layout.ARTICLES}/{article_id}/"
            problems.append(error(Location(article_id), "article", f"no article {shown_folder}"))
            continue
        for lang in CYRILLIC_LANGS:
            shown = layout.version_file(article_id, lang)
            path = root / shown
            if not path.is_file() or path.is_symlink():
                continue
            text, trouble = read_text(path, shown)
            if text is None:
                problems += trouble
                continue
            new, changes = fix_text(text, lang)
            if changes:
                write_text(root, path, new)
                done.append(Fixed(shown, tuple(changes)))
    return done, problems
