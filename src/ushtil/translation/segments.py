"""Article versions as translation segments, and back.

A version splits into its title, its summary and one segment per run of inline text in
the body: each paragraph, heading, list item paragraph, quoted paragraph and table cell.
Code, raw HTML blocks and rules are not text to translate and are kept as they are.

Inline Markdown stays in a segment as the translator sees it in any Markdown-aware
tool (``**bold**``, ``*emphasis*``, `` `code` ``), except that the URL of a link or
image is not translatable text: ``[the text](https://…)`` becomes ``[the text][1]`` and
the number maps back to the source's URL on import. :func:`inline_problems` checks that
a translation keeps exactly the source's links, images, code and emphasis.

:func:`rebuild` writes a body with the source's block structure and the translated text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ushtil.project.markdown import REF, markdown_renderer
from ushtil.project.model import Version

BLOCK_NAMES = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "th_open": "table header cell",
    "td_open": "table cell",
}


@dataclass(frozen=True)
class Segment:
    key: str  # stable within the article: "title", "summary", "1", "2", …
    text: str  # inline Markdown with [text][n] link references
    kind: str  # "title", "summary", "paragraph", "heading", "list item", "quote", "table cell", …
    links: tuple[tuple[str, str], ...] = ()  # n-1 → (href, title)


@dataclass
class _Inline:
    text: str
    links: list[tuple[str, str]] = field(default_factory=list)


def _parser() -> MarkdownIt:
    return markdown_renderer(raw_html=True)


_ESCAPE_INLINE = re.compile(r"([\\`*_\[\]<])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=|]|\d{1,9}[.)])(?=\s|$)")


def _escape_text(text: str) -> str:
    escaped = _ESCAPE_INLINE.sub(r"\\\1", text)
    escaped = re.sub(r"&(?=#?\w+;)", r"\\&", escaped)
    return escaped


def _escape_line_starts(text: str) -> str:
    """Keep a line that begins like a block marker (``- ``, ``1. ``, ``# ``) a paragraph line."""
    lines = []
    for line in text.split("\n"):
        match = _LINE_START.match(line)
        if match:
            marker = match.group(2)
            escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
            line = match.group(1) + escaped + line[match.end() :]
        lines.append(line)
    return "\n".join(lines)


def inline_markdown(children: Sequence[Token], out: _Inline | None = None) -> _Inline:
    """Inline tokens back to Markdown, links and images as numbered references."""
    out = out if out is not None else _Inline("")
    parts: list[str] = []
    for index, token in enumerate(children):
        kind = token.type
        if kind == "text":
            text = _escape_text(token.content)
            following = children[index + 1] if index + 1 < len(children) else None
            if text.endswith("!") and following is not None and following.type == "link_open":
                text = text[:-1] + "\\!"
            parts.append(text)
        elif kind == "text_special":
            parts.append(token.markup or token.content)
        elif kind == "softbreak":
            parts.append("\n")
        elif kind == "hardbreak":
            parts.append("\\\n")
        elif kind == "code_inline":
            fence = token.markup or "`"
            pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
            parts.append(f"{fence}{pad}{token.content}{pad}{fence}")
        elif kind in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
            parts.append(token.markup)
        elif kind == "link_open":
            if token.markup == "autolink":
                parts.append("<")
            else:
                parts.append("[")
                href, title = token.attrs.get("href", ""), token.attrs.get("title", "")
                out.links.append((str(href), str(title or "")))
                token.meta["ref"] = len(out.links)
        elif kind == "link_close":
            opener = next(
                t
                for t in reversed(children[:index])
                if t.type == "link_open" and t.level == token.level
            )
            parts.append(">" if opener.markup == "autolink" else f"][{opener.meta['ref']}]")
        elif kind == "image":
            src, title = token.attrs.get("src", ""), token.attrs.get("title", "")
            out.links.append((str(src), str(title or "")))
            number = len(out.links)
            alt = inline_markdown(token.children or [], _Inline("", out.links)).text
            parts.append(f"![{alt}][{number}]")
        elif kind == "html_inline":
            parts.append(token.content)
        else:
            parts.append(token.content)
    out.text = "".join(parts)
    return out


def _kind(tokens: list[Token], index: int) -> str:
    """What the inline token at ``index`` is part of, for translators' comments."""
    opener = tokens[index - 1]
    name = BLOCK_NAMES.get(opener.type, "text")
    if opener.type == "heading_open":
        name = f"heading {opener.tag[1:]}"
    depth: list[str] = []
    for t in tokens[:index]:
        if t.type in ("list_item_open", "blockquote_open"):
            depth.append(t.type)
        elif t.type in ("list_item_close", "blockquote_close"):
            depth.pop()
    if "list_item_open" in depth and name == "paragraph":
        name = "list item"
    if "blockquote_open" in depth:
        name = f"quoted {name}"
    return name


def split(version: Version) -> list[Segment]:
    """The version's segments in reading order."""
    result = [Segment("title", _escape_text(version.title), "title")]
    if version.summary:
        result.append(Segment("summary", _escape_text(version.summary), "summary"))
    tokens = _parser().parse(version.body)
    number = 0
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        number += 1
        inline = inline_markdown(token.children or [])
        text = _escape_line_starts(inline.text)
        result.append(Segment(str(number), text, _kind(tokens, index), tuple(inline.links)))
    return result


def unescape_plain(text: str) -> str:
    """A title or summary segment back to plain text."""
    return re.sub(r"\\([\\`*_\[\]<&])", r"\1", text)


def resolve_links(text: str, links: Sequence[tuple[str, str]]) -> str:
    """``[text][n]`` → ``[text](url "title")`` with the source's URLs."""

    def replace(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(links):
            return match.group(0)
        href, title = links[n - 1]
        destination = f"<{href}>" if (" " in href or not href) else href
        quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
        return f"]({destination}{quoted})"

    return REF.sub(replace, text)


def rebuild(source: Version, translations: dict[str, str]) -> str:
    """The source body's blocks with each inline segment replaced by its translation."""
    md = _parser()
    tokens = md.parse(source.body)
    number = 0
    texts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            number += 1
            seg_links = inline_markdown(token.children or []).links
            texts.append(resolve_links(translations[str(number)], seg_links))
    return Writer(tokens, texts).markdown()


class Writer:
    """Block tokens → Markdown, with the given text for each inline token in order."""

    def __init__(self, tokens: list[Token], texts: Sequence[str]) -> None:
        self.tokens = tokens
        self.texts = iter(texts)

    def markdown(self) -> str:
        blocks = self._blocks(0, len(self.tokens))
        return "\n\n".join("\n".join(b) for b in blocks).rstrip("\n") + "\n"

    def _close(self, start: int) -> int:
        """Index of the token that closes the one opened at ``start``."""
        depth = 0
        for i in range(start, len(self.tokens)):
            depth += self.tokens[i].nesting
            if depth == 0:
                return i
        raise ValueError("unbalanced tokens")

    def _blocks(self, start: int, end: int, tight: bool = False) -> list[list[str]]:
        blocks: list[list[str]] = []
        i = start
        while i < end:
            token = self.tokens[i]
            close = self._close(i) if token.nesting == 1 else i
            blocks.append(self._block(i, close))
            i = close + 1
        if tight:  # a tight list item: its blocks are not separated by blank lines
            return [[line for b in blocks for line in b]] if blocks else []
        return blocks

    def _inline(self) -> list[str]:
        return next(self.texts).split("\n")

    def _block(self, i: int, close: int) -> list[str]:
        token = self.tokens[i]
        kind = token.type
        if kind == "paragraph_open":
            return self._inline()
        if kind == "heading_open":
            lines = self._inline()
            return ["#" * int(token.tag[1:]) + " " + " ".join(lines)]
        if kind == "blockquote_open":
            inner = self._blocks(i + 1, close)
            lines = "\n\n".join("\n".join(b) for b in inner).split("\n")
            return [("> " + line) if line else ">" for line in lines]
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(i, close)
        if kind == "table_open":
            return self._table(i, close)
        if kind == "fence":
            info = token.info
            if not token.content:
                return [token.markup + info, token.markup]
            return [token.markup + info, *token.content.rstrip("\n").split("\n"), token.markup]
        if kind == "code_block":
            lines = token.content.rstrip("\n").split("\n")
            return ["    " + line if line else "" for line in lines]
        if kind == "html_block":
            return token.content.rstrip("\n").split("\n")
        if kind == "hr":
            if token.markup.startswith("*"):
                return ["* * *"]
            return ["___" if token.markup.startswith("_") else "---"]
        return []

    def _list(self, i: int, close: int) -> list[str]:
        token = self.tokens[i]
        ordered = token.type == "ordered_list_open"
        number = int(token.attrs.get("start", 1) or 1) if ordered else 0
        items: list[list[str]] = []
        tight = False
        j = i + 1
        while j < close:
            item_close = self._close(j)
            paragraphs = [t for t in self.tokens[j + 1 : item_close] if t.type == "paragraph_open"]
            tight = bool(paragraphs) and all(t.hidden for t in paragraphs)
            marker = f"{number}{self.tokens[j].markup}" if ordered else self.tokens[j].markup
            body = self._blocks(j + 1, item_close, tight=tight)
            lines = "\n\n".join("\n".join(b) for b in body).split("\n") if body else [""]
            pad = " " * (len(marker) + 1)
            item = [(marker + " " + lines[0]).rstrip()]
            item += [pad + line if line else "" for line in lines[1:]]
            items.append(item)
            number += 1
            j = item_close + 1
        return [
            line
            for k, item in enumerate(items)
            for line in ([] if tight or k == 0 else [""]) + item
        ]

    def _table(self, i: int, close: int) -> list[str]:
        rows: list[list[str]] = []
        aligns: list[str] = []
        j = i + 1
        row: list[str] = []
        while j < close:
            token = self.tokens[j]
            if token.type == "tr_open":
                row = []
            elif token.type in ("th_open", "td_open"):
                if token.type == "th_open":
                    style = str(token.attrs.get("style", "") or "")
                    aligns.append(style.replace("text-align:", ""))
                row.append(" ".join(self._inline()).replace("|", "\\|"))
                j += 2  # the inline and the cell's close
            elif token.type == "tr_close":
                rows.append(row)
            j += 1
        marks = {"left": ":---", "right": "---:", "center": ":---:"}
        separator = [marks.get(a, "---") for a in aligns]
        lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(separator) + " |"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return lines


def structure(body: str) -> list[str]:
    """The block structure of a body (token types and tags), to compare two versions."""
    tokens = _parser().parse(body)
    return [f"{t.type}:{t.tag}" for t in tokens if t.type != "inline" and t.type != "text"]
