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
code: the files are signed JSON (:mod:`ushtil.site.store`), rebuilt into ushtil's own value
types by explicit converters. A file whose signature does not match (written by
someone else, copied from another machine, damaged) is ignored. Without a usable key
nothing is cached.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ushtil import __version__
from ushtil.project import layout, private
from ushtil.project.model import Facts, Version
from ushtil.project.problems import Diagnostic
from ushtil.site import store
from ushtil.site.images import MEDIA
from ushtil.site.outputs import Indexed

FORMAT = 3
FEW_BODIES = 50  # bodies a build may ask for before the whole store is worth reading


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def ushtil_sources() -> list[Path]:
    """Every source file of ushtil itself, in every wing."""
    return sorted(Path(__file__).resolve().parents[1].rglob("*.py"))


def fingerprint(root: Path) -> str:
    """Everything every page depends on: templates, catalogues, site.toml, ushtil and the
    libraries that shape the output."""
    from importlib.metadata import version

    import babel
    import jinja2
    import markdown_it

    h = hashlib.blake2b(digest_size=16)
    libraries = (babel.__version__, jinja2.__version__, markdown_it.__version__, version("nh3"))
    h.update(repr((FORMAT, __version__, sys.version_info[:2], *libraries)).encode())
    files = ushtil_sources()
    for folder in (layout.TEMPLATES, layout.LOCALES):
        if (root / folder).is_dir():
            files += sorted(
                p for p in (root / folder).rglob("*") if p.is_file() and p.suffix != ".mo"
            )
    files.append(root / layout.CONFIG)
    for path in files:
        try:
            h.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(str(path).encode() + b"\0missing")
    return h.hexdigest()


@dataclass(frozen=True)
class LastBuild:
    """All that deciding "nothing changed" needs, kept apart so it is read alone."""

    signature: str  # of every input file's size and time (see signature())
    strict: bool
    out: str  # the output folder
    due: float  # POSIX time when the next dated article gets published (inf: none)
    diagnostics: tuple[Diagnostic, ...]  # that build's report
    pages: int

    def to_json(self) -> store.Json:
        return [
            FORMAT,
            self.signature,
            self.strict,
            self.out,
            self.due,
            [store.diagnostic_json(d) for d in self.diagnostics],
            self.pages,
        ]

    @classmethod
    def from_json(cls, data: store.Json) -> LastBuild:
        form, signature, strict, out, due, diagnostics, pages = data
        if form != FORMAT:
            raise ValueError("another format")
        return cls(
            signature,
            bool(strict),
            out,
            float(due),
            tuple(store.diagnostics(diagnostics)),
            int(pages),
        )


@dataclass(frozen=True)
class Parsed:
    """A source file's parse (None if it failed) and its problems, remembered while the
    file keeps its modification time and size."""

    mtime: int
    size: int
    value: Version | Facts | None
    problems: tuple[Diagnostic, ...]

    def to_json(self) -> store.Json:
        if isinstance(self.value, Version):
            kind, value = "version", store.version_json(self.value)
        elif isinstance(self.value, Facts):
            kind, value = "facts", store.facts_json(self.value)
        else:
            kind, value = "none", None
        return [
            self.mtime,
            self.size,
            kind,
            value,
            [store.diagnostic_json(d) for d in self.problems],
        ]

    @classmethod
    def from_json(cls, data: store.Json) -> Parsed:
        mtime, size, kind, value, problems = data
        parsed = (
            store.version(value)
            if kind == "version"
            else store.facts(value)
            if kind == "facts"
            else None
        )
        return cls(int(mtime), int(size), parsed, tuple(store.diagnostics(problems)))


Recorded = tuple[str, Indexed | None]  # an output's key and its sitemap entry
# an image's probe while the file keeps its (mtime, size): digest, width, height, type, alpha
ImageMemo = tuple[int, int, str, int, int, str, bool]


@dataclass
class State:
    """What the next build may reuse: parses, and the key of every output file."""

    fingerprint: str = ""
    sources: dict[str, Parsed] = field(default_factory=dict)
    outputs: dict[str, Recorded] = field(default_factory=dict)  # path → (key, sitemap entry)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # render warnings of reused pages
    out: str = ""  # the output folder these outputs are in
    written: list[str] = field(default_factory=list)  # every file of that output
    images: dict[str, ImageMemo] = field(default_factory=dict)  # by the image's path

    def to_json(self) -> store.Json:
        return {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "sources": {k: v.to_json() for k, v in self.sources.items()},
            "outputs": {
                k: [key, store.indexed_json(entry)] for k, (key, entry) in self.outputs.items()
            },
            "diagnostics": [store.diagnostic_json(d) for d in self.diagnostics],
            "out": self.out,
            "written": self.written,
            "images": {k: list(v) for k, v in self.images.items()},
        }

    @classmethod
    def from_json(cls, data: store.Json) -> State:
        if data["format"] != FORMAT:
            raise ValueError("another format")
        return cls(
            str(data["fingerprint"]),
            {k: Parsed.from_json(v) for k, v in data["sources"].items()},
            {k: (str(key), store.indexed(entry)) for k, (key, entry) in data["outputs"].items()},
            store.diagnostics(data["diagnostics"]),
            str(data["out"]),
            [str(p) for p in data["written"]],
            {
                str(k): (int(m), int(s), str(d), int(w), int(h), str(t), bool(a))
                for k, (m, s, d, w, h, t, a) in data["images"].items()
            },
        )


