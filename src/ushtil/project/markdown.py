"""The Markdown dialect of article bodies: CommonMark with tables (markdown-it-py).

One definition for every reader of a body: the renderer, the translation segments that
must find the same blocks the pages show, and the rule (used by the catalogue rules for
article files too) that a translated segment keeps its source's inline markup.

The dialect is markdown-it-py's. Pages are rendered by :class:`BodyRenderer`, which gives
markdown-it-py's HTML through markdown-it-pyrs (the same parser in Rust, about ten times
faster). A body holding a construct where the two are known to differ (no final line
break, a table, a tab, an empty block quote, a list marker alone on a line, a link
reference definition, a code span of spaces, a code span and a bracket (on which
markdown-it-pyrs 0.4 panics), white space other than Markdown's at the edge of a line,
an emphasis mark beside a non-ASCII symbol, an HTML comment or declaration when raw HTML
is allowed) goes to markdown-it-py itself, as does any body the native parser panics on.
``tests/test_markdown_native.py`` holds the two to the same HTML on the CommonMark spec's
examples, markdown-it's table fixtures, generated Markdown and a generated corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import markdown_it_pyrs
from markdown_it import MarkdownIt

REF = re.compile(r"\]\[(\d+)\]")  # a link reference [text][n] in a translation segment


def markdown_renderer(raw_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable("table")
    return md


# markdown-it-pyrs's rules that make up markdown-it-py's "commonmark" preset with tables
# (its own "commonmark" preset always passes raw HTML through)
NATIVE_RULES = [
    "blockquote",
    "code",
    "fence",
    "heading",
    "hr",
    "lheading",
    "list",
    "paragraph",
    "reference",
    "autolink",
    "backticks",
    "emphasis",
    "entity",
    "escape",
    "image",
    "link",
    "newline",
    "table",
]
RAW_HTML_RULES = ["html_block", "html_inline"]

EMPTY_QUOTE = "<blockquote>\n</blockquote>"  # markdown-it-py: <blockquote></blockquote>
# Each check starts with a literal or a character set, so that the regular expression
# engine skips ahead to it: these run over every body.
# a line that is a list marker alone, a link reference definition
_STRAY_LINES = re.compile(r"\n[ >]*(?:[-*+]|\d{1,9}[.)]) *\n|\n {0,3}\[[^\n]*\]:")
_SPACE_CODE = re.compile(r"` +`")  # a code span of spaces alone
# Unicode white space that is not Markdown's: markdown-it-py strips it from the ends of
# a paragraph or heading, markdown-it-pyrs keeps it
_OTHER_SPACE = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_OTHER_SPACES = "\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_SPACE_AT_EDGE = re.compile(rf"\n[ \t>#*+\-.)0-9]*[{_OTHER_SPACE}]|[{_OTHER_SPACE}][ \t#]*\n")


def _space_at_edge(text: str) -> bool:
    """Whether a line starts or ends with white space that is not Markdown's
    (``str.__contains__`` first: a regular expression is slow over Cyrillic text)."""
    return any(c in text for c in _OTHER_SPACES) and bool(_SPACE_AT_EDGE.search("\n" + text))


def _symbol_beside_mark(text: str) -> bool:
    """Whether an emphasis mark stands beside a non-ASCII symbol (``*£*``): CommonMark
    0.31 counts symbols as punctuation there, markdown-it-pyrs does not."""
    end = len(text)
    for mark in "*_":
        at = text.find(mark)
        while at != -1:
            for near in (at - 1, at + 1):
                if 0 <= near < end and text[near] > "\x7f":
                    if unicodedata.category(text[near]).startswith("S"):
                        return True
            at = text.find(mark, at + 1)
    return False


class BodyRenderer:
    """A body's HTML exactly as :func:`markdown_renderer` makes it, made natively where
    the two parsers agree (see the module's docstring)."""

    def __init__(self, raw_html: bool = False) -> None:
        self.raw_html = raw_html
        rules = NATIVE_RULES + (RAW_HTML_RULES if raw_html else [])
        self.native = markdown_it_pyrs.MarkdownIt("zero")
        # the stub names the rules as a private Literal type; these are among them
        self.native.enable_many(rules)  # type: ignore[arg-type]
        self._reference: MarkdownIt | None = None

    def render(self, text: str) -> str:
        native = self.natively(text)
        return native if native is not None else str(self.reference.render(text))

    def natively(self, text: str) -> str | None:
        """The native parser's HTML, or None where it may differ from markdown-it-py's."""
        if self._differs(text):
            return None
        try:
            html = self.native.render(text)
        except BaseException as exc:  # noqa: BLE001  (a Rust panic: pyo3's PanicException)
            if type(exc).__name__ != "PanicException":
                raise
            return None
        return html if EMPTY_QUOTE not in html and "<table" not in html else None

    @property
    def reference(self) -> MarkdownIt:
        if self._reference is None:
            self._reference = markdown_renderer(self.raw_html)
        return self._reference

    def _differs(self, text: str) -> bool:
        """Whether ``text`` holds a construct the native parser renders differently."""
        return (
            not text.endswith("\n")  # a fence or a lazy line at the very end
            or "|" in text  # a table (where a table starts differs)
            or "\t" in text  # tabs inside block quotes and list items
            or ("`" in text and "[" in text)  # markdown-it-pyrs 0.4 panics on "[`"
            or (self.raw_html and "<!" in text)  # CommonMark 0.31's comments, declarations
            or _STRAY_LINES.search("\n" + text) is not None
            or ("`" in text and _SPACE_CODE.search(text) is not None)
            or _symbol_beside_mark(text)
            or _space_at_edge(text)
        )


def _signature(text: str) -> Counter[str]:
    """What in an inline segment must survive translation: link references, images,
    code spans, autolinks, raw HTML and emphasis (as counts of each)."""
    found: Counter[str] = Counter()
    for ref in REF.findall(text):
        found[f"link [{ref}]"] += 1
    for token in (
        markdown_renderer(raw_html=True).parseInline(REF.sub("](#)", text))[0].children or []
    ):
        if token.type == "code_inline":
            found[f"code `{token.content}`"] += 1
        elif token.type == "html_inline":
            found[f"HTML {token.content}"] += 1
        elif token.type == "link_open" and token.markup == "autolink":
            found[f"link <{token.attrs.get('href')}>"] += 1
        elif token.type in ("em_open", "strong_open", "s_open"):
            found[token.type.replace("_open", "")] += 1
        elif token.type == "image":
            found["image"] += 1
    return found


def inline_problems(source: str, translation: str) -> list[str]:
    """Why ``translation`` cannot stand for ``source`` (empty if it can)."""
    want, have = _signature(source), _signature(translation)
    problems = []
    for item in sorted(want - have):
        problems.append(f"{item} is missing")
    for item in sorted(have - want):
        problems.append(f"{item} is not in the source")
    return problems
