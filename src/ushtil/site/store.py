"""Signed JSON files for what a build remembers (``.ushtil-cache/``), and the JSON form
of the values in them.

The cache folder is inside the project, which is untrusted input, so nothing in it can
run code: each file is JSON (``MAGIC``, the HMAC, a newline, the JSON text), the HMAC
is made with the user's key (:mod:`ushtil.project.private`) over the file's name and its JSON,
and values are rebuilt by the explicit converters below, one per type, never by a
name found in the data. A file whose HMAC does not verify (written by someone else,
copied from another machine, damaged) reads as absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ushtil.project import private
from ushtil.project.model import Facts, ImageText, MissingPolicy, Provenance, Version
from ushtil.project.problems import Diagnostic, Location, Severity
from ushtil.site.outputs import Indexed

MAGIC = b"ushtil-cache"
CHUNKS = 4096  # pieces of JSON joined before each write
STREAMED_LEVELS = 2  # the state's own fields, and the entries of each

Json = Any  # what json.loads returns


def read(secret: bytes | None, path: Path) -> Json:
    """The JSON value in ``path`` if this user's key signed it; else None."""
    if secret is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            head = handle.readline()
            data = handle.read()
        magic, mac = head.rstrip(b"\n").split(b" ")
        if magic != MAGIC or not private.verify(
            secret, path.name.encode() + b"\0" + data, mac.decode("ascii")
        ):
            return None
        return json.loads(data)
    except (OSError, ValueError):  # missing, foreign or damaged: no cache
        return None


def write(secret: bytes | None, path: Path, value: Json) -> None:
    """``value`` as a signed JSON file, written beside ``path`` and renamed over it. The
    JSON is streamed to the file (never held whole in memory) and signed as it goes; the
    signature then fills the header line kept for it."""
    if secret is None:
        return
    signer = hmac.new(secret, path.name.encode() + b"\0", hashlib.sha256)
    header = len(MAGIC) + 1 + signer.digest_size * 2 + 1
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(b" " * header)
            chunks: list[str] = []
            for chunk in _pieces(encoder.encode, value, STREAMED_LEVELS):
                chunks.append(chunk)
                if len(chunks) >= CHUNKS:
                    _put(handle, signer, chunks)
            _put(handle, signer, chunks)
            handle.seek(0)
            handle.write(MAGIC + b" " + signer.hexdigest().encode("ascii") + b"\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pieces(encode: Callable[[Json], str], value: Json, levels: int) -> Iterator[str]:
    """``value`` as JSON text in pieces: the items of its first ``levels`` levels of
    objects one by one, each encoded whole (by the C encoder, which ``iterencode`` never
    uses), so no piece is larger than one entry."""
    if levels and isinstance(value, dict):
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            yield ("," if n else "") + encode(key) + ":"
            yield from _pieces(encode, item, levels - 1)
        yield "}"
    else:
        yield encode(value)


def _put(handle: BinaryIO, signer: hmac.HMAC, chunks: list[str]) -> None:
    data = "".join(chunks).encode("utf-8")
    signer.update(data)
    handle.write(data)
    chunks.clear()


# --- converters: value → JSON → value ---------------------------------------------------


def moment_json(value: dt.datetime | None) -> Json:
    if value is None:
        return None
    zone = value.tzinfo
    if isinstance(zone, zoneinfo.ZoneInfo):
        return [value.replace(tzinfo=None).isoformat(), zone.key, value.fold]
    if zone is None or isinstance(zone, dt.timezone):
        return value.isoformat()
    raise TypeError(f"cannot remember a time in {zone!r}")


def moment(data: Json) -> dt.datetime | None:
    if data is None:
        return None
    if isinstance(data, list):
        text, key, fold = data
        return dt.datetime.fromisoformat(text).replace(tzinfo=zoneinfo.ZoneInfo(key), fold=fold)
    return dt.datetime.fromisoformat(data)


def location_json(value: Location) -> Json:
    return [value.path, value.line]


def location(data: Json) -> Location:
    return Location(str(data[0]), data[1])


def diagnostic_json(value: Diagnostic) -> Json:
    return [
        value.severity.value,
        value.location.path,
        value.location.line,
        value.code,
        value.message,
    ]


def diagnostic(data: Json) -> Diagnostic:
    severity, path, line, code, message = data
    return Diagnostic(Severity(severity), Location(path, line), code, message)


def diagnostics(data: Json) -> list[Diagnostic]:
    return [diagnostic(d) for d in data]


def indexed_json(value: Indexed | None) -> Json:
    if value is None:
        return None
    return [value.loc, [list(a) for a in value.alternates], moment_json(value.lastmod)]


def indexed(data: Json) -> Indexed | None:
    if data is None:
        return None
    loc, alternates, lastmod = data
    return Indexed(loc, tuple((h, u) for h, u in alternates), moment(lastmod))


def version_json(value: Version) -> Json:
    source = value.translated_from
    return [
        value.article_id,
        value.lang,
        value.title,
        value.summary,
        value.body,
        location_json(value.location),
        value.body_line,
        value.digest,
        None if source is None else [source.lang, source.digest, source.own_digest],
        value.draft,
        value.body_elided,
        value.body_hash,
        [[t.name, t.alt, t.caption, t.credit, t.line] for t in value.images],
    ]


def version(data: Json) -> Version:
    (
        article_id,
        lang,
        title,
        summary,
        body,
        where,
        body_line,
        digest,
        source,
        draft,
        elided,
        body_hash,
        images,
    ) = data
    return Version(
        article_id,
        lang,
        title,
        summary,
        body,
        location(where),
        body_line,
        digest,
        None if source is None else Provenance(*source),
        draft,
        elided,
        body_hash,
        tuple(ImageText(str(n), str(a), str(c), str(r), int(li)) for n, a, c, r, li in images),
    )


def facts_json(value: Facts) -> Json:
    return [
        moment_json(value.published),
        value.category,
        list(value.tags),
        value.image,
        value.missing,
        list(value.gallery),
    ]


def facts(data: Json) -> Facts:
    published, category, tags, image, missing, gallery = data
    when = moment(published)
    if when is None:
        raise ValueError("an article without a date")
    policy = None if missing is None else MissingPolicy(missing)
    return Facts(when, category, tuple(tags), image, policy, tuple(gallery))
