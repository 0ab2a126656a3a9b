"""The markup of interface strings: a strict reading of an HTML fragment, and a translation
rebuilt so that its markup is exactly its source's.

A msgid written in a template is HTML. Its translation may contain exactly the msgid's
elements (the same tag names, attribute names and values, any number of each as in the
msgid; their order and nesting may differ), its comments, CDATA sections and processing
instructions, and nothing else. The rule list (:mod:`ushtil.interface.rules`) checks that
with :func:`markup_of`, and :func:`rebuild` returns the translation rebuilt from pieces the
translator cannot shape: every tag is the msgid's own text, every run of text is decoded
once and escaped again. So the HTML a translation puts on a page has the markup of the
template, whatever the translator typed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from markupsafe import escape

# The characters HTML counts as white space between attributes (not Python's \s).
_WS = "[\t\n\f\r ]"
_NAME = r"[A-Za-z][A-Za-z0-9._:-]*"
_ATTR_NAME = r"[^\t\n\f\r \"'<>/=`\x00-\x1f\x7f]+"
_VALUE = r"\"[^\"]*\"|'[^']*'|[^\t\n\f\r \"'=<>`]+"
START = re.compile(rf"<({_NAME})((?:{_WS}+{_ATTR_NAME}(?:{_WS}*={_WS}*(?:{_VALUE}))?)*){_WS}*(/?)>")
ATTRIBUTE = re.compile(rf"{_WS}+({_ATTR_NAME})(?:{_WS}*={_WS}*({_VALUE}))?")
END = re.compile(rf"</({_NAME}){_WS}*>")
# "<" followed by one of these begins a tag, an end tag, a comment or an instruction.
TAG_START = re.compile(r"<[A-Za-z/!?]")
REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")

VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# Elements whose content is not HTML text: what a translator wrote there could not be escaped.
RAW_TEXT = frozenset(
    {
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
    }
)


class MarkupError(ValueError):
    """A fragment that is not well-formed HTML; ``offset`` is where (0-based)."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} at character {self.offset + 1}"


@dataclass(frozen=True)
class Piece:
    """One part of a fragment. ``key`` says what it is for comparison: text has none;
    a start tag is its name with its sorted attributes (values decoded); an end tag,
    a comment, a CDATA section or an instruction is its own text."""

    kind: str  # "text", "start", "end", "other"
    raw: str
    key: tuple[object, ...] = ()
    name: str = ""


def _attributes(raw: str, offset: int) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for match in ATTRIBUTE.finditer(raw):
        name = match.group(1).lower()
        if name in seen:
            raise MarkupError(offset, f"the attribute {name!r} is given twice")
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        seen[name] = html.unescape(value)
    return tuple(sorted(seen.items()))


def parse(text: str, *, lenient: bool = False) -> list[Piece]:
    """``text`` as a well-formed HTML fragment: tags balanced and nested, nothing
    unterminated, every ``<`` the start of something. With ``lenient`` (for msgids,
    written in templates) a ``<`` that HTML itself reads as text (``a < b``) is text.
    Raises :class:`MarkupError`."""
    pieces: list[Piece] = []
    open_: list[tuple[str, int]] = []
    position = 0
    text_start = 0

    def flush(end: int) -> None:
        if end > text_start:
            pieces.append(Piece("text", text[text_start:end]))

    while True:
        lt = text.find("<", position)
        if lt < 0:
            break
        if not TAG_START.match(text, lt):
            if lenient:
                position = lt + 1
                continue
            raise MarkupError(lt, "a '<' that begins no tag (write &lt; for the character)")
        flush(lt)
        rest = text[lt:]
        piece: Piece
        if rest.startswith("<!--"):
            end = text.find("-->", lt + 4)
            body = text[lt + 4 : end]
            if end < 0 or body.startswith((">", "->")) or "--!>" in body or "<!--" in body:
                raise MarkupError(lt, "an unterminated or malformed comment")
            piece = _other(text[lt : end + 3])
        elif rest.startswith("<![CDATA["):
            end = text.find("]]>", lt + 9)
            if end < 0:
                raise MarkupError(lt, "an unterminated CDATA section")
            piece = _other(text[lt : end + 3])
        elif rest.startswith("<?"):
            end = text.find(">", lt + 2)
            if end < 0:
                raise MarkupError(lt, "an unterminated processing instruction")
            piece = _other(text[lt : end + 1])
        elif rest.startswith("<!"):
            raise MarkupError(lt, "a declaration ('<!') that is no comment")
        elif rest.startswith("</"):
            match = END.match(text, lt)
            if match is None:
                raise MarkupError(lt, f"an unterminated or malformed end tag {_excerpt(text, lt)}")
            name = match.group(1).lower()
            if name in VOID:
                raise MarkupError(lt, f"</{name}>: <{name}> has no end tag")
            if not open_:
                raise MarkupError(lt, f"</{name}> closes nothing")
            if open_[-1][0] != name:
                raise MarkupError(lt, f"</{name}> closes <{open_[-1][0]}>")
            open_.pop()
            piece = Piece("end", match.group(0), ("end", name), name)
        else:
            match = START.match(text, lt)
            if match is None:
                raise MarkupError(lt, f"an unterminated or malformed tag {_excerpt(text, lt)}")
            name = match.group(1).lower()
            attributes = _attributes(match.group(2), lt)
            if name in VOID:
                pass
            elif match.group(3):
                raise MarkupError(
                    lt, f"<{name}/>: '/>' does not close an HTML element; write <{name}></{name}>"
                )
            else:
                open_.append((name, lt))
            piece = Piece("start", match.group(0), ("start", name, attributes), name)
        pieces.append(piece)
        position = text_start = lt + len(piece.raw)
    flush(len(text))
    if open_:
        name, at = open_[-1]
        raise MarkupError(at, f"<{name}> is not closed")
    return pieces


