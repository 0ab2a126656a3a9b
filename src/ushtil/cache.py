"""What a build remembers for the next one, in ``.ushtil-cache/`` beside the sources.

- **sources**: each article file's parse, keyed by its path, size and modification time,
  so unchanged files are not read or parsed again;
- **outputs**: for every file of the last output, the key of everything it was made from
  (and its sitemap entry), so a page whose inputs did not change is taken over from the
  previous output (a hard link) instead of being rendered again;
- **bodies**: the HTML of every article body, keyed by its text, loaded only when a page
  must be rendered.

Every key includes a fingerprint of the templates, catalogues, ``site.toml`` and ushtil
itself: change any of them and everything is rendered again. A cache that cannot be
read is ignored (the build is then a clean one); ``ushtil build --clean`` ignores it on
purpose. The output is byte-identical either way.

The folder is inside the project, which is untrusted input, so nothing in it can run
code: the files are JSON, decoded into an allow-list of ushtil's own value types, and
each carries an HMAC made with the user's key (:mod:`ushtil.private`, outside the
project). A file whose signature does not match (written by someone else, copied from
another machine, damaged) is ignored. Without a usable key nothing is cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import stat as stat_module
import sys
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__, private

CACHE_DIR = ".ushtil-cache"
FORMAT = 2
MAGIC = b"ushtil-cache"
FEW_BODIES = 50  # bodies a build may ask for before the whole store is worth reading


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def fingerprint(root: Path) -> str:
    """Everything every page depends on: templates, catalogues, site.toml, ushtil and the
    libraries that shape the output."""
    import babel
    import jinja2
    import markdown_it
    import nh3

    h = hashlib.blake2b(digest_size=16)
    h.update(repr((FORMAT, __version__, sys.version_info[:2], babel.__version__, jinja2.__version__, markdown_it.__version__, nh3.__version__)).encode())
    package = Path(__file__).resolve().parent
    files = sorted(package.glob("*.py"))
    for folder in ("templates", "locales"):
        if (root / folder).is_dir():
            files += sorted(p for p in (root / folder).rglob("*") if p.is_file() and p.suffix != ".mo")
    files.append(root / "site.toml")
    for path in files:
        try:
            h.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(str(path).encode() + b"\0missing")
    return h.hexdigest()


@dataclass
class BuildCache:
    root: Path
    fingerprint: str = ""
    sources: dict[str, tuple[int, int, Any]] = field(default_factory=dict)
    outputs: dict[str, tuple[str, Any]] = field(default_factory=dict)  # path → (key, Indexed | None)
    diagnostics: list[Any] = field(default_factory=list)  # render warnings of reused pages
    out: str = ""  # the output folder these outputs are in
    written: list[str] = field(default_factory=list)  # every file of that output
    signature: str = ""  # of every input file's size and time, at the last build
    report: Any = None  # that build's diagnostics and page count
    due: float = float("inf")  # when the next dated article gets published (POSIX time)
    dirty: bool = False
    _bodies: dict[str, str] | None = None
    used_bodies: set[str] = field(default_factory=set)
    bodies_added: bool = False
    body_asks: int = 0
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # seen by this build's signature
    _extra: dict[str, str] | None = None
    _rows: dict[str, str] | None = None
    new_rows: dict[str, str] = field(default_factory=dict)

    secret: bytes | None = None  # the user's key; None: nothing is read or written

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR

    # --- sources ----------------------------------------------------------------

    def _stat(self, path: Path) -> tuple[int, int] | None:
        seen = self.stats.get(os.fspath(path))  # this build's signature has just looked
        if seen is not None:
            return seen
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def source(self, path: Path, shown: str) -> Any | None:
        stat = self._stat(path)
        found = self.sources.get(shown)
        if stat is not None and found is not None and (found[0], found[1]) == stat:
            return found[2]
        return None

    def remember_source(self, path: Path, shown: str, value: Any) -> None:
        stat = self._stat(path)
        if stat is None:
            return
        self.sources[shown] = (stat[0], stat[1], value)
        self.dirty = True

    # --- bodies -----------------------------------------------------------------

    @property
    def bodies(self) -> dict[str, str]:
        if self._bodies is None:
            self._bodies = {**(_read(self.secret, self.folder / "bodies.json") or {}), **self.extra_bodies}
        return self._bodies

    @property
    def extra_bodies(self) -> dict[str, str]:
        """Bodies rendered by builds that did not read the whole store: a small file."""
        if self._extra is None:
            self._extra = _read(self.secret, self.folder / "bodies-extra.json") or {}
        return self._extra

    def body(self, key: str) -> str | None:
        """A remembered body's HTML; the whole store is read only once many are wanted
        (a build that renders a page or two renders their bodies instead)."""
        self.body_asks += 1
        if self._bodies is None and self.body_asks <= FEW_BODIES:
            return self.extra_bodies.get(key)
        found = self.bodies.get(key)
        if found is not None:
            self.used_bodies.add(key)
        return found

    def remember_body(self, key: str, html: str) -> None:
        if self._bodies is None:
            self.extra_bodies[key] = html
        else:
            self.bodies[key] = html
        self.used_bodies.add(key)
        self.bodies_added = True

    # --- dashboard rows ---------------------------------------------------------

    @property
    def rows(self) -> dict[str, str]:
        if self._rows is None:
            self._rows = _read(self.secret, self.folder / "rows.json") or {}
        return self._rows

    def remember_row(self, key: str, html: str) -> None:
        self.new_rows[key] = html

    # --- persistence ------------------------------------------------------------

    def save(self) -> None:
        """Remember this build (signed); does nothing without a key or where the cache
        folder is not a real folder of the project (a symbolic link is never followed)."""
        if self.secret is None or not _own_folder(self.folder):
            return
        _write(
            self.secret,
            self.folder / "state.json",
            (FORMAT, self.fingerprint, self.sources, self.outputs, self.diagnostics, self.out, self.written,
             self.signature, self.report, self.due),
        )
        if self._bodies is not None:
            kept = {k: v for k, v in self._bodies.items() if k in self.used_bodies}
            if kept != self._bodies or self.bodies_added:
                _write(self.secret, self.folder / "bodies.json", kept)
            (self.folder / "bodies-extra.json").unlink(missing_ok=True)
        elif self._extra is not None and self.bodies_added:
            _write(self.secret, self.folder / "bodies-extra.json", self._extra)
        _write(self.secret, self.folder / "quick.json", (FORMAT, self.signature, self.report, self.due, self.out))
        if self.new_rows and self.new_rows != self._rows:
            _write(self.secret, self.folder / "rows.json", self.new_rows)


def quick(root: Path) -> tuple[str, Any, float, str] | None:
    """The last build's signature, report, due time and output folder: all that deciding
    "nothing changed" needs, without loading the rest."""
    state = _read(private.key(root), root / CACHE_DIR / "quick.json")
    if isinstance(state, tuple) and len(state) == 5 and state[0] == FORMAT:
        return state[1], state[2], state[3], state[4]
    return None


def load(root: Path, *, clean: bool = False) -> BuildCache:
    cache = BuildCache(root, secret=private.key(root))
    if clean:
        return cache
    state = _read(cache.secret, cache.folder / "state.json")
    if isinstance(state, tuple) and len(state) == 10 and state[0] == FORMAT:
        (_, cache.fingerprint, cache.sources, cache.outputs, cache.diagnostics, cache.out, cache.written,
         cache.signature, cache.report, cache.due) = state
    return cache


def signature(root: Path, out: Path, fp: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """Sizes and modification times of every input, with ``fp`` (the templates',
    catalogues' and ushtil's own :func:`fingerprint`) and git's HEAD (commit times date outdated versions): equal
    signatures mean an equal site, short of the clock passing an article's date. Also
    the (modification time, size) of every file it looked at, so they are not asked twice."""
    h = hashlib.blake2b(digest_size=16)
    h.update(fp.encode() + str(out).encode())
    stats: dict[str, tuple[int, int]] = {}
    stack = [root / "articles", root / "static"]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                stat = entry.stat(follow_symlinks=False)
                stats[entry.path] = (stat.st_mtime_ns, stat.st_size)
                h.update(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    head = root / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        h.update(ref.encode())
        if ref.startswith("ref: "):
            h.update((root / ".git" / ref[5:]).read_bytes())
    except OSError:
        pass
    return h.hexdigest(), stats


def _own_folder(path: Path) -> bool:
    """``path`` is (made as) a real folder, not a symbolic link to somewhere else."""
    try:
        path.mkdir(exist_ok=True)
        return stat_module.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _read(secret: bytes | None, path: Path) -> Any:
    """The value in a cache file, if its signature is this user's; else None."""
    if secret is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            head = handle.readline()
            data = handle.read()
        magic, mac = head.rstrip(b"\n").split(b" ")
        if magic != MAGIC or not private.verify(secret, path.name.encode() + b"\0" + data, mac.decode("ascii")):
            return None
        return json.loads(data, object_hook=_decode_object)
    except Exception:  # a missing, old, foreign or damaged cache is no cache
        return None


