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
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".ushtil-cache"
FORMAT = 1
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
            self._bodies = {**(_read(self.folder / "bodies.pickle") or {}), **self.extra_bodies}
        return self._bodies

    @property
    def extra_bodies(self) -> dict[str, str]:
        """Bodies rendered by builds that did not read the whole store: a small file."""
        if self._extra is None:
            self._extra = _read(self.folder / "bodies-extra.pickle") or {}
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
            self._rows = _read(self.folder / "rows.pickle") or {}
        return self._rows

    def remember_row(self, key: str, html: str) -> None:
        self.new_rows[key] = html

    # --- persistence ------------------------------------------------------------

    def save(self) -> None:
        self.folder.mkdir(exist_ok=True)
        _write(
            self.folder / "state.pickle",
            (FORMAT, self.fingerprint, self.sources, self.outputs, self.diagnostics, self.out, self.written,
             self.signature, self.report, self.due),
        )
        if self._bodies is not None:
            kept = {k: v for k, v in self._bodies.items() if k in self.used_bodies}
            if kept != self._bodies or self.bodies_added:
                _write(self.folder / "bodies.pickle", kept)
            (self.folder / "bodies-extra.pickle").unlink(missing_ok=True)
        elif self._extra is not None and self.bodies_added:
            _write(self.folder / "bodies-extra.pickle", self._extra)
        _write(self.folder / "quick.pickle", (FORMAT, self.signature, self.report, self.due, self.out))
        if self.new_rows and self.new_rows != self._rows:
            _write(self.folder / "rows.pickle", self.new_rows)


def quick(root: Path) -> tuple[str, Any, float, str] | None:
    """The last build's signature, report, due time and output folder: all that deciding
    "nothing changed" needs, without loading the rest."""
    state = _read(root / CACHE_DIR / "quick.pickle")
    if isinstance(state, tuple) and len(state) == 5 and state[0] == FORMAT:
        return state[1], state[2], state[3], state[4]
    return None


def load(root: Path, *, clean: bool = False) -> BuildCache:
    cache = BuildCache(root)
    if clean:
        return cache
    state = _read(cache.folder / "state.pickle")
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


def _read(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # a missing, old or damaged cache is no cache
        return None


def _write(path: Path, value: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
