"""Broken and hostile input: each mistake gives the exact message an editor sees, the build
goes on collecting problems, and the published site is never lost or defaced."""

from __future__ import annotations

import errno
import hashlib
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_ok, build_report, edit, find, messages, parse, read
from generated import generate

import ushtil.engine.write
from ushtil.cli.main import main
from ushtil.engine.outfolder import MARKER, output_lock

A = "articles/a-full"
FACTS = 'published = 2024-01-10T09:00:00+05:00\ncategory = "news"\n'


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER  # each folder's marker is its own
    }


def leftovers(project: Path) -> list[str]:
    return sorted(
        p.name for p in project.iterdir() if p.name.startswith((".public.new-", ".public.old-"))
    )


BATTERY: list[tuple[str, Callable[[Path], object], str]] = [
    (
        "invalid UTF-8",
        lambda p: write(
            p / A / "kk.md", '+++\ntitle = "Қала"\n+++\nжол\n'.encode() + b"\xff\xfe bad\n"
        ),
        "articles/a-full/kk.md:5: not valid UTF-8 (byte 0xff); save the file as UTF-8",
    ),
    (
        "date as a string",
        lambda p: write(
            p / A / "article.toml", 'published = "2024-01-10T09:00:00+05:00"\ncategory = "news"\n'
        ),
        "articles/a-full/article.toml:1: 'published' must be a TOML date-time "
        "such as 2016-07-07T14:05:00+06:00, not a quoted string",
    ),
    (
        "tags as a number",
        lambda p: write(p / A / "article.toml", FACTS + "tags = 5\n"),
        "articles/a-full/article.toml:3: 'tags' must be a list of strings, not a number",
    ),
    (
        "date without a time zone",
        lambda p: write(
            p / A / "article.toml", 'published = 2024-01-10T09:00:00\ncategory = "news"\n'
        ),
        "articles/a-full/article.toml:1: 'published' has no time zone offset, e.g. +06:00",
    ),
    (
        "a language the site does not have",
        lambda p: shutil.copy(p / A / "en.md", p / A / "de.md"),
        "articles/a-full/de.md: 'de' is not one of the site's languages (kk, ru, en)",
    ),
    (
        "empty title",
        lambda p: write(p / A / "kk.md", '+++\ntitle = ""\n+++\nМәтін\n'),
        "articles/a-full/kk.md:2: 'title' must not be empty",
    ),
    (
        "empty body",
        lambda p: write(p / A / "kk.md", '+++\ntitle = "Қала"\n+++\n\n  \n'),
        "articles/a-full/kk.md:3: the article body is empty",
    ),
    (
        "versions claiming another article's ID",
        lambda p: write(p / A / "ru.md", '+++\nid = "b-no-english"\ntitle = "Парк"\n+++\nТекст\n'),
        "articles/a-full/ru.md:2: claims article ID 'b-no-english', "
        "but it is in the folder of article 'a-full' "
        "(the folder name is the ID: move the file, or drop the id key)",
    ),
    (
        "an ID with '..'",
        lambda p: (p / A).rename(p / "articles/a..b"),
        "articles/a..b: article ID 'a..b' must be lowercase Latin letters, digits "
        "and single hyphens (it becomes the URL /{lang}/news/{id}/)",
    ),
    (
        "a category not declared",
        lambda p: write(
            p / A / "article.toml", 'published = 2024-01-10T09:00:00+05:00\ncategory = "sport"\n'
        ),
        "articles/a-full/article.toml:2: category 'sport' is not declared in site.toml "
        "[categories] (declared: news, site)",
    ),
    (
        "a missing article.toml",
        lambda p: (p / A / "article.toml").unlink(),
        "articles/a-full/article.toml: missing: "
        "every article needs article.toml with its date and category",
    ),
    (
        "an image path leaving the article",
        lambda p: write(p / A / "article.toml", FACTS + 'image = "../../site.toml"\n'),
        "articles/a-full/article.toml:3: image '../../site.toml' "
        "must be a file inside the article folder",
    ),
    (
        "an absolute image path",
        lambda p: write(p / A / "article.toml", FACTS + 'image = "/etc/passwd"\n'),
        "articles/a-full/article.toml:3: image '/etc/passwd' "
        "must be a file inside the article folder",
    ),
    (
        "an image that links out of the project",
        lambda p: (
            (p / A / "photo.jpg").symlink_to("/etc/passwd"),
            write(p / A / "article.toml", FACTS + 'image = "photo.jpg"\n'),
        ),
        "articles/a-full/article.toml:3: image 'photo.jpg' is a link; "
        "put the file itself in articles/a-full/",
    ),
    (
        "an article folder that links out",
        lambda p: (p / "articles/evil").symlink_to("/etc"),
        "articles/evil: articles must be folders, not links",
    ),
    (
        "a category slug that would leave the output",
        lambda p: edit(p / "site.toml", "[categories]", '[categories]\n"../../x" = "Escape"'),
        "site.toml:13: '../../x' in [categories] must be lowercase letters, digits and hyphens",
    ),
    (
        "a template syntax error",
        lambda p: edit(p / "templates/article.html", "{% endif %}", "{% endiff %}"),
        "templates/article.html:",
    ),
    (
        "a missing template",
        lambda p: (p / "templates/article.html").unlink(),
        "templates/article.html: template not found: article.html",
    ),
    (
        "a catalogue with a syntax error",
        lambda p: edit(
            p / "locales/ru/LC_MESSAGES/messages.po", 'msgstr "Новости"', 'msgstr "Новости'
        ),
        "locales/ru/LC_MESSAGES/messages.po:",
    ),
]


