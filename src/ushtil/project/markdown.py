"""The Markdown dialect of article bodies: CommonMark with tables (markdown-it-py).

One definition for every reader of a body: the renderer, the translation segments that
must find the same blocks the pages show, and the rule (used by the catalogue rules for
article files too) that a translated segment keeps its source's inline markup.
"""

from __future__ import annotations

import re
from collections import Counter

from markdown_it import MarkdownIt

REF = re.compile(r"\]\[(\d+)\]")  # a link reference [text][n] in a translation segment


def markdown_renderer(raw_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable("table")
    return md


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
