#!/usr/bin/env python3
"""A deterministic trilingual corpus as an ushtil project, for benchmarks.

    python3 benchmarks/corpus.py --n 1000 --out /tmp/corpus-1000 [--shared ../shared/bench]

The articles come from the shared generator (``../shared/bench/gen_corpus.py``: seeded,
400–600 words per version, a heading, a quote, a list and a link), so Hugo can build the
very same corpus (``to_hugo.py``). The project has the sample portal's anatomy, as
``to_hugo.py`` gives the Hugo site: the repository's own ``site.toml``, templates,
catalogues and static files; the corpus's eight categories folded into the sample's six
(``gen_corpus.PORTAL_CATEGORY``) and every article tagged with the sample's rubric
(``gen_corpus.PORTAL_TAG``), so category pages and related news are the same work; 10
articles a page. The sample's glossary is on, less the entries of the terms the random
text uses without their translations (:data:`UNTRANSLATED`): it is read and every
translated version checked against it, and it warns about nothing. In this project's
layout: ``article.toml`` with the date, category and rubric, one ``<lang>.md`` per version
with TOML front matter. Each article's
original rotates between kk, ru and en; the others are stamped as translations of it,
and a share of them (``--outdated``, default 5 %) as outdated. ``--drop`` (default
``en=0.1 kk=0.03``) leaves versions missing. ``--images``: every article has a lead
photo (``lead.jpg``, 800 × 533, made with Pillow, a different one per article) with its
alt text, caption and credit in every version.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path
from xml.dom import minidom

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ushtil.project.text import text_digest  # noqa: E402

LANGS = ("kk", "ru", "en")
SHARED = ("templates", "static", "locales", "i18n")
GLOSSARY = Path("i18n") / "glossary.tbx"
# terms of the sample glossary that the generated text uses in one language with no
# translation in the others (random words, not translations): their entries would warn
UNTRANSLATED = ("mayor", "Astana", "Almaty", "Shymkent")
PER_PAGE = 10


def default_shared() -> Path:
    """``shared/bench`` beside the checkout (or beside a folder of worktrees above it)."""
    for parent in ROOT.parents:
        if (parent / "shared" / "bench" / "gen_corpus.py").is_file():
            return parent / "shared" / "bench"
    return ROOT.parent / "shared" / "bench"


def shared_generator(shared: Path):  # type: ignore[no-untyped-def]
    if not (shared / "gen_corpus.py").is_file():
        sys.exit(f"no corpus generator at {shared}/gen_corpus.py (pass --shared)")
    sys.path.insert(0, str(shared))
    import gen_corpus  # type: ignore[import-not-found]

    return gen_corpus


def toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_project(
    n: int,
    out: Path,
    shared: Path,
    *,
    drop: dict[str, float],
    outdated: float,
    seed: str = "20240101",
    images: bool = False,
) -> dict[str, int]:
    gen = shared_generator(shared)
    with tempfile.TemporaryDirectory() as tmp:
        neutral = Path(tmp) / "neutral"
        gen.generate(n, str(neutral), seed=seed, drop=drop)
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for name in SHARED:
            shutil.copytree(ROOT / name, out / name, ignore=shutil.ignore_patterns("glossary.tbx"))
        trim_glossary(ROOT / GLOSSARY, out / GLOSSARY, UNTRANSLATED)
        (out / "site.toml").write_text(portal_config(gen), encoding="utf-8")
        rng = random.Random(f"{seed}:provenance")
        counts = {"articles": 0, "versions": 0, "outdated": 0}
        by_article: dict[str, dict[str, tuple[dict[str, str], str]]] = {}
        for article_id, lang, meta, body in gen.iter_corpus(str(neutral)):
            by_article.setdefault(article_id, {})[lang] = (meta, body)
        for index, (article_id, versions) in enumerate(sorted(by_article.items())):
            folder = out / "articles" / article_id
            folder.mkdir(parents=True)
            first = next(iter(versions.values()))[0]
            facts = (
                f"published = {first['date']}\n"
                f"category = {toml(gen.PORTAL_CATEGORY[first['category']])}\n"
                f"tags = [{toml(gen.PORTAL_TAG)}]\n"
            )
            if images:
                facts += 'image = "lead.jpg"\n'
                lead_photo(folder / "lead.jpg", index)
            (folder / "article.toml").write_text(facts, encoding="utf-8")
            order = LANGS[index % 3 :] + LANGS[: index % 3]
            source = next(lang for lang in order if lang in versions)
            meta, body = versions[source]
            digest = text_digest(meta["title"], meta["summary"], body)
            for lang, (meta, body) in versions.items():
                front = [f"title = {toml(meta['title'])}", f"summary = {toml(meta['summary'])}"]
                if lang != source:
                    stamped = digest
                    if rng.random() < outdated:
                        stamped = text_digest(meta["title"], "an earlier text", "")
                        counts["outdated"] += 1
                    front += [
                        "",
                        "[translated_from]",
                        f"lang = {toml(source)}",
                        f"digest = {toml(stamped)}",
                    ]
                if images:
                    front += [
                        "",
                        '[images."lead.jpg"]',
                        f"alt = {toml(meta['title'])}",
                        f"caption = {toml(meta['summary'])}",
                        'credit = "Astana"',
                    ]
                (folder / f"{lang}.md").write_text(
                    "+++\n" + "\n".join(front) + "\n+++\n" + body, encoding="utf-8"
                )
                counts["versions"] += 1
            counts["articles"] += 1
    return counts


def portal_config(gen) -> str:  # type: ignore[no-untyped-def]
    """The sample's own ``site.toml`` with 10 articles a page; refused if it lacks a
    category or the rubric the corpus is folded into."""
    text = (ROOT / "site.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)
    missing = set(gen.PORTAL_CATEGORY.values()) - set(config.get("categories", {}))
    if gen.PORTAL_TAG not in config.get("tags", {}):
        missing.add(gen.PORTAL_TAG)
    if missing:
        sys.exit(f"site.toml declares no {', '.join(sorted(missing))}: the corpus needs them")
    text, count = re.subn(r"(?m)^per_page\s*=.*$", f"per_page = {PER_PAGE}", text)
    if count != 1:
        sys.exit("site.toml: no single per_page line to set")
    return text


def trim_glossary(source: Path, target: Path, terms: tuple[str, ...]) -> list[str]:
    """Copy a TBX glossary less every ``termEntry`` that has one of ``terms``; the IDs of
    the entries left out."""
    document = minidom.parse(str(source))  # the repository's own file, no DTD is read
    dropped: list[str] = []
    for entry in document.getElementsByTagName("termEntry"):
        found = {
            "".join(node.data for node in term.childNodes if node.nodeType == node.TEXT_NODE)
            for term in entry.getElementsByTagName("term")
        }
        parent = entry.parentNode
        if found & set(terms) and isinstance(parent, minidom.Element):
            before = entry.previousSibling
            if isinstance(before, minidom.Text) and not before.data.strip():
                parent.removeChild(before)
            parent.removeChild(entry)
            dropped.append(entry.getAttribute("id"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document.toxml(encoding="UTF-8") + b"\n")
    return dropped


def lead_photo(path: Path, index: int) -> None:
    """A photo-sized JPEG, different for every article: bands of colour and noise."""
    from PIL import Image, ImageDraw

    rng = random.Random(index)
    image = Image.effect_noise((800, 533), 40).convert("RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(12):
        x, y = rng.randrange(800), rng.randrange(533)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 140)
        draw.rectangle((x, y, x + rng.randrange(80, 400), y + rng.randrange(40, 200)), colour)
    image.save(path, "JPEG", quality=85)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument(
        "--drop", action="append", metavar="LANG=FRAC", help="default: en=0.1 kk=0.03"
    )
    parser.add_argument("--outdated", type=float, default=0.05)
    parser.add_argument("--images", action="store_true", help="a lead photo per article")
    args = parser.parse_args()
    drop = dict(
        (d.split("=")[0], float(d.split("=")[1])) for d in (args.drop or ["en=0.1", "kk=0.03"])
    )
    print(
        json.dumps(
            make_project(
                args.n, args.out, args.shared, drop=drop, outdated=args.outdated, images=args.images
            )
        )
    )


if __name__ == "__main__":
    main()
