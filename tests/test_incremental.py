"""Incremental builds give byte for byte what a clean build gives, after any edits."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import NOW, edit
from generated import generate

from ushtil.engine.outfolder import MARKER
from ushtil.site.build import build


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER  # each folder's marker is its own
    }


def clean_build(project: Path, scratch: Path) -> dict[str, str]:
    """The same project built from nothing, elsewhere."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(
        project, scratch, ignore=shutil.ignore_patterns("public", ".ushtil-cache", ".public*")
    )
    report = build(scratch, now=NOW, clean=True, jobs=1)
    assert report.ok, [str(d) for d in report.diagnostics]
    return tree(scratch / "public")


def touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def translation(project: Path, article_id: str) -> Path:
    """One of the article's versions that was translated from another."""
    return next(
        p
        for p in sorted((project / "articles" / article_id).glob("*.md"))
        if "[translated_from]" in p.read_text(encoding="utf-8")
    )


def soft_break(path: Path) -> None:
    """Split the body's first line in two, the second starting with a marker."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("+++\n", 2)[1:]
    first = body.index(" ", 10)
    path.write_text(
        "+++\n" + head + "+++\n" + body[:first] + "\n<<" + body[first + 1 :], encoding="utf-8"
    )


def append(path: Path, sentence: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def set_translation(project: Path, lang: str, msgid: str, msgstr: str) -> None:
    path = project / f"locales/{lang}/LC_MESSAGES/messages.po"
    po = polib.pofile(str(path), wrapwidth=79)
    entry = po.find(msgid)
    assert entry is not None
    entry.msgstr = msgstr
    po.save(str(path))


EDITS: list[tuple[str, Callable[[Path], object]]] = [
    ("nothing", lambda p: None),
    ("a source's text", lambda p: append(p / "articles/g0003/kk.md", "Жаңа сөйлем.")),
    ("a translation only", lambda p: append(translation(p, "g0006"), "Тағы бір сөйлем.")),
    ("a file touched, not changed", lambda p: touch(p / "articles/g0005/article.toml")),
    ("a soft line break", lambda p: soft_break(p / "articles/g0003/kk.md")),
    (
        "the same line break made hard (two trailing spaces)",
        lambda p: edit(p / "articles/g0003/kk.md", "\n<<", "  \n<<"),
    ),
    (
        "an article's date",
        lambda p: edit(
            p / "articles/g0010/article.toml", "published = 2025-01-16", "published = 2025-03-16"
        ),
    ),
    (
        "a version deleted",
        lambda p: (
            (p / "articles/g0012/en.md").unlink(missing_ok=True)
            or (p / "articles/g0012/ru.md").unlink(missing_ok=True)
        ),
    ),
    ("an article deleted", lambda p: shutil.rmtree(p / "articles/g0020")),
    ("an article added", lambda p: shutil.copytree(p / "articles/g0021", p / "articles/new-one")),
    ("an article renamed", lambda p: (p / "articles/g0022").rename(p / "articles/renamed-one")),
    (
        "a draft published",
        lambda p: [
            edit(f, "draft = true\n", "")
            for f in sorted(p.glob("articles/*/*.md"))
            if "draft = true" in f.read_text(encoding="utf-8")
        ][:1],
    ),
    (
        "a template",
        lambda p: edit(
            p / "templates/article.html", '<p class="summary">', '<p class="summary lead">'
        ),
    ),
    ("a catalogue entry", lambda p: set_translation(p, "ru", "News", "Новости города")),
    ("site.toml", lambda p: edit(p / "site.toml", "per_page = 20", "per_page = 7")),
    (
        "a static file",
        lambda p: (p / "static/site.css").write_text(
            (p / "static/site.css").read_text() + "\n.lead { font-weight: 600; }\n"
        ),
    ),
]


def test_every_edit_gives_what_a_clean_build_gives(tmp_path: Path) -> None:
    project = tmp_path / "site"
    generate(project, n=80)
    first = build(project, now=NOW, jobs=1)
    assert first.ok
    for name, change in EDITS:
        change(project)
        report = build(project, now=NOW, jobs=1)
        assert report.ok, (name, [str(d) for d in report.diagnostics])
        assert tree(project / "public") == clean_build(project, tmp_path / "clean"), (
            f"after: {name}"
        )


def snapshot(project: Path) -> dict[str, tuple[int, int, int]]:
    found = {}
    for folder, dirs, files in os.walk(project):
        dirs[:] = [d for d in dirs if d not in ("public", ".git") and not d.startswith(".public")]
        for name in files:
            info = os.stat(os.path.join(folder, name))
            found[os.path.join(folder, name)] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return found


def test_builds_kept_in_memory_give_what_a_clean_build_gives(tmp_path: Path) -> None:
    """``serve``'s builds: the cache kept in memory, the sources' sizes and times brought up
    to date from a watcher's list of changed paths alone."""
    from ushtil.site.build import Memory

    project = tmp_path / "site"
    generate(project, n=80)
    memory = Memory()
    assert build(project, now=NOW, jobs=1, memory=memory).ok
    for name, change in EDITS:
        before = snapshot(project)
        change(project)
        after = snapshot(project)
        changed = [p for p in before.keys() | after.keys() if before.get(p) != after.get(p)]
        changed += {os.path.dirname(p) for p in changed}  # as a watcher names folders too
        report = build(project, now=NOW, jobs=1, memory=memory, changed=changed)
        assert report.ok, (name, [str(d) for d in report.diagnostics])
        assert memory.cache is not None, name  # kept for the next build
        assert tree(project / "public") == clean_build(project, tmp_path / "clean"), (
            f"after: {name}"
        )