def _write(secret: bytes | None, path: Path, value: Any) -> None:
    if secret is None:
        return
    data = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    mac = private.sign(secret, path.name.encode() + b"\0" + data)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + b" " + mac.encode("ascii") + b"\n" + data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- a JSON form for the values a build remembers -------------------------------------
# Only the types named in _types() are ever made from a cache file, field by field: no
# class, function or code is named by the data itself.


def _types() -> dict[str, type]:
    from .content import Facts
    from .errors import Diagnostic, Location, Severity
    from .model import Provenance, Version
    from .outputs import Indexed

    return {t.__name__: t for t in (Location, Diagnostic, Severity, Version, Provenance, Indexed, Facts)}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, enum.Enum):
        return {"$e": type(value).__name__, "v": value.value}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return {"$c": type(value).__name__, "f": [_encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return _encode_datetime(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {"$c": type(value).__name__, "f": [_encode(getattr(value, f.name)) for f in fields]}
    raise TypeError(f"cannot remember a {type(value).__name__}")


def _encode_datetime(value: dt.datetime) -> dict[str, Any]:
    zone = value.tzinfo
    if isinstance(zone, zoneinfo.ZoneInfo):
        return {"$dt": value.replace(tzinfo=None).isoformat(), "z": zone.key, "fold": value.fold}
    if zone is None or isinstance(zone, dt.timezone):
        return {"$dt": value.isoformat()}
    raise TypeError(f"cannot remember a time in {zone!r}")


_TYPES: dict[str, type] = {}
_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "$t": lambda o: tuple(o["$t"]),
    "$d": lambda o: {k: v for k, v in o["$d"]},
    "$e": lambda o: _TYPES[o["$e"]](o["v"]),
    "$c": lambda o: _TYPES[o["$c"]](*o["f"]),
}


def _decode_object(obj: dict[str, Any]) -> Any:
    if not _TYPES:
        _TYPES.update(_types())
    if "$dt" in obj:
        moment = dt.datetime.fromisoformat(obj["$dt"])
        if "z" in obj:
            moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(obj["z"]), fold=obj["fold"])
        return moment
    for tag, decode in _DECODERS.items():
        if tag in obj:
            return decode(obj)
    raise ValueError("not a cache value")