def _other(raw: str) -> Piece:
    return Piece("other", raw, ("other", raw))


def _excerpt(text: str, at: int) -> str:
    part = text[at : at + 24]
    return repr(part + "…" if len(text) > at + 24 else part)


def is_markup(text: str) -> bool:
    """Whether ``text`` means something else as HTML than as plain text: it has a tag,
    comment or instruction, or a character reference."""
    return TAG_START.search(text) is not None or html.unescape(text) != text


def references(text: str) -> list[tuple[int, str, str]]:
    """The character references in ``text``: (offset, as written, what they stand for)."""
    found = []
    for match in REFERENCE.finditer(text):
        decoded = html.unescape(match.group(0))
        if decoded != match.group(0):
            found.append((match.start(), match.group(0), decoded))
    return found


def show(piece: Piece) -> str:
    """A start tag as a reader of the message should see it: normalised, attributes sorted."""
    if piece.kind != "start":
        return piece.raw
    attributes = piece.key[2]
    assert isinstance(attributes, tuple)
    shown = "".join(f' {n}="{v}"' for n, v in attributes)
    return f"<{piece.name}{shown}>"


def markup_of(pieces: list[Piece] | tuple[Piece, ...]) -> Counter[tuple[object, ...]]:
    return Counter(p.key for p in pieces if p.kind != "text")


def source_problem(pieces: list[Piece]) -> str | None:
    """Why a msgid's markup cannot be translated safely, or None."""
    for piece in pieces:
        if piece.kind == "start" and piece.name in RAW_TEXT:
            return f"it has a <{piece.name}> element, whose text cannot be escaped"
    return None


def construct_at(text: str, at: int) -> str:
    """The tag (or the start of something tag-like) at ``at``, for a message."""
    for pattern in (START, END):
        match = pattern.match(text, at)
        if match:
            return match.group(0)
    if text.startswith("<!--", at):
        end = text.find("-->", at)
        if end >= 0:
            return text[at : end + 3]
    return _excerpt(text, at)


def rebuild(pieces: list[Piece], source: list[Piece]) -> str:
    """A translation's pieces as HTML, given the source's pieces with the same markup:
    each tag is the source's own text for it, each run of text is decoded once and
    escaped again (so a reference stays text, and a quote cannot end an attribute)."""
    tags: dict[tuple[object, ...], list[str]] = {}
    for piece in source:
        if piece.kind != "text":
            tags.setdefault(piece.key, []).append(piece.raw)
    out = []
    for piece in pieces:
        if piece.kind == "text":
            out.append(str(escape(html.unescape(piece.raw))))
        elif piece.kind == "end":
            out.append(f"</{piece.name}>")
        else:
            out.append(tags[piece.key].pop(0))  # the markup is the source's: never missing
    return "".join(out)
