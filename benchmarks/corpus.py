#!/usr/bin/env python3
"""A deterministic trilingual corpus as an ushtil project, for benchmarks.

    python3 benchmarks/corpus.py --n 1000 --out /tmp/corpus-1000 [--shared ../shared/bench]

The articles come from the shared generator (``../shared/bench/gen_corpus.py``: seeded,
400–600 words per version, a heading, a quote, a list and a link), so Hugo can build the
very same corpus (``to_hugo.py``). In this project's layout: ``article.toml`` with the date
and category, one ``<lang>.md`` per version with TOML front matter. Each article's
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
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ushtil.project.text import text_digest  # noqa: E402

LANGS = ("kk", "ru", "en")
SHARED = ("templates", "static", "locales", "i18n")


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
        for name in SHARED:  # not the glossary: generated text is no translation of its source
            shutil.copytree(ROOT / name, out / name, ignore=shutil.ignore_patterns("glossary.tbx"))
        categories = "\n".join(
            f"{slug} = {toml(names['en'])}" for slug, names in sorted(gen.CATEGORIES.items())
        )
        (out / "site.toml").write_text(
            'base_url = "https://news.example.kz"\ntime_zone = "Asia/Almaty"\n'
            'languages = ["kk", "ru", "en"]\ndefault_language = "kk"\nmissing = "hide"\n'
            "per_page = 20\nfeed_size = 20\nrequired = []\n\n"
            f"[categories]\n{categories}\n",
            encoding="utf-8",
        )
        rng = random.Random(f"{seed}:provenance")
        counts = {"articles": 0, "versions": 0, "outdated": 0}
        by_article: dict[str, dict[str, tuple[dict, str]]] = {}
        for article_id, lang, meta, body in gen.iter_corpus(str(neutral)):
            by_article.setdefault(article_id, {})[lang] = (meta, body)
        for index, (article_id, versions) in enumerate(sorted(by_article.items())):
            folder = out / "articles" / article_id
            folder.mkdir(parents=True)
            first = next(iter(versions.values()))[0]
            facts = f"published = {first['date']}\ncategory = {toml(first['category'])}\n"
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
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
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
