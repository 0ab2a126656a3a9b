"""The official glossary: ``i18n/glossary.tbx`` (TBX-Basic), the city's approved terms.

One ``<termEntry>`` per concept, one ``<langSet xml:lang="…">`` per language, one
``<term>`` per approved form (the first is the preferred one). A term whose
``administrativeStatus`` says it is deprecated is one a translation must not use. The file
is read as :mod:`ushtil.project.safexml` reads untrusted XML.

Terms are found in running text by their stems, because Kazakh and Russian inflect: a
word of the text matches a word of the term when, both case-folded, the text's word
starts with the term word's stem and has at most :data:`MAX_ENDING` more letters (a Latin
word: only a plural ``s`` or ``es``). The stem of a Cyrillic word is the term word without
its final vowels and a final ``к``, ``қ`` or ``п``, which Kazakh voices before a vowel,
down to :data:`MIN_STEM` + 1 letters: ``Астана`` → ``астан`` (``Астаны``, ``Астанаға``),
``әкімдік`` → ``әкімд`` (``әкімдігі``, ``әкімдіктің``), ``акимат`` stays (``акимата``).
A term of several words matches consecutive words. This is deliberately simple: it
accepts the inflected forms, and may take a longer word that begins like a term for it
(``экспорт`` for ``ЭКСПО``), which can silence a warning or add a hint, never change text.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ushtil.interface.posyntax import keyword_lines, parse_po
from ushtil.project import layout
from ushtil.project.articles import read_body
from ushtil.project.languages import KNOWN
from ushtil.project.lookalikes import WORD, is_cyrillic
from ushtil.project.model import Site, Version
from ushtil.project.problems import Diagnostic, Location, Severity, error, warning
from ushtil.project.safexml import read_tree

MAX_BYTES = 4 * 1024 * 1024
MAX_ELEMENTS = 200_000
MAX_ENDING = 10
MIN_STEM = 3
# what a stem loses at its end, in any language ushtil knows (project/languages.py)
VOWELS = frozenset("".join(facts.vowels for facts in KNOWN.values()))
VOICED = frozenset("".join(facts.voicing for facts in KNOWN.values()))
GLOSSARY_CODE = "glossary"
ARTICLE_SOURCE = "X-Ushtil-Source-Language"  # the header of an article's export
LATIN_ENDINGS = ("", "s", "es")
DEPRECATED = ("deprecatedterm-admn-sts", "deprecated", "supersededterm-admn-sts")


@dataclass(frozen=True)
class Concept:
    """One entry: its terms by language (the preferred first), where it is, its note."""

    id: str
    terms: dict[str, tuple[str, ...]]
    line: int
    note: str = ""
    deprecated: dict[str, tuple[str, ...]] = field(default_factory=dict)  # not to be used


@dataclass(frozen=True)
class Glossary:
    concepts: tuple[Concept, ...]
    shown: str  # the file, relative to the project


def stem(word: str) -> str:
    """The part of a term's word that every inflected form of it starts with; only
    Cyrillic words are cut (English and Latin names take at most a plural ending)."""
    word = word.casefold()
    if not any(is_cyrillic(ch) for ch in word):
        return word
    while len(word) > MIN_STEM and (word[-1] in VOWELS or word[-1] in VOICED):
        word = word[:-1]
        if len(word) <= MIN_STEM + 1:
            break
    return word


@functools.lru_cache(maxsize=4096)
def _stems(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in WORD.findall(term))


class Words:
    """A text's words, case-folded, ready for many term lookups: a term's first stem is
    found by bisection in the sorted words, the rest checked where it stands."""

    def __init__(self, text: str) -> None:
        self.words = [w.casefold() for w in WORD.findall(text)]
        self.sorted = sorted(set(self.words))
        self.at: dict[str, list[int]] | None = None

    def has(self, term: str) -> bool:
        """Whether ``term`` (in any inflected form) is among the words."""
        stems = _stems(term)
        if not stems:
            return False
        first, rest = stems[0], stems[1:]
        index = bisect.bisect_left(self.sorted, first)
        while index < len(self.sorted) and self.sorted[index].startswith(first):
            word = self.sorted[index]
            index += 1
            if not _inflects(word, first):
                continue
            if not rest:
                return True
            if self.at is None:
                self.at = {}
                for position, each in enumerate(self.words):
                    self.at.setdefault(each, []).append(position)
            for position in self.at[word]:
                following = self.words[position + 1 : position + 1 + len(rest)]
                if len(following) == len(rest) and all(
                    _inflects(w, s) for w, s in zip(following, rest, strict=True)
                ):
                    return True
        return False


def occurs(term: str, text: str) -> bool:
    """Whether ``term`` (in any inflected form) is in ``text``."""
    return Words(text).has(term)


def _inflects(word: str, stem: str) -> bool:
    if not word.startswith(stem):
        return False
    ending = word[len(stem) :]
    if any(is_cyrillic(ch) for ch in stem):
        return len(ending) <= MAX_ENDING
    return ending in LATIN_ENDINGS


def read_glossary(root: Path) -> tuple[Glossary | None, list[Diagnostic]]:
    """The project's glossary (None, and no problem, when it has none)."""
    path = root / layout.GLOSSARY
    if not path.exists() and not path.is_symlink():
        return None, []
    tree, problems = read_tree(path, layout.GLOSSARY, MAX_BYTES, MAX_ELEMENTS)
    if tree is None:
        return None, problems
    if tree.tag not in ("martif", "tbx"):
        message = f"not a TBX glossary: the root element is <{tree.tag}>"
        return None, [error(Location(layout.GLOSSARY, tree.line), "tbx", message)]
    concepts = []
    for number, entry in enumerate(tree.iter("termEntry") + tree.iter("conceptEntry"), 1):
        terms: dict[str, list[str]] = {}
        banned: dict[str, list[str]] = {}
        for lang_set in entry.iter("langSet"):
            lang = lang_set.attrs.get("lang", "").split("-")[0].lower()
            for group in lang_set.iter("tig") + lang_set.iter("ntig") + lang_set.iter("termSec"):
                term = next((t.text().strip() for t in group.iter("term")), "")
                status = " ".join(
                    n.text().strip().lower()
                    for n in group.iter("termNote")
                    if n.attrs.get("type") == "administrativeStatus"
                )
                if term:
                    wrong = any(d in status for d in DEPRECATED)
                    (banned if wrong else terms).setdefault(lang, []).append(term)
        note = next((d.text().strip() for d in entry.iter("descrip")), "")
        concept_id = entry.attrs.get("id", str(number))
        frozen = {lang: tuple(found) for lang, found in terms.items()}
        avoid = {lang: tuple(found) for lang, found in banned.items()}
        concepts.append(Concept(concept_id, frozen, entry.line, note, avoid))
    return Glossary(tuple(concepts), layout.GLOSSARY), []