@pytest.mark.parametrize(("name", "breaks", "expected"), BATTERY, ids=[b[0] for b in BATTERY])
def test_battery(
    basic: Path,
    name: str,
    breaks: Callable[[Path], object],
    expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    public = build_ok(basic)
    before = tree(public)
    breaks(basic)
    code = main(["-C", str(basic), "build"])
    out, err = capsys.readouterr()
    assert code == 1, out
    lines = err.splitlines()
    assert any(line.startswith(expected) for line in lines), err
    assert "Traceback" not in err and "internal error" not in err
    assert lines[-1] == "build failed: nothing was written"
    assert tree(public) == before and leftovers(basic) == []


def test_a_future_date_is_a_warning_and_not_published(basic: Path) -> None:
    report = build_report(basic)
    assert report.ok
    assert (
        "articles/d-future/article.toml: warning: published 2030-01-01T00:00:00+05:00 "
        "is in the future: not published until then"
    ) in messages(report)
    assert not (basic / "public/kk/news/d-future").exists()


def test_bom_crlf_and_nfd_are_accepted(basic: Path) -> None:
    path = basic / A / "kk.md"
    # й written as и + combining breve (NFD); Kazakh's own letters have no decomposition
    text = path.read_text(encoding="utf-8").replace("Қалада жаңа", "Есіл бои\u0306ында жаңа")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    report = build_report(basic)
    assert report.ok
    assert [m for m in messages(report) if "NFC" in m] == [
        "articles/a-full/kk.md:2: warning: text is not in Unicode NFC; it was normalised"
    ]
    assert "<h1>Есіл бойында жаңа саябақ ашылды</h1>" in read(basic / "public", "/kk/news/a-full/")


def test_all_problems_are_collected_in_one_run(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(basic / "articles/b-no-english/kk.md", '+++\ntitle = ""\n+++\nМәтін\n')
    write(
        basic / "articles/c-draft-en/article.toml",
        'published = 2024-01-10T09:00:00\ncategory = "news"\n',
    )
    shutil.copy(basic / A / "en.md", basic / A / "de.md")
    assert main(["-C", str(basic), "build"]) == 1
    err = capsys.readouterr().err
    assert "articles/b-no-english/kk.md:2: 'title' must not be empty" in err
    assert (
        "articles/c-draft-en/article.toml:1: 'published' has no time zone offset, e.g. +06:00"
        in err
    )
    assert "articles/a-full/de.md: 'de' is not one of the site's languages (kk, ru, en)" in err
    assert "3 error(s)" in err


def test_a_10_mb_article_is_built(basic: Path) -> None:
    paragraph = "Астана қаласында жаңа саябақ ашылды, онда ағаштар мен орындықтар бар. " * 8
    body = "\n\n".join(
        f"{paragraph} {n}" for n in range(10 * 1024 * 1024 // len(paragraph.encode()))
    )
    write(basic / A / "kk.md", f'+++\ntitle = "Үлкен мақала"\n+++\n{body}\n')
    assert (basic / A / "kk.md").stat().st_size > 10 * 1024 * 1024
    public = build_ok(basic)
    page = (public / "kk/news/a-full/index.html").read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) > 10 * 1024 * 1024 and page.rstrip().endswith("</html>")


def test_an_unwritable_output_folder(basic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = basic / "not-a-folder"
    blocker.write_text("a file where the output's parent should be")
    code = main(["-C", str(basic), "build", "--out", str(blocker / "public")])
    err = capsys.readouterr().err
    assert code == 1
    # named from where the command runs (-C: the project's folder)
    assert "not-a-folder/public: cannot write the output folder: a file is in the way" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "cannot write the site (the disk is full); the previous site is unchanged",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "cannot write the site (Permission denied); the previous site is unchanged",
        ),
    ],
)
def test_a_failing_write_leaves_the_old_site(
    basic: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: OSError,
    message: str,
) -> None:
    public = build_ok(basic)
    before = tree(public)
    edit(basic / A / "kk.md", "Саябақта", "Жаңа саябақта")
    written = 0
    real = ushtil.engine.write._write_file

    def fail_after_five(path: str, data: bytes) -> None:
        nonlocal written
        written += 1
        if written > 5:
            raise failure
        real(path, data)

    monkeypatch.setattr(ushtil.engine.write, "_write_file", fail_after_five)
    code = main(["-C", str(basic), "build"])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 1 and f"public: {message}" in err.splitlines()
    assert written > 5
    assert tree(public) == before and leftovers(basic) == []