def test_the_pool_and_the_cache_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages rendered by worker processes, reused or not, are the same pages."""
    import ushtil.site.render

    monkeypatch.setattr(ushtil.site.render, "PARALLEL_FROM", 10)
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=2).ok
    append(project / "articles/g0007/ru.md", "Тағы бір сөйлем.")  # g0007's original
    assert build(project, now=NOW, jobs=2).ok
    assert tree(project / "public") == clean_build(project, tmp_path / "clean")


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "site"
    generate(project, n=30)
    assert build(project, now=NOW).written > 0
    inode = (project / "public").stat().st_ino
    again = build(project, now=NOW)
    assert again.ok and again.written == 0
    assert (project / "public").stat().st_ino == inode  # the very same folder
    warnings = [str(d) for d in again.diagnostics]
    assert warnings == [str(d) for d in build(project, now=NOW, clean=True).diagnostics]


def database(project: Path) -> Path:
    """Where the builds of ``project`` into its ``public/`` are remembered."""
    from ushtil.engine.store import database_path

    found = database_path(project, (project / "public").absolute())
    assert found is not None
    return found


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another format", "removed"])
def test_a_damaged_cache_is_a_clean_build(tmp_path: Path, damage: str) -> None:
    import sqlite3

    project = tmp_path / "site"
    generate(project, n=20)
    assert build(project, now=NOW).ok
    path = database(project)
    assert path.is_file() and not (project / ".ushtil-cache").exists()  # never in the project
    if damage == "another format":
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA user_version=99")
    else:
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if damage == "removed":
            path.unlink()
        else:
            data = path.read_bytes()
            path.write_bytes(b"not a database" * 100 if damage == "garbage" else data[:1500])
    (project / "articles/g0001/kk.md").write_text(
        (project / "articles/g0001/kk.md").read_text(encoding="utf-8") + "\nСөйлем.\n",
        encoding="utf-8",
    )
    assert build(project, now=NOW).ok
    assert tree(project / "public") == clean_build(project, tmp_path / "clean")


def test_an_article_coming_due_is_published_without_any_edit(tmp_path: Path) -> None:
    import datetime as dt

    project = tmp_path / "site"
    generate(project, n=10)
    (project / "articles/g0002/article.toml").write_text(
        'published = 2026-11-28T09:00:00+05:00\ncategory = "news"\n', encoding="utf-8"
    )
    assert build(project, now=NOW).ok
    assert not (project / "public/kk/news/g0002").exists()
    later = NOW + dt.timedelta(days=1)
    assert build(project, now=later).ok
    assert (project / "public/kk/news/g0002/index.html").exists() or (
        project / "public/ru/news/g0002/index.html"
    ).exists()


KILLED_MID_UPDATE = """
import os, sys
import ushtil.engine.write
real = os.replace
done = 0
def replace(src, dst):
    global done
    if done == 2:
        os._exit(9)  # as if killed: nothing runs after this
    done += 1
    real(src, dst)
