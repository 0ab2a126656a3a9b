"""The native body renderer gives markdown-it-py's HTML, byte for byte.

Bodies are rendered by markdown-it-pyrs where it agrees with markdown-it-py (the dialect's
definition) and by markdown-it-py elsewhere; translation segments are still found by
markdown-it-py. These tests hold the page HTML to markdown-it-py's on the CommonMark spec's
examples, markdown-it's table fixtures, seeded random Markdown and the benchmark corpus,
check that the native path is the one taken for ordinary bodies, and that every segment a
translator sees is a block of the page.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ushtil.project.markdown import BodyRenderer, markdown_renderer
from ushtil.site.markdown import sanitise

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = [e["markdown"] for e in json.loads((HERE / "markdown" / "commonmark.json").read_text())]
TABLES = re.findall(
    r"\n\.\n(.*?)\n\.\n.*?\n\.\n",
    "\n" + (HERE / "markdown" / "tables.md").read_text(encoding="utf-8"),
    re.S,
)
SHARED = ROOT.parent / "shared" / "bench"


def reference(md: MarkdownIt, text: str, raw_html: bool) -> str:
    html = md.render(text)
    return sanitise(html) if raw_html else str(html)


def rendered(body: BodyRenderer, text: str) -> str:
    html = body.render(text)
    return sanitise(html) if body.raw_html else html


def differences(texts: list[str], raw_html: bool) -> list[tuple[str, str, str]]:
    body, md = BodyRenderer(raw_html), markdown_renderer(raw_html)
    found = []
    for text in texts:
        want, have = reference(md, text, raw_html), rendered(body, text)
        if want != have:
            found.append((text, want, have))
    return found


def native_share(texts: list[str], raw_html: bool) -> float:
    body = BodyRenderer(raw_html)
    return sum(body.natively(t) is not None for t in texts) / len(texts)


@pytest.mark.parametrize("raw_html", [False, True])
def test_spec_examples_render_as_markdown_it_py_does(raw_html: bool) -> None:
    assert len(SPEC) == 652
    assert differences(SPEC, raw_html) == []


@pytest.mark.parametrize("raw_html", [False, True])
def test_most_spec_examples_take_the_native_path(raw_html: bool) -> None:
    # the equality above is not bought by sending everything to markdown-it-py
    assert native_share(SPEC, raw_html) > 0.6


def test_native_parser_alone_differs_on_known_examples() -> None:
    """The fallbacks are needed: without them these spec examples would differ."""
    native = BodyRenderer(False).native
    md = markdown_renderer(False)
    for text in ("> [foo]: /url\n", "*£*bravo.\n", "a\n\xa0\n"):
        assert native.render(text) != md.render(text)
        assert BodyRenderer(False).render(text) == md.render(text)


@pytest.mark.parametrize("raw_html", [False, True])
def test_table_fixtures_render_as_markdown_it_py_does(raw_html: bool) -> None:
    texts = [t + "\n" for t in TABLES]
    assert len(texts) > 30
    assert differences(texts, raw_html) == []


def test_a_native_panic_falls_back() -> None:
    """markdown-it-pyrs 0.4 panics on an unclosed code span in a bracket."""
    for text in ("a [` b\n", "[`\n", "x [ `y\n"):
        assert BodyRenderer(False).render(text) == markdown_renderer(False).render(text)
        assert BodyRenderer(True).render(text) == markdown_renderer(True).render(text)


ALPHABET = [*"*_`[]()<>!#-+=|:\\&;\n  .1aбқ€«»—\"'/h~\xa0\t№"] + [
    "<!--",
    "-->",
    "<div>",
    "</b>",
    "&amp;",
    "&#1;",
    "&nbsp;",
    "    ",
    "> ",
    "- ",
    "1. ",
    "|-|",
    "[a]: /u\n",
    "```",
    "~~~",
    "**",
    "http://x.kz",
    "![i](s.png)",
    "[l](http://x.kz)",
]


@pytest.mark.parametrize("raw_html", [False, True])
def test_generated_markdown_renders_as_markdown_it_py_does(raw_html: bool) -> None:
    rng = random.Random(f"ushtil-{raw_html}")
    texts = [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))) + "\n" for _ in range(2500)
    ]
    assert differences(texts, raw_html) == []


def corpus_bodies(tmp_path: Path, n: int) -> list[str]:
    if not (SHARED / "gen_corpus.py").is_file():
        pytest.skip(f"no corpus generator at {SHARED}")
    sys.path.insert(0, str(SHARED))
    try:
        import gen_corpus  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SHARED))
    gen_corpus.generate(n, str(tmp_path / "neutral"), drop={"en": 0.1, "kk": 0.03})
    return [body for _, _, _, body in gen_corpus.iter_corpus(str(tmp_path / "neutral"))]


@pytest.mark.parametrize("raw_html", [False, True])
def test_benchmark_corpus_renders_natively_and_identically(tmp_path: Path, raw_html: bool) -> None:
    bodies = corpus_bodies(tmp_path, 150)
    assert len(bodies) > 300
    assert differences(bodies, raw_html) == []
    assert native_share(bodies, raw_html) == 1.0


def inline_blocks(md: MarkdownIt, text: str) -> list[str]:
    """The HTML of each inline run markdown-it-py finds: one translation segment each."""
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    return [
        md.renderer.renderInline(t.children or [], md.options, env)
        for t in tokens
        if t.type == "inline"
    ]


def test_segments_are_the_blocks_of_the_page(tmp_path: Path) -> None:
    """Every segment (each inline token of markdown-it-py's parse, as
    translation/segments.py splits a body) is rendered on the page, in order."""
    texts = corpus_bodies(tmp_path, 40) + [t for t in SPEC if "<" not in t]
    body, md = BodyRenderer(True), markdown_renderer(True)
    checked = 0
    for text in texts:
        page = body.render(text)
        at = 0
        for html in inline_blocks(md, text):
            found = page.find(html, at)
            assert found >= 0, (text, html, page)
            at = found + len(html)
            checked += 1
    assert checked > 1000
