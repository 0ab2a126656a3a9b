"""Every reader of untrusted input, fuzzed (Hypothesis): TOML front matter, `article.toml`,
stamp records, PO files (interface catalogues and imported article translations), TMX,
TBX, images, and the preview server's request line and headers. Each answers with
diagnostics (``path:line: message``) or an HTTP status, never with any exception but
ushtil's own: no internal error. The known deep-nesting cases are explicit examples."""

from __future__ import annotations

import io
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import make_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from ushtil.interface.glossary import Glossary, catalogue_problems, read_glossary
from ushtil.interface.report import check, stats
from ushtil.interface.translator import load_catalog
from ushtil.project import layout
from ushtil.project.articles import load_article, parse_version
from ushtil.project.config import read_config
from ushtil.project.problems import Diagnostic, Severity, UshtilError
from ushtil.site.images import ImageProblem, encode, probe, variants
from ushtil.site.serve import EVENTS, serve
from ushtil.translation.poexport import export_article
from ushtil.translation.poimport import import_files
from ushtil.translation.stamps import read_stamp
from ushtil.translation.tmx import read_tmx

CODES = ("kk", "ru", "en")
DEEP = 5000


def fuzz(examples: int = 120) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Bounded, so the whole file runs in about a minute; fixed examples in CI."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=os.environ.get("USHTIL_REQUIRE_ALL") == "1",
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


def located(diagnostics: list[Diagnostic], prefix: str) -> None:
    for d in diagnostics:
        assert str(d).startswith(prefix), (str(d), prefix)


LETTERS = "әғқңөұүһіабвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЯabcxyzXYZ0123456789"
CONTROL = "\x00\x01\x07\x0b\x0c\x1b\x7f\u0085\u200b\u202e\u2028\ufeff\ufffe\U0001f600"

# --- TOML: front matter, article.toml, stamp records ---------------------------------

TOML_SYNTAX = " \n\t\"'=[]{},.#+-:_\\"
toml_text = st.text(alphabet=st.sampled_from(LETTERS + TOML_SYNTAX + CONTROL), max_size=300)
toml_scalar = st.one_of(
    st.sampled_from(
        [
            '"x"',
            "'x'",
            '"""a\nb"""',
            "'''[{'''",
            "1",
            "-2.5",
            "true",
            "inf",
            "2024-01-10T09:00:00+05:00",
            "2024-01-10",
            "09:00:00",
            '"\\u0000"',
            '"\\"["',
            "1979-05-27T07:32:00Z",
            "9999-12-31T23:59:59+23:59",
            "0x_1",
        ]
    ),
    st.text(alphabet=LETTERS + "[]{} ", max_size=12).map(lambda t: f'"{t}"'),
)
toml_value = st.recursive(
    toml_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from("abkxy"), inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"
        ),
    ),
    max_leaves=12,
)
KEYS = [
    "title",
    "summary",
    "draft",
    "published",
    "category",
    "tags",
    "image",
    "gallery",
    "missing",
    "source",
    "digest",
    "x",
    "a.b",
    '"q"',
]
TABLES = ["[translated_from]", '[images."a.jpg"]', "[[segment]]", "[x]", "[[images]]"]
toml_line = st.one_of(
    st.tuples(st.sampled_from(KEYS), toml_value).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.sampled_from(TABLES),
    toml_text,
)
toml_document = st.lists(toml_line, max_size=10).map("\n".join)
DEEP_TOML = [
    "x = " + "[" * DEEP,
    "x = " + "{a=" * DEEP,
    "x = " + "[{a=" * DEEP,
    "x = " + "[" * 400 + "]" * 400,
    "[[segment]]\nkey = " + "[" * DEEP,
]


@fuzz(150)
@given(front=toml_document, body=toml_text)
@example(front=DEEP_TOML[0], body="")
@example(front=DEEP_TOML[1], body="")
@example(front=DEEP_TOML[2], body="")
@example(front='title = "t"\n' + DEEP_TOML[3], body="x")
def test_front_matter(front: str, body: str) -> None:
    shown = "articles/x/kk.md"
    for text in (f"+++\n{front}\n+++\n{body}", f'+++\ntitle = "T"\n{front}\n+++\n{body}'):
        version, diagnostics = parse_version(text, shown, "x", "kk", CODES)
        located(diagnostics, shown)
        assert version is not None or any(d.is_error for d in diagnostics)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz-readers"), "basic")


