"""The Markdown dialect of article bodies: CommonMark with tables (markdown-it-py).

One definition for every reader of a body: the renderer, and the translation segments
that must find the same blocks the pages show.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def markdown_renderer(raw_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable("table")
    return md
