"""Shared helpers: test projects built in tmp_path from tests/sites/, and a small HTML reader."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import ushtil
from ushtil.site.build import BuildReport, build

ROOT = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
SHARED = ("templates", "static", "locales", "i18n")
# A test's own processes (`python -m ushtil`, a build to kill) run the ushtil under test,
# whatever their working folder, not another copy installed beside it.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [
        str(Path(ushtil.__file__).resolve().parents[1]),
        *os.environ.get("PYTHONPATH", "").split(os.pathsep),
    ]
).rstrip(os.pathsep)


def make_project(tmp_path: Path, scenario: str) -> Path:
    """A project in tmp_path: the repository's templates, static files and catalogues (they
    are code), with the site.toml and articles of tests/sites/<scenario>. Never the
    repository's own sample articles: the tests own their sites."""
    source = SITES / scenario
    if not (source / "site.toml").is_file():
        raise ValueError(f"no test site {scenario!r} in {SITES}")
    project = tmp_path / scenario
    project.mkdir()
    for name in SHARED:
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(source, project, dirs_exist_ok=True)
    return project


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """ushtil's per-user folder (key, compiled templates) for this test run only."""
    folder = tmp_path_factory.mktemp("user-cache")
    os.chmod(folder, 0o700)
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    """The suite's trilingual site (tests/sites/portal): eight articles, four to a page."""
    return make_project(tmp_path, "portal")


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    return make_project(tmp_path, "basic")


def build_ok(project: Path) -> Path:
    report = build(project, now=NOW)
    assert report.ok, "\n".join(map(str, report.diagnostics))
    return project / "public"


def build_report(project: Path, **kw: object) -> BuildReport:
    return build(project, now=NOW, **kw)  # type: ignore[arg-type]


def messages(report: BuildReport) -> list[str]:
    return [str(d) for d in report.diagnostics]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in ("meta", "link", "img", "br", "hr", "input"):
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


def parse(html: str) -> list[Element]:
    collector = _Collector()
    collector.feed(html)
    return collector.elements


def find(html: str, tag: str, **attrs: str) -> list[Element]:
    return [
        e
        for e in parse(html)
        if e.tag == tag
        and all(e.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
    ]


def hreflangs(html: str) -> dict[str, str]:
    """The page's hreflang alternates (not its feed link): hreflang → href."""
    return {
        e.get("hreflang") or "": e.get("href") or ""
        for e in find(html, "link", rel="alternate")
        if e.get("type") is None
    }


def read(public: Path, url: str) -> str:
    path = public / url.lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


def internal_links(public: Path) -> Iterator[tuple[Path, str]]:
    for page in sorted(public.rglob("*.html")):
        for element in parse(page.read_text(encoding="utf-8")):
            for attr in ("href", "src"):
                value = element.get(attr)
                if value and not urlsplit(value).scheme and not value.startswith(("#", "mailto:")):
                    yield page, value


def resolves(public: Path, page: Path, url: str) -> bool:
    path = urlsplit(url).path
    target = public / path.lstrip("/") if path.startswith("/") else page.parent / path
    if path.endswith("/"):
        target = target / "index.html"
    return target.is_file()


@pytest.fixture(scope="module")
def site(public: Path) -> Iterator[str]:
    """The module's ``public`` site served over HTTP on a free port."""
    from servers import static_server

    with static_server(public) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, one for the module."""
    from playwright.sync_api import sync_playwright
    from servers import ARGS, CHROMIUM

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
