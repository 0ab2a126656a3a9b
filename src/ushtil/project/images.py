"""An article's images as the project states them: ``gallery`` in ``article.toml`` (files
of the article's folder, in order) and, in each ``<lang>.md``, one ``[images."<file>"]``
table per image with its ``alt``, ``caption`` and ``credit`` in that language.

Only reading: the files are checked to be plain files of the article's folder; what the
texts say is plain text (escaped where shown).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ushtil.project.model import ImageText
from ushtil.project.problems import Severity
from ushtil.project.tomlfields import Fields

IMAGE_TEXT_KEYS = ("alt", "caption", "credit")
# a name that becomes part of a URL: no control character, no path tricks
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def file_problem(folder: Path, shown: str, name: str) -> tuple[str, str] | None:
    """Why ``name`` cannot be one of the images of the article in ``folder`` (a code and
    a message), or None when it is a plain file inside it."""
    parts = PurePosixPath(name).parts
    if (
        not parts
        or name.startswith("/")
        or _UNSAFE.search(name)
        or any(part in ("", ".", "..") for part in parts)
    ):
        return "unsafe-path", f"image '{name}' must be a file inside the article folder"
    path = folder
    for part in parts:
        path = path / part
        if path.is_symlink():
            return "unsafe-path", f"image '{name}' is a link; put the file itself in {shown}/"
    if not path.is_file():
        return "no-image", f"image '{name}' does not exist in {shown}/"
    return None


def read_gallery(f: Fields, folder: Path, shown: str) -> tuple[str, ...]:
    """``gallery = ["a.jpg", "b.jpg"]`` of ``article.toml``: the files that exist, in order;
    problems (a missing file, a link, a name listed twice) go to ``f``."""
    names = f.strings("gallery") or ()
    kept: list[str] = []
    for name in names:
        problem = file_problem(folder, shown, name)
        if problem is not None:
            f.fail("gallery", *problem)
        elif name in kept:
            f.fail("gallery", "duplicate", f"image '{name}' is listed twice in 'gallery'")
        else:
            kept.append(name)
    return tuple(kept)


def read_image_texts(f: Fields) -> tuple[ImageText, ...]:
    """The ``[images."<file>"]`` tables of a version's front matter, in the file's order;
    an unknown key in one of them is a warning, like any unknown front-matter key."""
    table = f.sub("images")
    if table is None:
        return ()
    texts: list[ImageText] = []
    for name in table.data:
        one = table.sub(name)
        if one is None:
            continue
        one.unknown(IMAGE_TEXT_KEYS, severity=Severity.WARNING)
        texts.append(
            ImageText(
                file=name,
                alt=(one.string("alt") or "").strip(),
                caption=(one.string("caption") or "").strip(),
                credit=(one.string("credit") or "").strip(),
            )
        )
    return tuple(texts)
