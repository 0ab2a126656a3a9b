"""A generated project of a few hundred articles with gaps in every language.

Deterministic (seeded). Every language is the original of some articles and missing
from others; there are drafts, articles dated in the future, articles that override the
site's missing-version policy with ``fallback``, and outdated translations.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

from ushtil.project.text import text_digest

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("kk", "ru", "en")
WORDS = {
    "kk": (
        "қала әкім мектеп жаңалық ғылым өнер тарих мәдениет өңір халық қоғам жоба көпір өзен үміт"
    ).split(),
    "ru": (
        "город аким школа новости наука искусство история культура регион народ общество проект "
        "мост"
    ).split(),
    "en": (
        "city mayor school news science art history culture region people society project bridge"
    ).split(),
}


def _sentence(rng: random.Random, lang: str, n: int) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(n)]
    return " ".join(words).capitalize()


def _version(
    title: str,
    summary: str,
    body: str,
    *,
    source: tuple[str, str] | None = None,
    draft: bool = False,
) -> str:
    front = [
        f"title = {json.dumps(title, ensure_ascii=False)}",
        f"summary = {json.dumps(summary, ensure_ascii=False)}",
    ]
    if draft:
        front.append("draft = true")
    if source is not None:
        front += ["", "[translated_from]", f'lang = "{source[0]}"', f'digest = "{source[1]}"']
    return "+++\n" + "\n".join(front) + "\n+++\n" + body + "\n"


def generate(target: Path, n: int = 300, seed: int = 7) -> dict[str, dict[str, str]]:
    """Write the project; returns
    article ID → {lang: "published" | "draft" | "missing" | "future"}."""
    rng = random.Random(seed)
    target.mkdir(parents=True)
    for name in ("templates", "static", "locales", "i18n"):
        shutil.copytree(ROOT / name, target / name)
    (target / "site.toml").write_text(
        'base_url = "https://astana.example.kz"\n'
        'time_zone = "Asia/Almaty"\n'
        'languages = ["kk", "ru", "en"]\n'
        'default_language = "kk"\n'
        'missing = "hide"\n'
        "per_page = 20\n"
        "feed_size = 15\n"
        "required = []\n\n"
        "[categories]\n"
        'news = "News of the city"\n'
        'site = "About the website"\n',
        encoding="utf-8",
    )
    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    expected: dict[str, dict[str, str]] = {}
    for i in range(n):
        article_id = f"g{i:04d}"
        folder = target / "articles" / article_id
        folder.mkdir(parents=True)
        future = i % 97 == 5
        published = (
            start
            + dt.timedelta(hours=37 * i)
            + (dt.timedelta(days=3650) if future else dt.timedelta())
        )
        facts = [
            f"published = {published.isoformat()}",
            f'category = "{"site" if i % 9 == 0 else "news"}"',
        ]
        if i % 11 == 3:
            facts.append('missing = "fallback"')
        (folder / "article.toml").write_text("\n".join(facts) + "\n", encoding="utf-8")
        source = LANGS[i % 3]
        texts = {
            lang: (
                _sentence(rng, lang, 5),
                _sentence(rng, lang, 12),
                "\n\n".join(_sentence(rng, lang, 30) for _ in range(3)),
            )
            for lang in LANGS
        }
        digest = text_digest(*texts[source])
        states: dict[str, str] = {}
        for lang in LANGS:
            title, summary, body = texts[lang]
            if lang == source:
                (folder / f"{lang}.md").write_text(_version(title, summary, body), encoding="utf-8")
                states[lang] = "published"
                continue
            roll = rng.random()
            if roll < 0.2:
                states[lang] = "missing"
                continue
            draft = roll < 0.3
            stamped = (
                digest if rng.random() < 0.8 else text_digest("an older", "text", "of the source")
            )
            (folder / f"{lang}.md").write_text(
                _version(title, summary, body, source=(source, stamped), draft=draft),
                encoding="utf-8",
            )
            states[lang] = "draft" if draft else "published"
        if future:
            states = {lang: ("future" if s == "published" else s) for lang, s in states.items()}
        expected[article_id] = states
    return expected
