"""The anchor the benchmark compares with: Hugo on the same corpus, and Pagefind's own
command line over Hugo's output for search.

The Hugo site comes from ``../shared/bench/to_hugo.py`` with the sample portal's page
anatomy (its default): the same articles, categories folded and rubric as
``corpus.make_project`` gives ushtil. Pagefind indexes the article pages only (as ushtil
indexes its articles' versions), each from its ``<article>`` element (title, date,
category, summary and body), one index per language from each page's ``lang``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import corpus

ARTICLES = "*/news/*/index.html"  # Hugo's article pages, /{lang}/news/{id}/


def hugo_command() -> list[str]:
    hugo = shutil.which("hugo")
    if hugo is None:
        sys.exit("--hugo: hugo is not installed (apt-get install hugo)")
    return [hugo, "--quiet", "-d", "public"]


def pagefind_command() -> list[str]:
    """Pagefind's binary, as the ``pagefind[bin]`` dependency installs it."""
    try:
        import pagefind_bin  # type: ignore[import-untyped]

        binary = str(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found is None:
            sys.exit("--search with --hugo: no Pagefind binary (pip install 'pagefind[bin]')")
        binary = found
    return [binary, "--site", "public", "--glob", ARTICLES, "--root-selector", "article"]


def version(cmd: list[str]) -> str:
    """What a command says its version is (its first line)."""
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (done.stdout.strip() or done.stderr.strip()).split("\n")[0]


def hugo_site(n: int, work: Path, shared: Path, drop: dict[str, float]) -> Path:
    """The corpus of ``corpus.make_project`` (same seed and gaps) as a Hugo site."""
    neutral = work / f"neutral-{n}"
    site = work / f"hugo-{n}"
    corpus.shared_generator(shared).generate(n, str(neutral), drop=drop)
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(shared / "to_hugo.py"), str(neutral), str(site)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(neutral)
    return site


def hugo_article(site: Path, article_id: str) -> Path:
    return site / "content" / "ru" / "news" / f"{article_id}.md"