@fuzz(120)
@given(text=toml_document)
@example(text=DEEP_TOML[0])
@example(text=DEEP_TOML[1])
@example(text='published = 2024-01-10T09:00:00+05:00\ncategory = "news"\n' + DEEP_TOML[2])
def test_article_toml(project: Path, text: str) -> None:
    config, problems = read_config(project)
    assert config is not None, problems
    folder = project / "articles/a-full"
    (folder / "article.toml").write_text(text, encoding="utf-8")
    article, diagnostics = load_article(folder, config)
    located(diagnostics, "articles/a-full")
    assert article is not None or any(d.is_error for d in diagnostics)


@fuzz(120)
@given(text=toml_document | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
@example(text='source = "kk"\ndigest = "x"\n' + DEEP_TOML[0])
@example(text=DEEP_TOML[4])
@example(text='source = "kk"\ndigest = "x"\n[[segment]]\nkey = 1\n')
def test_stamp_record(project: Path, text: str) -> None:
    folder = project / layout.STAMPS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-full.en.toml").write_text(text, encoding="utf-8", errors="surrogateescape")
    stamp, diagnostics = read_stamp(project, "a-full", "en")
    located(diagnostics, "i18n/stamps/a-full.en.toml")
    assert all(d.severity is Severity.WARNING for d in diagnostics)
    assert stamp is None or not diagnostics


# --- PO: interface catalogues and imported article translations ------------------------


def po_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


po_text = st.one_of(
    st.text(
        alphabet=st.sampled_from(LETTERS + ' <>/="%{}()sdn&;_.!*#[]`\n\t\\' + CONTROL), max_size=40
    ),
    st.sampled_from(
        [
            "<b>x</b>",
            '<a href="javascript:x">y</a>',
            "%(name)s",
            "%*d",
            "%",
            "{name}",
            "<b>",
            "</i>",
            "&nbsp;",
            "<script>x</script>",
            "**x**",
            "[a](b)",
            "[1][2]",
            "x\n\ny",
            "<br/>",
            "%s %s %d",
        ]
    ),
)
PLURALS = st.one_of(
    st.sampled_from(
        [
            "nplurals=2; plural=(n != 1);",
            "nplurals=3; plural=(n%10==1 && n%100!=11"
            " ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
            "nplurals=1; plural=0;",
            "nplurals=0; plural=n;",
            "nplurals=2; plural=n/0;",
            "nplurals=99999999999; plural=n;",
            "plural=(n",
            "nplurals=2; plural=" + "(" * 500 + "n" + ")" * 500 + ";",
            "nplurals=2; plural=" + "!" * 3000 + "n;",
        ]
    ),
    st.text(alphabet=st.sampled_from("n0123456789 ?:%=!<>&|()+-*/;plurals"), max_size=40),
)


@st.composite
def po_entry(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        lines.append(
            draw(
                st.sampled_from(
                    [
                        "#, fuzzy",
                        "#, python-format",
                        "#. note",
                        "#: x:1",
                        '#| msgid "old"',
                        "#, fuzzy, no-wrap",
                    ]
                )
            )
        )
    obsolete = "#~ " if draw(st.integers(0, 9)) == 0 else ""
    if draw(st.booleans()):
        lines.append(f"{obsolete}msgctxt {po_quote(draw(po_text))}")
    lines.append(f"{obsolete}msgid {po_quote(draw(po_text))}")
    if draw(st.integers(0, 3)) == 0:
        lines.append(f"{obsolete}msgid_plural {po_quote(draw(po_text))}")
        for i in range(draw(st.integers(0, 4))):
            lines.append(f"{obsolete}msgstr[{i}] {po_quote(draw(po_text))}")
    else:
        lines.append(f"{obsolete}msgstr {po_quote(draw(po_text))}")
    return "\n".join(lines)


@st.composite
def po_document(draw: st.DrawFn) -> str:
    header = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"']
    if draw(st.booleans()):
        header.append(po_quote(f"Language: {draw(st.sampled_from(['kk', 'ru', 'en', '', 'x']))}\n"))
    if draw(st.booleans()):
        header.append(po_quote(f"Plural-Forms: {draw(PLURALS)}\n"))
    entries = draw(st.lists(po_entry(), max_size=6))
    lines = "\n".join(header) + "\n\n" + "\n\n".join(entries) + "\n"
    noise = draw(
        st.lists(
            st.sampled_from(
                [
                    '"unterminated',
                    "<<<<<<< HEAD",
                    "=======",
                    'msgstr[7] "x"',
                    "msgid",
                    '"\\q"',
                    "\x00",
                    '#~ msgid "x"',
                    "\ufeff",
                    'msgctxt ""',
                ]
            ),
            max_size=2,
        )
    )
    if noise:
        parts = lines.split("\n")
        at = draw(st.integers(0, len(parts)))
        parts[at:at] = noise
        lines = "\n".join(parts)
    return lines


@pytest.fixture(scope="module")
def translating(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of its own: the other readers' files do not change what is imported."""
    return make_project(tmp_path_factory.mktemp("fuzz-import"), "basic")


@pytest.fixture(scope="module")
def glossary(translating: Path) -> Glossary:
    found, problems = read_glossary(translating)
    assert found is not None, problems
    return found


# polib split a PO file's text at U+2028 and other line separators that gettext keeps
SEPARATED = 'msgid ""\nmsgstr ""\n\nmsgid "акимат"\nmsgstr "мэрия\u2028\x85\x0c\x1c"\n'


@fuzz(150)
@given(text=po_document() | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
@example(text=SEPARATED)
@example(text="#x\n" + SEPARATED)
def test_interface_catalogue(project: Path, glossary: Glossary, text: str) -> None:
    path = layout.catalogue(project, "ru")
    shown = path.relative_to(project).as_posix()
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    catalog, diagnostics = load_catalog(path, shown, "ru")
    located(diagnostics, shown)
    _, diagnostics = load_catalog(path, shown, "ru", strict=True)
    located(diagnostics, shown)
    located(check(path, shown, strict=True, fuzzy=True), shown)
    located(stats(path, shown)[1], shown)
    located(catalogue_problems(project, ("ru",), glossary), shown)  # the build's glossary check


@pytest.fixture(scope="module")
def export(translating: Path) -> str:
    """A real export of a-full into English, as translators receive it."""
    done, problems = export_article(translating, "a-full", "en")
    assert done is not None, problems
    return done.path.read_text(encoding="utf-8")


@fuzz(100)
@given(
    translations=st.lists(po_text, min_size=1, max_size=8),
    noise=st.lists(st.tuples(st.integers(0, 200), po_text), max_size=2),
    draft=st.booleans(),
)
@example(translations=["A park\u2028opened"], noise=[], draft=False)
@example(translations=["x"], noise=[(3, "#x")], draft=True)
def test_imported_article_translation(
    translating: Path,
    export: str,
    translations: list[str],
    noise: list[tuple[int, str]],
    draft: bool,
) -> None:
    parts = export.split('msgstr ""')
    text = parts[0] + "".join(
        f"msgstr {po_quote(translations[i % len(translations)])}" + part
        for i, part in enumerate(parts[1:])
    )
    lines = text.split("\n")
    for at, line in noise:
        lines.insert(at % (len(lines) + 1), line)
    path = translating / layout.EXPORTS / "a-full.en.po"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        batch = import_files(translating, [path], draft=draft, force=True)
        diagnostics = [d for _, _, found in batch.checked for d in found] + batch.problems
    except UshtilError as refused:  # ushtil's own carrier of diagnostics
        diagnostics = list(refused.diagnostics)
    for d in diagnostics:
        assert str(d).startswith(("i18n/articles/a-full.en.po", "articles/a-full/")), str(d)


# --- XML: TMX and TBX ---------------------------------------------------------------

XML_NAMES = [
    "tmx",
    "header",
    "body",
    "tu",
    "tuv",
    "seg",
    "prop",
    "ph",
    "bpt",
    "note",
    "martif",
    "tbx",
    "text",
    "termEntry",
    "conceptEntry",
    "langSet",
    "tig",
    "ntig",
    "termSec",
    "term",
    "termNote",
    "descrip",
    "x:y",
    "a",
]
XML_ATTRS = ["xml:lang", "lang", "type", "id", "srclang", "creationdate", "creationtool", "version"]
xml_text = st.one_of(
    st.text(alphabet=st.sampled_from(LETTERS + " <>&;#\"'\n" + CONTROL), max_size=20).map(
        lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
    ),
    st.sampled_from(
        [
            "&amp;",
            "&#0;",
            "&#x1F600;",
            "&bogus;",
            "<![CDATA[<x>]]>",
            "<!-- c -->",
            "&",
            "<",
            "]]>",
            "<?pi x?>",
            "&#xD800;",
        ]
    ),
)
xml_value = st.one_of(
    st.sampled_from(
        [
            "kk",
            "ru",
            "en",
            "kk-KZ",
            "ru_RU",
            "x",
            "",
            "k k",
            "administrativeStatus",
            "preferredTerm-admn-sts",
            "deprecatedTerm-admn-sts",
            "x-ushtil-article",
            "20240110T090000Z",
            "99999999T999999Z",
        ]
    ),
    st.text(alphabet=st.sampled_from(LETTERS + "&<\"' -"), max_size=10),
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(name: str, attrs: list[tuple[str, str]], content: list[str]) -> str:
        quoted = "".join(f' {k}="{v}"' for k, v in dict(attrs).items())
        return f"<{name}{quoted}>" + "".join(content) + f"</{name}>"

    return st.builds(
        render,
        st.sampled_from(XML_NAMES),
        st.lists(st.tuples(st.sampled_from(XML_ATTRS), xml_value), max_size=3),
        st.lists(children, max_size=4),
    )


xml_content = st.recursive(xml_text, element, max_leaves=25)
PROLOGUES = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    "",
    '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
    '<!DOCTYPE x [<!ENTITY a "b">]>\n',
    '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n',
    '<?xml version="1.0" encoding="latin-1"?>\n',
]


@st.composite
def xml_document(draw: st.DrawFn, root: str, inner: str) -> bytes:
    prologue = draw(st.sampled_from(PROLOGUES))
    content = "".join(draw(st.lists(xml_content, max_size=5)))
    if draw(st.integers(0, 4)):
        content = f"<{root}><{inner}>{content}</{inner}></{root}>"
    data = (prologue + content).encode("utf-8")
    cut = draw(st.integers(0, 20))
    return data[:-cut] if cut < 3 and cut else data


DEEP_TMX = (
    b'<tmx version="1.4"><header/><body><tu><tuv xml:lang="kk"><seg>'
    + b"<ph>" * 50_000
    + b"</ph>" * 50_000
    + b"</seg></tuv></tu></body></tmx>"
)
DEEP_TBX = (
    b'<martif type="TBX"><text><body>'
    + b"<termEntry>" * 50_000
    + b"</termEntry>" * 50_000
    + b"</body></text></martif>"
)


@fuzz(150)
@given(data=xml_document("tmx", "body") | st.binary(max_size=200))
@example(data=DEEP_TMX)
@example(data=b"<tmx>" + b"<seg>" * 50_000)
def test_tmx(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz.tmx"
    path.write_bytes(data)
    tmx, diagnostics = read_tmx(path, "fuzz.tmx", CODES)
    located(diagnostics, "fuzz.tmx")
    assert (tmx is None) == any(d.is_error for d in diagnostics)


@fuzz(150)
@given(data=xml_document("martif", "text") | st.binary(max_size=200))
@example(data=DEEP_TBX)
@example(data=b"<martif>" + b"<text>" * 50_000 + b"</text>" * 50_000 + b"</martif>")
def test_tbx(project: Path, data: bytes) -> None:
    (project / layout.GLOSSARY).write_bytes(data)
    glossary, diagnostics = read_glossary(project)
    located(diagnostics, layout.GLOSSARY)
    assert (glossary is None) == any(d.is_error for d in diagnostics)


# --- images --------------------------------------------------------------------------


def picture(mode: str, kind: str, **options: object) -> bytes:
    image = Image.new(mode, (9, 7))
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


VALID = {
    ".png": [
        picture("RGB", "PNG"),
        picture("RGBA", "PNG"),
        picture("I;16", "PNG"),
        picture("P", "PNG", transparency=0),
        picture("LA", "PNG"),
    ],
    ".jpg": [picture("RGB", "JPEG"), picture("L", "JPEG"), picture("CMYK", "JPEG")],
    ".gif": [picture("P", "GIF")],
    ".webp": [picture("RGB", "WEBP"), picture("RGBA", "WEBP", lossless=True)],
}


@st.composite
def image_file(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(draw(st.sampled_from(VALID[draw(st.sampled_from(sorted(VALID)))])))
    for at, value in draw(st.lists(st.tuples(st.integers(0, 64), st.integers(0, 255)), max_size=4)):
        data[at % len(data)] = value  # the header first: sizes, types, chunk lengths
    cut = draw(st.integers(0, len(data)))
    return suffix, bytes(data[: cut or len(data)])


@fuzz(200)
@given(found=image_file() | st.tuples(st.sampled_from(sorted(VALID)), st.binary(max_size=200)))
@example(found=(".svg", b"<svg onload=alert(1)>"))
@example(found=(".png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40))
def test_image_probe(tmp_path_factory: pytest.TempPathFactory, found: tuple[str, bytes]) -> None:
    suffix, data = found
    path = tmp_path_factory.getbasetemp() / f"photo{suffix}"
    path.write_bytes(data)
    try:
        probed = probe(path)
    except ImageProblem:
        return
    picture = variants("x", path.name, probed)
    assert all(max(v.width, v.height) <= 16_383 for v in picture.webp)  # WebP's limit
    if probed.width * probed.height <= 1_000_000:  # decoding a lying header stays quick
        try:
            encode(path, picture)
        except ImageProblem:
            pass


# --- the preview server --------------------------------------------------------------


class Running:
    def __init__(self, project: Path) -> None:
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(
            target=serve,
            args=(project,),
            kwargs={"port": 0, "say": lambda _: None, "ready": self._ready, "stop": self.stop},
            daemon=True,
        )

    def _ready(self, url: str) -> None:
        self.port = int(url.rstrip("/").rsplit(":", 1)[1])
        self.ready.set()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = Running(make_project(tmp_path_factory.mktemp("fuzz-serve"), "basic"))
    running.thread.start()
    assert running.ready.wait(120), "the preview server never listened"
    yield running
    running.stop.set()
    running.thread.join(30)


STATUS = re.compile(rb"HTTP/1\.[01] (\d{3}) ")
ANSWERS = {200, 301, 400, 404, 414, 421, 431, 501, 505}
line_bytes = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b""))
path_part = st.one_of(
    st.text(
        alphabet=st.sampled_from(LETTERS + "/.%?#&=+ ~\\:@!$'()*,;" + CONTROL), max_size=60
    ).map(lambda t: t.encode("utf-8")),
    st.sampled_from(
        [
            b"/",
            b"/kk/",
            b"/../../etc/passwd",
            b"/%2e%2e/%2e%2e/etc/passwd",
            b"/%00",
            b"/%ff%fe",
            b"/%ed%a0%80",
            b"//evil.example/",
            b"/kk/news/a-full/",
            b"/static/site.css?x",
            b"/__ushtil__/state",
            b"/" + b"a" * 300,
            b"/" + b"a" * 10_000,
            b"/" + b"%2F" * 3000,
            b"*",
            b"http://evil.example/",
        ]
    ),
    line_bytes,
)
header_name = st.sampled_from(
    [
        b"Host",
        b"host",
        b"HOST",
        b"Connection",
        b"Range",
        b"Expect",
        b"If-Modified-Since",
        b"Content-Length",
        b"Accept-Encoding",
        b"Transfer-Encoding",
        b" Host",
        b"Host ",
        b"X",
    ]
)
header_value = st.one_of(
    st.sampled_from(
        [
            b"localhost",
            b"127.0.0.1:8000",
            b"[::1]",
            b"evil.example",
            b"",
            b"close",
            b"keep-alive",
            b"100-continue",
            b"bytes=0-1",
            b"Thu, 01 Jan 1970 00:00:00 GMT",
            b"Fri, 99 Foo 99999 99:99:99 GMT",
            b"-1",
            b"chunked",
            b"x" * 70_000,
            b"localhost\r\n Host: evil.example",
        ]
    ),
    line_bytes,
)


@st.composite
def request(draw: st.DrawFn) -> bytes:
    method = draw(
        st.sampled_from([b"GET", b"HEAD", b"POST", b"OPTIONS", b"BREW", b"get", b""]) | line_bytes
    )
    version = draw(
        st.sampled_from(
            [
                b" HTTP/1.1",
                b" HTTP/1.0",
                b" HTTP/0.9",
                b" HTTP/2.0",
                b" HTTP/1",
                b" HTTP/a.b",
                b"",
                b" HTTP/1.1 x",
            ]
        )
    )
    target = draw(path_part)
    if EVENTS.encode() in target:  # the live-reload stream stays open by design
        target = b"/"
    headers = draw(st.lists(st.tuples(header_name, header_value), max_size=4))
    if draw(st.booleans()):
        headers.insert(0, (b"Host", b"localhost"))
    head = b"\r\n".join([method + b" " + target + version] + [k + b": " + v for k, v in headers])
    return head + b"\r\n\r\n"


@fuzz(150)
@given(sent=request())
@example(sent=b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
@example(sent=b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n")
@example(sent=b"\r\n\r\n")
def test_serve_request(server: Running, capfd: pytest.CaptureFixture[str], sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(sent)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    found = STATUS.match(answer)
    assert found is not None and int(found.group(1)) in ANSWERS, (sent[:200], answer[:200])
    err = capfd.readouterr().err
    assert "Traceback" not in err, err[-3000:]