@dataclass
class BuildCache:
    """The state a build starts from and leaves for the next one, and the stores of
    rendered bodies and dashboard rows (read only when wanted)."""

    root: Path
    secret: bytes | None = None  # the user's key; None: nothing is read or written
    state: State = field(default_factory=State)
    last: LastBuild | None = None
    dirty: bool = False
    stats: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # seen by this build's signature
    used_bodies: set[str] = field(default_factory=set)
    bodies_added: bool = False
    body_asks: int = 0
    new_rows: dict[str, str] = field(default_factory=dict)
    _bodies: dict[str, str] | None = None
    _extra: dict[str, str] | None = None
    _rows: dict[str, str] | None = None

    @property
    def folder(self) -> Path:
        return self.root / layout.CACHE

    def start(self, fp: str) -> None:
        """Forget every parse and output key made under another fingerprint."""
        if self.state.fingerprint != fp:
            photos = {  # keyed by the photo and the code that makes them, not by fp
                path: kept
                for path, kept in self.state.outputs.items()
                if path.startswith(f"{MEDIA}/")
            }
            self.state = State(
                fingerprint=fp,
                outputs=photos,
                out=self.state.out,
                written=self.state.written,
                images=self.state.images,
            )

    def record(self, fp: str, outputs: dict[str, Recorded], diagnostics: list[Diagnostic]) -> None:
        if (self.state.fingerprint, self.state.outputs, self.state.diagnostics) != (
            fp,
            outputs,
            diagnostics,
        ):
            self.dirty = True
        self.state.fingerprint, self.state.outputs, self.state.diagnostics = (
            fp,
            outputs,
            diagnostics,
        )

    def finish(self, last: LastBuild, written: list[str]) -> bool:
        """Remember the build just written; whether anything needs saving."""
        if not self.dirty and last == self.last and self.state.out == last.out:
            return False
        self.state.out, self.state.written, self.last = last.out, written, last
        return True

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

    def source(self, path: Path, shown: str) -> Parsed | None:
        stat = self._stat(path)
        found = self.state.sources.get(shown)
        if stat is not None and found is not None and (found.mtime, found.size) == stat:
            return found
        return None

    def remember_source(
        self, path: Path, shown: str, value: Version | Facts | None, problems: list[Diagnostic]
    ) -> None:
        stat = self._stat(path)
        if stat is None:
            return
        self.state.sources[shown] = Parsed(stat[0], stat[1], value, tuple(problems))
        self.dirty = True

    # --- bodies -----------------------------------------------------------------

    @property
    def bodies(self) -> dict[str, str]:
        if self._bodies is None:
            self._bodies = {
                **_strings(store.read(self.secret, self.folder / "bodies.json")),
                **self.extra_bodies,
            }
        return self._bodies

    @property
    def extra_bodies(self) -> dict[str, str]:
        """Bodies rendered by builds that did not read the whole store: a small file."""
        if self._extra is None:
            self._extra = _strings(store.read(self.secret, self.folder / "bodies-extra.json"))
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
            self._rows = _strings(store.read(self.secret, self.folder / "rows.json"))
        return self._rows

    def remember_row(self, key: str, html: str) -> None:
        self.new_rows[key] = html

    # --- persistence ------------------------------------------------------------

    def save(self) -> None:
        """Remember this build (signed); does nothing without a key or where the cache
        folder is not a real folder of the project (a symbolic link is never followed)."""
        if self.secret is None or not _own_folder(self.folder):
            return
        store.write(self.secret, self.folder / "state.json", self.state.to_json())
        if self._bodies is not None:
            kept = {k: v for k, v in self._bodies.items() if k in self.used_bodies}
            if kept != self._bodies or self.bodies_added:
                store.write(self.secret, self.folder / "bodies.json", kept)
            (self.folder / "bodies-extra.json").unlink(missing_ok=True)
        elif self._extra is not None and self.bodies_added:
            store.write(self.secret, self.folder / "bodies-extra.json", self._extra)
        if self.last is not None:
            store.write(self.secret, self.folder / "quick.json", self.last.to_json())
        if self.new_rows and self.new_rows != self._rows:
            store.write(self.secret, self.folder / "rows.json", self.new_rows)


def last_build(root: Path) -> LastBuild | None:
    """What the last build left for deciding "nothing changed", without the rest."""
    try:
        return LastBuild.from_json(
            store.read(private.key(root), root / layout.CACHE / "quick.json")
        )
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def load(root: Path, *, clean: bool = False) -> BuildCache:
    secret = private.key(root)
    cache = BuildCache(root, secret=secret)
    if clean:
        return cache
    try:
        cache.state = State.from_json(store.read(secret, cache.folder / "state.json"))
        cache.last = last_build(root)
    except (TypeError, ValueError, KeyError, AttributeError):
        cache.state = State()  # none, or not one of ours
    return cache


def signature(root: Path, out: Path, fp: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """Sizes and modification times of every input, with ``fp`` (the templates',
    catalogues' and ushtil's own :func:`fingerprint`) and git's HEAD (commit times date
    outdated versions): equal signatures mean an equal site, short of the clock passing an
    article's date. Also the (modification time, size) of every file it looked at, so they
    are not asked twice."""
    h = hashlib.blake2b(digest_size=16)
    h.update(fp.encode() + str(out).encode())
    stats: dict[str, tuple[int, int]] = {}
    stack = [root / layout.ARTICLES, root / layout.STATIC]
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


def _strings(data: store.Json) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)}