ushtil.engine.write.os.replace = replace
from ushtil.site.build import build
from conftest import NOW
build(__import__("pathlib").Path(sys.argv[1]), now=NOW, jobs=1)
"""


def test_a_killed_update_is_completed_even_if_the_edit_is_undone(tmp_path: Path) -> None:
    """The editor restores the file exactly (same bytes, same time): the inputs look as
    they did before the killed build, but the output is half-updated; the next build
    must not call that "nothing changed"."""
    import subprocess
    import sys

    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    source = project / "articles/g0003/kk.md"
    before, stat = source.read_bytes(), source.stat()
    append(source, "Тағы бір сөйлем.")
    tests = Path(__file__).resolve().parent
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_UPDATE, str(project)],
        cwd=tests,
        env={**os.environ, "PYTHONPATH": f"{tests}{os.pathsep}{os.environ['PYTHONPATH']}"},
        capture_output=True,
        text=True,
    )
    assert killed.returncode == 9, killed.stderr
    source.write_bytes(before)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(project, now=NOW, jobs=1).ok
    assert tree(project / "public") == clean_build(project, tmp_path / "clean")


def test_an_update_killed_half_way_is_completed_by_the_next_build(tmp_path: Path) -> None:
    import subprocess
    import sys

    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    append(
        project / "articles/g0003/kk.md", "Тағы бір сөйлем."
    )  # g0003's original: several pages change
    tests = Path(__file__).resolve().parent
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_UPDATE, str(project)],
        cwd=tests,
        env={**os.environ, "PYTHONPATH": f"{tests}{os.pathsep}{os.environ['PYTHONPATH']}"},
        capture_output=True,
        text=True,
    )
    assert killed.returncode == 9, killed.stderr
    assert (project / ".public.journal").is_file()  # the update was under way
    assert tree(project / "public") != clean_build(project, tmp_path / "clean")  # half-way
    from ushtil.engine.outfolder import output_lock
    from ushtil.engine.write import remove_leftovers

    with output_lock(project / "public"):
        remove_leftovers(project / "public")  # what every build does first: completes it
    assert tree(project / "public") == clean_build(project, tmp_path / "clean")
    report = build(project, now=NOW, jobs=1)
    assert report.ok and not (project / ".public.journal").exists()
    assert not list(project.glob(".public.new-*"))
    assert tree(project / "public") == clean_build(project, tmp_path / "clean")


def test_a_split_sitemap_is_reused_and_rebuilt_like_a_clean_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ushtil.site.outputs

    monkeypatch.setattr(ushtil.site.outputs, "MAX_URLS", 40)  # the protocol's 50,000, scaled down
    project = tmp_path / "site"
    generate(project, n=40)
    assert build(project, now=NOW, jobs=1).ok
    assert (project / "public/sitemap-2.xml").exists()
    for name, change in EDITS[:3] + [
        EDITS[8]
    ]:  # nothing, a source, a translation, an article deleted
        change(project)
        assert build(project, now=NOW, jobs=1).ok
        assert tree(project / "public") == clean_build(project, tmp_path / "clean"), (
            f"after: {name}"
        )


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda p: edit(
            p / "articles" / "party" / "en.md", "Astana", "Astana city"
        ),  # one paragraph
        lambda p: edit(
            p / "templates" / "base.html", "</footer>", "<!-- -->\n</footer>"
        ),  # every page renders
    ],
    ids=["one-paragraph", "template"],
)
def test_a_build_replaces_only_files_whose_bytes_changed(
    portal: Path, change: Callable[[Path], None]
) -> None:
    public = portal / "public"
    assert build(portal, now=NOW).ok
    before = files(public)
    change(portal)
    report = build(portal, now=NOW)
    assert report.ok
    after = files(public)
    same = [path for path in after if path in before and after[path][0] == before[path][0]]
    changed = [path for path in after if path not in same]
    assert changed and same  # the edit changed some files and left others
    assert [
        p for p in same if after[p][1] != before[p][1]
    ] == []  # unchanged bytes: the very same file
    assert [p for p in changed if p in before and after[p][1] == before[p][1]] == []


def test_the_fingerprint_covers_every_module_of_ushtil(tmp_path: Path) -> None:
    """A change to any of ushtil's modules (not only the site's) renders everything again."""
    import subprocess
    import sys

    import ushtil

    copy = tmp_path / "src" / "ushtil"
    shutil.copytree(
        Path(ushtil.__file__).resolve().parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    project = tmp_path / "site"
    generate(project, n=2)
    show = (
        "import sys, pathlib, ushtil.engine.cache as c; "
        "print(c.fingerprint(pathlib.Path(sys.argv[1])))"
    )

    def fingerprint() -> str:
        done = subprocess.run(
            [sys.executable, "-c", show, str(project)],
            env={**os.environ, "PYTHONPATH": str(tmp_path / "src")},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    before = fingerprint()
    for module in ("project/model.py", "interface/rules.py", "site/graph.py"):
        (copy / module).write_text(
            (copy / module).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8"
        )
        after = fingerprint()
        assert after != before, module
        before = after


@pytest.mark.parametrize("jobs", [1, 2], ids=["here", "pool"])
def test_every_output_is_reused_or_rendered_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Every page kind, the feeds, the dashboard (its index too), the sitemap and robots.txt
    are taken over while their key is unchanged, rendered (into the spool, when there is
    one) when it changed, and recorded for the next build."""
    import ushtil.site.render
    from ushtil.engine.cache import load as load_cache
    from ushtil.engine.write import Spool
    from ushtil.project.problems import has_errors
    from ushtil.site.build import render

    monkeypatch.setattr(ushtil.site.render, "PARALLEL_FROM", 10)
    project = tmp_path / "site"
    generate(project, n=30)
    public = project / "public"
    assert build(project, now=NOW, jobs=jobs).ok
    copies = ("static/", "media/")  # files of the project, copied: not rendered

    def pages(spool: Spool | None = None) -> dict[str, str | None]:
        rendering, diagnostics = render(
            project, now=NOW, jobs=jobs, cache=load_cache(project, public), out=public, spool=spool
        )
        assert rendering is not None and not has_errors(diagnostics)
        return {
            page.path: page.source for page in rendering.pages if not page.path.startswith(copies)
        }

    kinds = (
        "index.html",
        "404.html",
        "kk/404.html",
        "kk/index.html",
        "kk/page/2/index.html",
        "ru/category/news/index.html",
        "kk/news/g0001/index.html",
        "en/feed.xml",
        "kk/feed.xml",
        "_status/index.html",
        "_status/kk/index.html",
        "sitemap.xml",
        "robots.txt",
    )
    recorded = load_cache(project, public).state.outputs
    assert set(kinds) <= set(recorded)
    assert set(recorded) == {
        p.relative_to(public).as_posix()
        for p in public.rglob("*")
        if p.is_file()
        and not p.relative_to(public).as_posix().startswith(copies)
        and p.name != ".ushtil-output"
    }

    touch(project / "articles/g0005/article.toml")  # a build, but nothing to render
    reused = pages()
    assert set(kinds) <= set(reused)
    assert {path: source for path, source in reused.items() if source != str(public / path)} == {}

    edit(project / "templates/base.html", "</footer>", "<!-- -->\n</footer>")  # everything renders
    spool = Spool(public)
    try:
        rendered = pages(spool)
        assert set(kinds) <= set(rendered) and spool.path is not None
        assert {
            path: source for path, source in rendered.items() if source != str(spool.path / path)
        } == {}
    finally:
        spool.discard()


