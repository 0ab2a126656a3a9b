"""Property-based tests (Hypothesis): arbitrary text, with Kazakh and Russian letters and
control characters, never crashes the readers with anything but a diagnostic, and nothing
the renderer or the path checks produce escapes the page or the output folder."""

from __future__ import annotations

import os
import posixpath
from html.parser import HTMLParser
from pathlib import Path

from conftest import make_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ushtil.project.articles import ARTICLE_ID, load_articles, parse_version
from ushtil.project.config import read_config
from ushtil.project.markdown import BodyRenderer
from ushtil.project.pictures import safe_relative
from ushtil.project.problems import printable
from ushtil.project.text import decode
from ushtil.site.graph import Urls
from ushtil.site.markdown import SAFE_TAGS, body_html

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=150, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=150)
settings.load_profile("ci" if os.environ.get("USHTIL_REQUIRE_ALL") == "1" else "dev")

LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІабвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕЁЖЙЯabcxyzXYZ"
SYNTAX = " \n\r\t\"'=+-[]{}#<>&/\\.:;,*_`!()|~%"
CONTROL = "".join(map(chr, range(0, 32))) + "\x7f\u0301\u0306\u200b\u202e\ufeff"
text = st.text(alphabet=st.sampled_from(LETTERS + SYNTAX + CONTROL), max_size=400)
markdownish = st.lists(
    st.one_of(
        text,
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "[x](javascript:alert(1))",
                "[x]( JAVASCRIPT:alert(1))",
                "<a href='jav&#x09;ascript:alert(1)'>x</a>",
                "</div></main></body>",
                "<!--",
                "-->",
                "<![CDATA[",
                "```",
                "    code",
                "> quote",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "<svg onload=alert(1)>",
                "<style>*{}</style>",
                "<iframe src=//evil>",
                "&lt;",
                "<b",
                '"><x y="',
                "![i](data:text/html,<script>)",
                '<a href="vbscript:x">v</a>',
                "<details open ontoggle=alert(1)>",
            ]
        ),
    ),
    max_size=12,
).map("\n".join)

CODES = ("kk", "ru", "en")
SHOWN = "articles/x/kk.md"
COMMONMARK_TAGS = {
    "p",
    "em",
    "strong",
    "a",
    "img",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
VOID = {"img", "br", "hr", "col", "source", "track", "wbr", "input"}


class Structure(HTMLParser):
    """Every tag and attribute of a fragment, and whether it closes anything it did not open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.escapes = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [(name, value or "") for name, value in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.escapes = True
        else:
            self.stack.pop()


def structure(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    parser.close()
    return parser


def dangerous_url(value: str) -> bool:
    squeezed = "".join(ch for ch in value if ch > " " and ch != "\x7f").lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text"))


def check_safe(html: str, allowed: set[str]) -> None:
    found = structure(html)
    assert found.tags <= allowed, found.tags - allowed
    assert not found.escapes, html
    for name, value in found.attrs:
        assert not name.startswith("on"), (name, html)
        if name in ("href", "src", "srcset", "poster", "cite"):
            assert not dangerous_url(value), (name, value)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300) | text.map(lambda t: t.encode("utf-8")))
def test_decoding_never_crashes(raw: bytes) -> None:
    decoded, diagnostics = decode(raw, SHOWN)
    assert (decoded is None) == any(d.is_error for d in diagnostics)
    assert all(str(d).startswith(SHOWN) for d in diagnostics)


@given(body=text, front=text)
def test_front_matter_reader_never_crashes(body: str, front: str) -> None:
    for candidate in (front, f"+++\n{front}\n+++\n{body}", f'+++\ntitle = "{front}"\n+++\n{body}'):
        version, diagnostics = parse_version(candidate, SHOWN, "x", "kk", CODES)
        assert all(str(d).startswith(SHOWN) for d in diagnostics)
        if version is None:
            assert any(d.is_error for d in diagnostics), candidate
        else:
            assert version.title.strip() and len(version.digest) == 16


@given(
    name=st.text(
        alphabet=st.sampled_from(LETTERS + SYNTAX + CONTROL + "0123456789"), min_size=1, max_size=40
    )
)
@example(name=".")
def test_ids_and_relative_paths_stay_inside(name: str) -> None:
    urls = Urls(make_config())
    if ARTICLE_ID.match(name):
        target = urls.file_for(urls.article("kk", name))
        assert (
            posixpath.normpath(target) == target
            and target.startswith("kk/news/")
            and "/" not in name
        )
    if safe_relative(name):
        joined = posixpath.normpath(posixpath.join("articles/x", name))
        assert joined.startswith("articles/x/"), name


def make_config():  # type: ignore[no-untyped-def]
    from ushtil.project.config import parse_config

    config, _ = parse_config(
        'base_url = "https://astana.example.kz"\nlanguages = ["kk", "ru", "en"]\n', Path("/site")
    )
    return config


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=25,
)
@given(
    name=st.text(
        alphabet=st.sampled_from(
            LETTERS + SYNTAX.replace("/", "").replace("\n", "") + "0123456789"
        ),
        min_size=1,
        max_size=30,
    )
)
def test_any_folder_name_is_an_id_or_a_clear_error(tmp_path_factory, name: str) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path_factory.mktemp("fuzz"), "basic")
    if name in (".", "..") or name.startswith("."):
        return  # not an article folder: hidden names are skipped by design
    folder = project / "articles" / name
    if folder.exists():
        return
    (project / "articles/a-full").rename(folder)
    articles, diagnostics = load_articles(read_config(project)[0])
    if ARTICLE_ID.match(name):
        assert name in {a.id for a in articles}
    else:
        assert name not in {a.id for a in articles}
        shown = printable(f"articles/{name}: article ID")
        assert any(str(d).startswith(shown) for d in diagnostics), diagnostics


@given(source=markdownish)
def test_markdown_output_stays_in_the_page(source: str) -> None:
    check_safe(body_html(BodyRenderer(raw_html=False), source), COMMONMARK_TAGS)


@given(source=markdownish)
def test_trusted_raw_html_is_sanitised(source: str) -> None:
    check_safe(body_html(BodyRenderer(raw_html=True), source), SAFE_TAGS)
