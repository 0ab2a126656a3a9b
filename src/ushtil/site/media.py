"""The articles' images as outputs of the build, and what templates know of them.

Every image of a published article is probed (:func:`ushtil.site.images.probe`; the
probe is remembered in the build cache while the file keeps its size and change time)
and becomes one :class:`~ushtil.engine.ledger.Output`: its variants, keyed by the
image's content, so the ledger takes them over from the previous build while the image
is unchanged. A file that cannot be published is an error naming it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from stat import S_ISREG

from ushtil.engine.cache import BuildCache, ImageMemo, digest
from ushtil.engine.changes import file_key
from ushtil.engine.counters import Counters
from ushtil.engine.ledger import File, Output
from ushtil.project import layout
from ushtil.project.model import Article
from ushtil.project.pictures import EXTENSIONS, links_out
from ushtil.project.problems import Diagnostic, Location, error
from ushtil.site.graph import Graph
from ushtil.site.images import (
    DIGEST_SIZE,
    MEDIA,
    ImageProblem,
    Picture,
    Probe,
    code_version,
    encode,
    probe,
    variants,
)

DIGEST = re.compile(f"[0-9a-f]{{{2 * DIGEST_SIZE}}}\\Z")


def outlives_fingerprint(path: str) -> bool:
    """Whether the output file ``path`` is kept in the cache when the fingerprint changes:
    a photo's variants, keyed by the photo and the code that makes them alone."""
    return path.startswith(f"{MEDIA}/")


@dataclass
class Media:
    """The published images, by (article ID, file name); problems met making them."""

    pictures: dict[tuple[str, str], Picture] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    def picture(self, article_id: str, name: str) -> Picture | None:
        return self.pictures.get((article_id, name))

    def lead(self, article: Article) -> Picture | None:
        return self.picture(article.id, article.image) if article.image else None

    def all(self, article: Article) -> list[Picture]:
        """The lead image and the gallery's, those that could be published."""
        found = (self.picture(article.id, name) for name in article.pictures)
        return [p for p in found if p is not None]

    def gallery(self, article: Article) -> list[Picture]:
        found = (self.picture(article.id, name) for name in article.gallery)
        return [p for p in found if p is not None]


Report = Callable[[Iterable[Diagnostic]], None]


def plan_media(
    graph: Graph,
    root: Path,
    report: Report,
    cache: BuildCache | None = None,
    counters: Counters | None = None,
) -> tuple[Media, list[Output]]:
    """The images of every article that has a page, and the outputs that make their
    variants, keyed by the image and :func:`~ushtil.site.images.code_version` (not by
    the templates: a template's edit makes no photo again). An image whose header is
    wrong is in ``Media.problems``; one that cannot be decoded goes to ``report`` when
    its output is made (maybe in a worker process: the templates' problems travel back
    from there). Photos checked and probed are counted in ``counters``."""
    counters = counters if counters is not None else Counters()
    media = Media()
    version = code_version()
    outputs: list[Output] = []
    memo: dict[str, ImageMemo] = {}
    planned: set[str] = set()
    for links in graph.articles:
        article = links.article
        if not any(s.exists for s in links.slots):
            continue
        folder = os.path.join(root, layout.ARTICLES, article.id)
        for name in article.pictures:
            shown = f"{layout.ARTICLES}/{article.id}/{name}"
            path = os.path.join(folder, name)
            counters.add("photos_checked")
            memo_key = f"{version}:{shown}"
            found = _probe(folder, name, memo_key, shown, cache, memo, media.problems, counters)
            if found is None:
                continue
            picture = variants(article.id, name, found)
            media.pictures[(article.id, name)] = picture
            if picture.paths[0] in planned:  # the same file under another folder: made once
                continue
            planned.add(picture.paths[0])
            key = digest(version, "image", article.id, picture.key)
            outputs.append(Output(picture.paths, key, partial(_make, path, shown, picture, report)))
    if cache is not None and memo != cache.state.images:
        cache.state.images = memo
        cache.dirty = True
    return media, outputs


def _probe(
    folder: str,
    name: str,
    remembered_as: str,
    shown: str,
    cache: BuildCache | None,
    memo: dict[str, ImageMemo],
    problems: list[Diagnostic],
    counters: Counters,
) -> Probe | None:
    """The image's probe: remembered while its size and change time are unchanged, else
    read."""
    path = os.path.join(folder, name)
    try:
        stat = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        problems.append(
            error(Location(shown), "no-image", f"missing: {layout.ARTICLE_FILE} names it")
        )
        return None
    except OSError as exc:
        problems.append(error(Location(shown), "image", f"cannot read the file: {exc.strerror}"))
        return None
    if not S_ISREG(stat.st_mode) or ("/" in name and links_out(Path(folder), name)):
        message = "a link or not a file: put the image file itself in the article's folder"
        problems.append(error(Location(shown), "unsafe-path", message))
        return None
    if cache is not None:
        kept = cache.state.images.get(remembered_as)
        if kept is not None and kept[:2] == file_key(stat) and _sound(kept):
            memo[remembered_as] = kept
            _, _, hexdigest, width, height, kind, alpha = kept
            return Probe(hexdigest, width, height, kind, alpha)
    counters.add("photos_probed")
    try:
        found = probe(Path(path))
    except ImageProblem as exc:
        problems.append(error(Location(shown), "image", str(exc)))
        return None
    memo[remembered_as] = (
        *file_key(stat),
        found.digest,
        found.width,
        found.height,
        found.kind,
        found.alpha,
    )
    return found


def _sound(kept: ImageMemo) -> bool:
    """A remembered probe names nothing but what a probe can give (it becomes file names)."""
    _, _, hexdigest, width, height, kind, _ = kept
    return (
        DIGEST.fullmatch(hexdigest) is not None
        and width > 0
        and height > 0
        and kind in EXTENSIONS.values()
    )


def _make(path: str, shown: str, picture: Picture, report: Report) -> list[File] | None:
    try:
        made = encode(Path(path), picture)
    except ImageProblem as exc:
        report([error(Location(shown), "image", str(exc))])
        return None
    return [File(p, content) for p, content in made.items()]
