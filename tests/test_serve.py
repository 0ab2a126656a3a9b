"""``ushtil serve``: a saved change is rebuilt and served, open pages reload themselves,
and a broken build is shown over the last good page while the server keeps running."""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import edit, make_project
from servers import unless_required

from ushtil.site.serve import serve

CHROMIUM = "/usr/bin/chromium"
WAIT = 60  # seconds before a wait for an event is a failure (the machine may be busy)
# Marks the first message of the page's event stream, before the page's own handler
# (registered later) sees it.
FIRST_EVENT = """
(() => {
  const Real = window.EventSource;
  window.EventSource = function (url, options) {
    const stream = new Real(url, options);
    stream.addEventListener("message", () => { window.ushtilFirstEvent = true; }, {once: true});
    return stream;
  };
  window.EventSource.prototype = Real.prototype;
})();
"""


class Running:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.url = ""
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        serve(self.project, port=0, say=self.lines.append, ready=self._ready, stop=self.stop)

    def _ready(self, url: str) -> None:
        self.url = url
        self.ready.set()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def state(self) -> dict[str, Any]:
        return json.loads(self.get("/__ushtil__/state")[1])  # type: ignore[no-any-return]

    def wait(self, condition: Callable[[], bool], timeout: float = WAIT) -> float:
        started = time.monotonic()
        while not condition():
            assert time.monotonic() - started < timeout, "\n".join(self.lines)
            time.sleep(0.05)
        return time.monotonic() - started


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    server = Running(make_project(tmp_path, "portal"))
    server.thread.start()
    assert server.ready.wait(30), server.lines
    yield server
    server.stop.set()
    server.thread.join(10)


def save(path: Path, old: str, new: str) -> None:
    edit(path, old, new)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_a_saved_change_is_served(running: Running) -> None:
    status, page = running.get("/kk/news/party/")
    assert status == 200 and "new EventSource" in page
    assert running.get("/static/site.css")[0] == 200
    status, missing = running.get("/ru/news/nothing/")
    assert status == 404 and "Страница не найдена" in missing
    first = running.state()["build"]
    save(
        running.project / "articles/party/kk.md",
        "партиясының елордалық филиалын басқарды",
        "партиясының астаналық филиалын басқарды",
    )
    running.wait(
        lambda: running.state()["build"] > first
        and "астаналық филиалын" in running.get("/kk/news/party/")[1]
    )
    assert running.state()["ok"]
    assert any(
        line.startswith("articles/party/kk.md") and "files written" in line
        for line in running.lines
    )
    # the list page that shows the article is updated too
    assert "астаналық филиалын" in running.get("/kk/category/news/")[1]


def test_a_broken_build_keeps_the_last_good_site(running: Running) -> None:
    template = running.project / "templates/article.html"
    save(template, "{% endif %}", "{% endiff %}")
    running.wait(lambda: not running.state()["ok"])
    problems = running.state()["problems"]
    assert any(p.startswith("templates/article.html:") for p in problems), problems
    assert any(
        "build failed; still serving the last good version" in line for line in running.lines
    )
    status, page = running.get("/kk/news/party/")
    assert status == 200 and "Әсет Исекешев" in page  # the last good version
    save(template, "{% endiff %}", "{% endif %}")
    running.wait(lambda: running.state()["ok"])


@pytest.mark.skipif(unless_required(os.path.exists(CHROMIUM)), reason="needs Debian's chromium")
def test_an_open_page_reloads_and_shows_problems(running: Running) -> None:
    from playwright.sync_api import sync_playwright
    from servers import ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.add_init_script(FIRST_EVENT)
            page.goto(running.url + "ru/news/party/")
            # the page has the server's first event (sent as the stream opens): it knows
            # which build it shows, so the next one reloads it
            page.wait_for_function("window.ushtilFirstEvent === true", timeout=WAIT * 1000)
            save(
                running.project / "articles/party/ru.md",
                "возглавил столичный филиал",
                "возглавил городской филиал",
            )
            page.wait_for_function(
                "(document.querySelector('h1')?.textContent ?? '').includes('городской филиал')",
                timeout=WAIT * 1000,
            )
            save(running.project / "templates/article.html", "{% endif %}", "{% endiff %}")
            page.wait_for_selector("#ushtil-problems", timeout=WAIT * 1000)
            assert "templates/article.html:" in page.inner_text("#ushtil-problems")
            assert "городской филиал" in page.inner_text("h1")  # still the last good page
            save(running.project / "templates/article.html", "{% endiff %}", "{% endif %}")
            page.wait_for_function(
                "!document.getElementById('ushtil-problems')", timeout=WAIT * 1000
            )
            assert errors == []
        finally:
            browser.close()


def test_a_save_the_moment_it_says_ready_is_rebuilt(tmp_path: Path) -> None:
    """serve watches before it builds and says it is ready: nothing saved in between is lost."""
    project = make_project(tmp_path, "portal")
    server = Running(project)
    saved = threading.Event()

    def save_at_once(url: str) -> None:
        server.url = url
        save(project / "articles/party/kk.md", "елордалық филиалын", "астаналық филиалын")
        saved.set()
        server.ready.set()

    server._ready = save_at_once  # type: ignore[method-assign]  # the test's own hook
    server.thread.start()
    try:
        assert server.ready.wait(30) and saved.is_set(), server.lines
        server.wait(lambda: "астаналық филиалын" in server.get("/kk/news/party/")[1])
    finally:
        server.stop.set()
        server.thread.join(10)


def test_a_saved_change_is_served_before_its_search_index(running: Running) -> None:
    """The build that serves the change leaves the search index as it was; the one right
    after it makes the index of the changed language only."""
    assert running.wait(lambda: any("search index (" in line for line in running.lines)) >= 0
    del running.lines[:]
    first = running.state()["build"]
    save(running.project / "articles/party/kk.md", "Бүгін партия", "Бүгін жаңғырықтағы партия")
    running.wait(
        lambda: running.state()["build"] > first
        and "жаңғырықтағы" in running.get("/kk/news/party/")[1]
    )
    running.wait(lambda: any(line.startswith("search index (kk) ") for line in running.lines))
    said = [  # the site's own warnings are said again by each build
        line for line in running.lines if "files written" in line or "search index" in line
    ]
    assert len(said) == 2 and "files written" in said[0], running.lines
    assert said[1].startswith("search index (kk) "), running.lines
    public = running.project / "public"
    fragments = (public / "kk/pagefind").rglob("*.pf_fragment")
    assert any("жаңғырықтағы".encode() in gzip.decompress(f.read_bytes()) for f in fragments)