def test_a_worker_that_dies_stops_the_build_with_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed worker process (the out-of-memory killer, say) is an error of the build,
    which writes nothing, not a build waiting for ever for the pages it was making."""
    import ushtil.engine.pool
    import ushtil.site.render

    monkeypatch.setattr(ushtil.site.render, "PARALLEL_FROM", 10)
    real = ushtil.engine.pool._message

    def dies_on_the_second_batch(shop: ushtil.engine.pool.Workshop, number: int) -> bytes:
        if number == 1:
            os._exit(9)
        return real(shop, number)

    monkeypatch.setattr(ushtil.engine.pool, "_message", dies_on_the_second_batch)
    project = tmp_path / "site"
    generate(project, n=60)
    report = build(project, now=NOW, jobs=2)
    assert [d.code for d in report.diagnostics if d.is_error] == ["worker"]
    assert any("ended before it was done" in str(d) for d in report.diagnostics)
    assert not (project / "public").exists() and not list(project.glob(".public*new*"))


def test_a_build_names_the_files_it_wrote_and_removed(tmp_path: Path) -> None:
    """Other steps (a search index, image variants) redo only what a build changed."""
    project = tmp_path / "site"
    generate(project, n=30)
    public = project / "public"
    first = build(project, now=NOW, jobs=1)
    assert first.ok and set(first.changed) == {
        p for p in tree(public) if not p.startswith(".")  # all but ushtil's marker
    }
    again = build(project, now=NOW, jobs=1)
    assert again.ok and again.changed == () and again.removed == ()
    before = tree(public)
    append(project / "articles/g0003/kk.md", "Жаңа сөйлем.")
    edited = build(project, now=NOW, jobs=1)
    after = tree(public)
    assert edited.ok and "kk/news/g0003/index.html" in edited.changed
    assert set(edited.changed) == {p for p in after if before.get(p) != after[p]}
    # only the search index's content-named files give way to new ones
    assert set(edited.removed) == {p for p in before if p not in after}
    assert all("/pagefind/" in p for p in edited.removed)
    pages = {p for p in after if "/news/g0020/" in p}
    shutil.rmtree(project / "articles/g0020")
    removed = build(project, now=NOW, jobs=1)
    assert removed.ok and pages and pages <= set(removed.removed)
    assert set(removed.removed) == set(after) - set(tree(public))


def test_a_build_with_nothing_to_do_imports_no_renderer(tmp_path: Path) -> None:
    """`ushtil build` that finds nothing changed decides from sizes and times alone: the
    whole command imports neither Babel, Jinja2, Markdown, nh3, polib nor Pillow."""
    import subprocess
    import sys

    project = tmp_path / "site"
    generate(project, n=5)
    assert build(project).ok
    heavy = ("babel", "jinja2", "markdown_it", "nh3", "polib", "PIL")
    script = (
        "import sys\n"
        "from ushtil.cli.main import main\n"
        f"code = main(['-C', {str(project)!r}, 'build'])\n"
        f"print(code, [m for m in {heavy!r} if m in sys.modules])\n"
    )
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
