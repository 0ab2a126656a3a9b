"""An article's photos as the project states them, checked where they are read.

``article.toml`` lists the files once (``image``, the lead image, and ``gallery``, in
order); each ``<lang>.md`` describes every one of them in its language::

    [images."lead.jpg"]
    alt = "…"        # the text alternative
    caption = "…"    # shown under the photo
    credit = "…"     # who took it

The file names are checked here (inside the article folder, no link, an image type the
site publishes); the files' contents are judged when they are published
(``site.images``).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ushtil.project import layout
from ushtil.project.model import Article, ImageText, Version
from ushtil.project.problems import Diagnostic, Location, Severity, error, warning
from ushtil.project.tomlfields import Fields

# the kinds of file an image may be, by extension; the content must agree (site.images)
EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
TEXT_KEYS = ("alt", "caption", "credit")


def image_problem(folder: Path, shown: str, name: str) -> tuple[str, str] | None:
    """Why ``name`` (from article.toml) cannot be an image of the article in ``folder``,
    as (code, message); None when it can."""
    if not safe_relative(name):
        return "unsafe-path", f"image '{name}' must be a file inside the article folder"
    if links_out(folder, name):
        return "unsafe-path", f"image '{name}' is a link; put the file itself in {shown}/"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".svg":
        return (
            "image-type",
            f"image '{name}': SVG is not published (it can carry script); save it as PNG or JPEG",
        )
    if suffix not in EXTENSIONS:
        kinds = ", ".join(sorted(EXTENSIONS))
        return "image-type", f"image '{name}' must be one of {kinds}"
    if not (folder / name).is_file():
        return "no-image", f"image '{name}' does not exist in {shown}/"
    return None


def read_images(f: Fields, folder: Path, shown: str) -> tuple[str | None, tuple[str, ...]]:
    """``image`` and ``gallery`` of article.toml; a file that cannot be one is reported
    (into ``f``) and left out."""
    image = f.string("image", nonempty=True)
    if image is not None:
        problem = image_problem(folder, shown, image)
        if problem is not None:
            f.fail("image", *problem)
            image = None
    gallery: list[str] = []
    for name in f.strings("gallery") or ():
        problem = image_problem(folder, shown, name)
        if problem is not None:
            f.fail("gallery", *problem)
        elif name in gallery or name == image:
            f.fail("gallery", "duplicate", f"image '{name}' is listed twice")
        else:
            gallery.append(name)
    return image, tuple(gallery)


def read_image_texts(f: Fields) -> tuple[ImageText, ...]:
    """The front matter's ``[images."<file>"]`` tables (alt, caption, credit)."""
    images = f.sub("images")
    if images is None:
        return ()
    found = []
    for name in images.data:
        table = images.sub(name)
        if table is None:
            continue
        table.unknown(TEXT_KEYS, severity=Severity.WARNING)  # as the front matter's own keys
        texts = [(table.string(key) or "").strip() for key in TEXT_KEYS]
        line = table.where("alt").line or 1
        found.append(ImageText(name, texts[0], texts[1], texts[2], line))
    return tuple(found)


def image_text_problems(article: Article, *, strict: bool = False) -> list[Diagnostic]:
    """Every published version must give each image of the article its alt text (a
    warning; an error when ``strict``); a description of a file article.toml does not
    list is a warning."""
    problems: list[Diagnostic] = []
    make = error if strict else warning
    pictures = article.pictures
    for version in article.versions:
        if version.draft:
            continue
        for name in pictures:
            text = version.image_text(name)
            if text is None or not text.alt:
                where = Location(version.location.path, text.line if text else 1)
                problems.append(
                    make(
                        where,
                        "no-alt",
                        f"image '{name}' has no alt text in this language: add "
                        f'[images."{name}"] alt = "…" (what the photo shows)',
                    )
                )
        problems += _unlisted(version, pictures)
    return problems


def _unlisted(version: Version, pictures: tuple[str, ...]) -> list[Diagnostic]:
    return [
        warning(
            Location(version.location.path, text.line),
            "unknown-image",
            f"describes image '{text.name}', which {layout.ARTICLE_FILE} does not list "
            "(as image or in gallery)",
        )
        for text in version.images
        if text.name not in pictures
    ]


def links_out(folder: Path, name: str) -> bool:
    """Whether ``folder/name`` is, or passes through, a symbolic link."""
    path = folder
    for part in PurePosixPath(name).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def safe_relative(name: str) -> bool:
    p = PurePosixPath(name)
    return (
        bool(p.parts)
        and not p.is_absolute()
        and "\\" not in name
        and all(part not in ("..", ".", "") for part in p.parts)
        and not name.startswith("/")
        and CONTROL.search(name) is None  # it becomes a URL: no newline, tab or the like
    )