def test_ctrl_c_in_the_middle_of_writing(
    basic: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    public = build_ok(basic)
    before = tree(public)
    edit(basic / A / "kk.md", "Саябақта", "Жаңа саябақта")
    real = ushtil.engine.write._write_file
    calls = 0

    def interrupted(path: str, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # a few files in (unchanged ones are linked, not written)
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(ushtil.engine.write, "_write_file", interrupted)
    code = main(["-C", str(basic), "build"])
    monkeypatch.undo()
    assert code == 130
    assert capsys.readouterr().err.strip() == (
        "interrupted: the output folder holds a whole site, never a mix "
        "(the previous one, or the new one if it was already in place)"
    )
    assert tree(public) == before and leftovers(basic) == []


PAUSED_BUILD = """
import os, signal, sys, time
import ushtil.engine.write
project, ready, phase = sys.argv[1:]
main_process = os.getpid()
held = {signal.SIGINT, signal.SIGTERM}
# Ctrl-C as a terminal delivers it: a shell starts a background job (a CI runner's, say)
# with SIGINT ignored, and Python then leaves it ignored in every child
signal.signal(signal.SIGINT, signal.default_int_handler)


def announce() -> None:
    with open(ready, "w"):
        pass


if phase == "staging":  # stop after the first new file, and wait for the signal
    real_write = ushtil.engine.write._write_file

    def paused(path, data):
        real_write(path, data)
        if os.getpid() == main_process:  # not in a worker process
            announce()
            for _ in range(6000):
                time.sleep(0.01)  # the signal's handler raises here

    ushtil.engine.write._write_file = paused
else:  # stop where the staged files are about to be renamed (signals held back)
    real_apply = ushtil.engine.write.apply_plan

    def paused(out, plan):
        announce()
        for _ in range(6000):
            if held & signal.sigpending():
                break  # the signal is held until the renames are done
            time.sleep(0.01)
        real_apply(out, plan)

    ushtil.engine.write.apply_plan = paused
from ushtil.cli.main import main
sys.exit(main(["-C", project, "build"]))
"""
INTERRUPTED = (
    "interrupted: the output folder holds a whole site, never a mix "
    "(the previous one, or the new one if it was already in place)"
)


@pytest.mark.parametrize("phase", ["staging", "renames"])
@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"]
)
def test_a_real_signal_during_a_build(tmp_path: Path, signum: int, phase: str) -> None:
    """A real process, really interrupted while it writes a small change (it stops at the
    point named by ``phase`` and waits there for the signal): the output is the previous
    whole site while files are being staged, and the new whole site once the renames
    into place have begun (signals are held back during them); a killed build's update is
    completed by the next build. Never a mix."""
    project = tmp_path / "generated"
    generate(project, n=120)
    public = build_ok(project)
    before = tree(public)
    for md in sorted((project / "articles").glob("g00*/kk.md"))[:5]:
        md.write_text(md.read_text(encoding="utf-8") + "\nҚосымша сөйлем.\n", encoding="utf-8")
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_BUILD, str(project), str(ready), phase],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120  # a guard against a hang, not a wait on timing
    while not ready.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never reached its pause"
        time.sleep(0.01)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    journal = project / ".public.journal"
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        assert tree(public) == before  # killed before anything was renamed into place
        assert leftovers(project)  # nothing could clean up ...
        assert journal.exists() == (phase == "renames")
        report = build_report(project)  # ... until the next build, which does
        assert report.ok and leftovers(project) == [] and not journal.exists()
        assert "Қосымша сөйлем." in (public / "kk/news/g0000/index.html").read_text(
            encoding="utf-8"
        )
        return
    assert process.returncode == 130, err
    assert err.strip() == INTERRUPTED
    assert leftovers(project) == [] and not journal.exists()
    if phase == "staging":
        assert tree(public) == before
    else:
        assert main(["-C", str(project), "build", "--clean", "--out", str(tmp_path / "new")]) == 0
        assert tree(public) == tree(tmp_path / "new")
        assert "Қосымша сөйлем." in (public / "kk/news/g0000/index.html").read_text(
            encoding="utf-8"
        )