def hits(glossary: Glossary, text: str | Words, src: str, tgt: str) -> list[tuple[str, Concept]]:
    """The concepts whose ``src`` term is in ``text`` and that have a ``tgt`` term: the
    source term found, and the concept."""
    words = text if isinstance(text, Words) else Words(text)
    found = []
    for concept in glossary.concepts:
        if tgt not in concept.terms:
            continue
        term = next((t for t in concept.terms.get(src, ()) if words.has(t)), None)
        if term is not None:
            found.append((term, concept))
    return found


def _may_have(terms: tuple[str, ...], lowered: str) -> bool:
    return any(_stems(t) and _stems(t)[0] in lowered for t in terms)


def hint(term: str, concept: Concept, tgt: str) -> str:
    """A glossary hit as a comment for the translator."""
    wanted = " / ".join(concept.terms[tgt])
    return f"glossary: {term} → {wanted}" + (f" ({concept.note})" if concept.note else "")


def missing(glossary: Glossary, source: str, src: str, target: str, tgt: str) -> list[str]:
    """For each glossary term in ``source`` whose approved ``tgt`` translation is not in
    ``target`` (in any form), and for each term the glossary marks deprecated that
    ``target`` uses, what to say."""
    found: list[str] = []
    # most texts hold no term at all: a substring test of each term's first stem (fast)
    # decides whether the words are worth splitting
    lowered_source, lowered_target = source.casefold(), target.casefold()
    banned = [c for c in glossary.concepts if _may_have(c.deprecated.get(tgt, ()), lowered_target)]
    present = [c for c in glossary.concepts if _may_have(c.terms.get(src, ()), lowered_source)]
    if not banned and not present:
        return found
    translated = Words(target)
    for concept in banned:
        used = next((t for t in concept.deprecated.get(tgt, ()) if translated.has(t)), None)
        if used is not None:
            instead = "' or '".join(concept.terms.get(tgt, ())) or "another term"
            found.append(
                f"the translation uses '{used}', which the glossary marks deprecated: use "
                f"'{instead}' ({glossary.shown}:{concept.line})"
            )
    subset = Glossary(tuple(present), glossary.shown)
    for term, concept in hits(subset, source, src, tgt) if present else []:
        if not any(translated.has(t) for t in concept.terms[tgt]):
            wanted = "' or '".join(concept.terms[tgt])
            found.append(
                f"the source has the glossary term '{term}'; its approved {tgt} translation "
                f"'{wanted}' is not in the translation ({glossary.shown}:{concept.line})"
            )
    return found


