"""A generated site for the work counters: cheap to build at any size, every kind of input.

Deterministic. Every article has its original in Russian and current Kazakh and English
translations (so the glossary checks every translation), short bodies, and every tenth a
small lead photo with its texts in each version; every fortieth is in the small
category, the others in the large one. The glossary has one concept; every
tenth article (``TERM_EVERY``, ``TERM_AT``) uses its term in each language, with its
approved translation, so the glossary warns about nothing until an edit makes it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from PIL import Image

from ushtil.project.text import text_digest

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("kk", "ru", "en")
PHOTO_EVERY = 10
SITE_EVERY = 40  # articles in the small category ("site"); the others are "news"
TERM_EVERY, TERM_AT = 10, 5  # articles using the glossary's term: i % TERM_EVERY == TERM_AT
TERM = {"kk": "әкімдік", "ru": "акимат", "en": "akimat"}
WORDS = {
    "kk": "қала мектеп жаңалық ғылым өнер тарих мәдениет өңір халық қоғам жоба көпір".split(),
    "ru": "город школа новости наука искусство история культура регион народ проект".split(),
    "en": "city school news science art history culture region people society bridge".split(),
}
GLOSSARY = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>counted site</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="akimat">
      <langSet xml:lang="kk"><tig><term>әкімдік</term></tig></langSet>
      <langSet xml:lang="ru"><tig><term>акимат</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>akimat</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""
START = dt.datetime(2020, 1, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def article_id(i: int) -> str:
    return f"a{i:05d}"


def _words(lang: str, i: int, n: int) -> str:
    words = WORDS[lang]
    return " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(n)).capitalize()


def version(
    title: str, summary: str, body: str, source: str | None, photo: str | None
) -> str:
    front = [f"title = {json.dumps(title)}", f"summary = {json.dumps(summary)}"]
    if photo is not None:
        front += ["", f'[images."{photo}"]', f'alt = "{title}"', f'caption = "{summary}"']
    if source is not None:
        front += ["", "[translated_from]", 'lang = "ru"', f'digest = "{source}"']
    return "+++\n" + "\n".join(front) + "\n+++\n" + body + "\n"


def write_article(project: Path, i: int, *, photo: bool | None = None) -> Path:
    """Article ``i`` (the higher, the newer), its photo if it has one; its folder."""
    folder = project / "articles" / article_id(i)
    folder.mkdir(parents=True)
    lead = "lead.png" if (i % PHOTO_EVERY == 0 if photo is None else photo) else None
    facts = [
        f"published = {(START + dt.timedelta(hours=5 * i)).isoformat()}",
        f'category = "{"site" if i % SITE_EVERY == 0 else "news"}"',
    ]
    if lead is not None:
        facts.append(f'image = "{lead}"')
        Image.new("RGB", (40, 30), (i % 256, 90, 160)).save(folder / lead)
    (folder / "article.toml").write_text("\n".join(facts) + "\n", encoding="utf-8")
    term = i % TERM_EVERY == TERM_AT
    texts = {
        lang: (
            f"{_words(lang, i, 3)} {i}",
            _words(lang, i + 1, 6),
            f"{_words(lang, i + 2, 12)} {i}" + (f" {TERM[lang]}." if term else "."),
        )
        for lang in LANGS
    }
    source = text_digest(*texts["ru"])
    for lang in LANGS:
        made_from = None if lang == "ru" else source
        text = version(*texts[lang], made_from, lead)
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")
    return folder


def generate(project: Path, n: int, *, search: bool = False) -> Path:
    """A project of ``n`` articles at ``project``."""
    project.mkdir(parents=True)
    for name in ("templates", "static", "locales"):
        shutil.copytree(ROOT / name, project / name)
    (project / "i18n").mkdir()
    (project / "i18n" / "glossary.tbx").write_text(GLOSSARY, encoding="utf-8")
    (project / "site.toml").write_text(
        'base_url = "https://example.kz"\n'
        'time_zone = "Asia/Almaty"\n'
        'languages = ["kk", "ru", "en"]\n'
        'default_language = "kk"\n'
        'missing = "hide"\n'
        "per_page = 10\n"
        "feed_size = 10\n"
        'required = ["kk", "ru"]\n\n'
        f"[search]\nenabled = {'true' if search else 'false'}\n\n"
        "[categories]\n"
        'news = "News of the city"\n'
        'site = "About the website"\n',
        encoding="utf-8",
    )
    for i in range(n):
        write_article(project, i)
    return project
