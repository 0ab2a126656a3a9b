"""The sample site shipped at the repository's root builds cleanly and is worth looking at.

The only module that reads the repository's own `site.toml` and `articles/`: every other
test builds the sites it needs from tests/sites/. Nothing here names a sample article,
so a city that replaces the sample with its own site keeps a working suite."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from ushtil.interface.rules import lookalikes
from ushtil.project.articles import load_articles
from ushtil.project.config import read_config

KAZAKH_LETTERS = set("әғқңөұүһі")


def test_the_shipped_sample_site_builds_cleanly_with_the_console_script(tmp_path: Path) -> None:
    """What the README tells a newcomer to run, on the repository as it is."""
    out = tmp_path / "public"
    script = Path(sys.executable).parent / "ushtil"
    result = subprocess.run(
        [str(script), "-C", str(ROOT), "build", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    config, diagnostics = read_config(ROOT)
    assert config is not None and diagnostics == []
    articles, _ = load_articles(config)
    shown = [a for a in articles if a.published <= dt.datetime.now(dt.UTC)]
    assert shown
    for article in shown:
        for version in (v for v in article.versions if not v.draft):
            page = out / version.lang / "news" / article.id / "index.html"
            assert f'<html lang="{version.lang}">' in page.read_text(encoding="utf-8"), page


def test_the_sample_site_has_an_identity() -> None:
    config, diagnostics = read_config(ROOT)
    assert config is not None and diagnostics == []
    identity = config.identity
    assert identity.emblem and identity.accent
    assert identity.contacts.address and identity.contacts.phone and identity.contacts.email


def test_the_sample_site_is_worth_looking_at() -> None:
    config = read_config(ROOT)[0]
    assert config is not None
    articles, diagnostics = load_articles(config)
    assert not [d for d in diagnostics if d.is_error]
    assert len(articles) >= 10
    assert len({a.category for a in articles}) >= 3
    assert any(a.gallery for a in articles)
    kazakh = " ".join(
        v.title + v.summary + v.body for a in articles for v in a.versions if v.lang == "kk"
    )
    assert KAZAKH_LETTERS <= set(kazakh)
    for article in articles:
        assert article.image is not None, article.id
        files = (article.image, *article.gallery)
        for name in files:
            path = config.root / "articles" / article.id / name
            assert path.read_bytes()[:3] == b"\xff\xd8\xff", path
            assert path.stat().st_size < 60_000, path
        for version in article.versions:
            texts = {t.name: t for t in version.images}
            assert set(texts) == set(files), (article.id, version.lang)
            for text in texts.values():
                assert text.alt and text.caption and text.credit, (article.id, version.lang)
            if version.lang in ("kk", "ru"):
                for value in (
                    version.title,
                    version.summary,
                    version.body,
                    *(t.alt + t.caption + t.credit for t in texts.values()),
                ):
                    assert lookalikes(value) == [], (article.id, value)