def test_a_second_build_at_the_same_time_is_told(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    public = build_ok(basic)
    before = tree(public)
    with output_lock(public):
        code = main(["-C", str(basic), "build"])
    err = capsys.readouterr().err
    assert code == 1
    locked = "public: another build is writing this output folder; try again when it ends"
    assert locked in err.splitlines()
    assert tree(public) == before
    assert main(["-C", str(basic), "build"]) == 0  # the lock is released


def test_two_builds_give_identical_trees(portal: Path, tmp_path: Path) -> None:
    first = build_report(portal, out=tmp_path / "one")
    second = build_report(portal, out=tmp_path / "two")
    assert first.ok and second.ok
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    assert {"sitemap.xml", "robots.txt", "kk/feed.xml", "_status/index.html"} <= set(one)


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# our scripts, and the search page's words (JSON)
OUR_SCRIPTS = ("/static/lang.js", "/static/vision.js", "/static/search.js")


def test_html_in_titles_summaries_and_labels_is_escaped(basic: Path) -> None:
    edit(basic / A / "kk.md", 'title = "Қалада жаңа саябақ ашылды"', f"title = '{HOSTILE}'")
    edit(
        basic / A / "kk.md",
        'summary = "Есіл өзенінің жағасында жаңа саябақ ашылды."',
        f"summary = '\"><b onmouseover=x>{HOSTILE}'",
    )
    edit(basic / "site.toml", '= "News of the city"', f"= '{HOSTILE}'")
    public = build_ok(basic)
    for path in sorted(public.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        scripts = [e.get("src") for e in find(html, "script")]
        data = [e for e in find(html, "script", type="application/json", id="search-strings")]
        assert len(scripts) - len(data) == len([s for s in scripts if s]), path
        assert all(src is None or src.endswith(OUR_SCRIPTS) for src in scripts), path
        assert not [e for e in find(html, "img") if e.get("onerror")], path
        assert not [e for e in find(html, "b") if e.get("onmouseover")], path
    page = read(public, "/kk/news/a-full/")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    feed = (public / "kk/feed.xml").read_text(encoding="utf-8")
    assert "<script" not in feed and "&lt;script&gt;" in feed


BODY = """Ordinary **text**.

<script>alert(1)</script>

<figure class="photo"><img src="/media/x.jpg" alt="Бәйтерек" onerror="alert(1)">\
<figcaption>Бәйтерек</figcaption></figure>

<a href="javascript:alert(1)" onclick="steal()">click</a> <a href=" JaVaScRiPt:alert(1)">again</a>

<iframe src="https://evil.example"></iframe><style>body{display:none}</style>

[markdown link](javascript:alert(1))
"""


def test_raw_html_is_off_by_default(basic: Path) -> None:
    edit(basic / A / "kk.md", "Саябақта ағаштар мен орындықтар бар.", BODY)
    page = read(build_ok(basic), "/kk/news/a-full/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not find(page, "figure") and not find(page, "iframe")
    assert not [a for a in find(page, "a") if "javascript" in (a.get("href") or "").lower()]


def test_trusted_raw_html_is_still_sanitised(basic: Path) -> None:
    edit(basic / "site.toml", "[categories]", "[markdown]\nraw_html = true\n\n[categories]")
    edit(basic / A / "kk.md", "Саябақта ағаштар мен орындықтар бар.", BODY)
    page = read(build_ok(basic), "/kk/news/a-full/")
    body = page[page.index('<div class="body">') :]
    assert find(body, "figure", class_="photo") and find(body, "figcaption")
    assert [e.get("alt") for e in find(body, "img")] == ["Бәйтерек"]
    assert "<script" not in body and "alert(1)</script>" not in body
    assert not find(body, "iframe") and not find(body, "style")
    for element in parse(body):
        assert not any(name.startswith("on") for name in element.attrs), element.tag
        for attr in ("href", "src"):
            assert "javascript" not in (element.get(attr) or "").lower()