def po_problems(
    po: polib.POFile, text: str, shown: str, glossary: Glossary, *, strict: bool = False
) -> list[Diagnostic]:
    """Translated entries of a catalogue (msgids in English) or of an article file (its
    source language in the header) that lack a glossary term's approved translation:
    warnings at the ``msgstr``'s line (errors with ``strict``)."""
    tgt = po.metadata.get("Language", "")
    src = po.metadata.get(ARTICLE_SOURCE) or "en"
    lines = keyword_lines(text, po, "msgstr")
    severity = Severity.ERROR if strict else Severity.WARNING
    problems: list[Diagnostic] = []
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgstr:
            continue
        where = Location(shown, lines.get(entry.linenum or 0, entry.linenum))
        for message in missing(glossary, entry.msgid, src, entry.msgstr, tgt):
            problems.append(Diagnostic(severity, where, GLOSSARY_CODE, message))
    return problems


def catalogue_problems(root: Path, codes: tuple[str, ...], glossary: Glossary) -> list[Diagnostic]:
    """:func:`po_problems` for every catalogue of the site (one that cannot be read is
    left to the catalogue checks, which report it)."""
    problems: list[Diagnostic] = []
    for lang in codes:
        found = catalogue_text(root, lang)
        if found is not None:
            problems += catalogue_text_problems(*found, glossary)
    return problems


def catalogue_text(root: Path, lang: str) -> tuple[str, str] | None:
    """The catalogue of ``lang`` as its path (relative to the project) and text; None when
    there is none or it cannot be read."""
    path = layout.catalogue(root, lang)
    if not path.is_file() or path.is_symlink():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return path.relative_to(root).as_posix(), text


def catalogue_text_problems(shown: str, text: str, glossary: Glossary) -> list[Diagnostic]:
    """:func:`po_problems` of one catalogue's text (none when it is no catalogue)."""
    po, _ = parse_po(text)
    return [] if po is None else po_problems(po, text, shown, glossary)


def version_problems(site: Site, glossary: Glossary) -> list[Diagnostic]:
    """Current translated versions that lack a glossary term's approved translation of a
    term of their source: a warning at the line of the translation where the paragraph
    (or title, summary) stands, paragraph by paragraph when both have as many. A version
    the build remembered without its body is read again."""
    problems: list[Diagnostic] = []
    for source, target in translated_pairs(site):
        problems += pair_problems(site.config.root, glossary, source, target) or []
    return problems


def translated_pairs(site: Site) -> Iterator[tuple[Version, Version]]:
    """(source, translation) of every current translation that is not a draft: the pairs
    the glossary check compares."""
    for article in site.articles:
        for version in article.versions:
            made_from = version.translated_from
            if made_from is None or version.draft:
                continue
            source = article.version(made_from.lang)
            if source is not None and source.digest == made_from.digest:
                yield source, version


def pair_problems(
    root: Path, glossary: Glossary, source: Version, target: Version
) -> list[Diagnostic] | None:
    """:func:`version_problems` of one pair; None when a body the build remembered without
    it could not be read back as it was."""
    whole_source, whole_target = _whole(source, root), _whole(target, root)
    if whole_source is None or whole_target is None:
        return None
    problems: list[Diagnostic] = []
    for line, source_text, target_text in _aligned_parts(whole_source, whole_target):
        where = Location(target.location.path, line)
        for message in missing(glossary, source_text, source.lang, target_text, target.lang):
            problems.append(warning(where, GLOSSARY_CODE, message))
    return problems


def _whole(version: Version, root: Path) -> Version | None:
    """``version`` with its body: a version the build remembered without it (its file
    unchanged since) gets it back from the file, if the file still holds that very body."""
    if not version.body_elided:
        return version
    body = read_body(root / version.location.path, version.body_hash)
    if body is None:
        return None
    return dataclasses.replace(version, body=body, body_elided=False)


def _aligned_parts(source: Version, target: Version) -> list[tuple[int, str, str]]:
    """(line in the target's file, source text, target text): the title, the summary and
    each paragraph when the bodies have as many, else the whole body."""
    parts = [(2, source.title, target.title), (2, source.summary, target.summary)]
    theirs, mine = _paragraphs(source.body), _paragraphs(target.body)
    if len(theirs) == len(mine):
        for (_, a), (line, b) in zip(theirs, mine, strict=True):
            parts.append((target.body_line + line, a, b))
    else:
        parts.append((target.body_line, source.body, target.body))
    return parts


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """Blocks separated by blank lines, with the line (from 0) where each starts."""
    found: list[tuple[int, str]] = []
    start, block = 0, list[str]()
    for number, line in enumerate([*body.split("\n"), ""]):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            found.append((start, "\n".join(block)))
            block = []
    return found
