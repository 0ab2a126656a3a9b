"""Pagefind's indexer, driven over its service protocol (``pagefind --service``).

The binary comes from the ``pagefind[bin]`` package. The package's own asyncio client
waits a tenth of a second before reading each answer, and ``add_directory`` numbers pages
in the order its threads finish them, so the index would differ from build to build;
here pages are added one by one, in the order given, each answer read at once. Pagefind
still writes a filter's values in its hash map's order, which changes from run to run:
:func:`settle` sorts them and renames the filter and metadata files after their new
content, so the same records give the same files.

The protocol: each request is JSON, base64-encoded, followed by a comma, on the
service's standard input; each answer comes the same way on its standard output.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import IO, cast

import cbor2

from ushtil.project.problems import Location, UshtilError, error


def failure(message: str) -> UshtilError:
    return UshtilError([error(Location("pagefind"), "search", f"search index: {message}")])


def executable() -> Path:
    from pagefind.service import get_executable  # the package's search for its binary

    found = get_executable()
    if found is None:
        raise failure("the Pagefind binary is missing (pip install 'pagefind[bin]')")
    return found


class Indexer:
    """One index in a Pagefind service process of its own."""

    def __init__(self, lang: str) -> None:
        try:
            self.process = subprocess.Popen(
                [str(executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise failure(f"cannot start Pagefind ({exc.strerror})") from exc
        self.pending = b""
        self.sent = 0
        answer = self.call({"type": "NewIndex", "config": {"force_language": lang}})
        self.index_id = cast(int, answer["index_id"])

    def call(self, payload: dict[str, object]) -> dict[str, object]:
        """Send one request and read its answer."""
        self.sent += 1
        stdin = cast(IO[bytes], self.process.stdin)
        message = json.dumps({"message_id": self.sent, "payload": payload})
        try:
            stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            stdin.flush()
        except OSError as exc:
            raise failure(f"Pagefind stopped ({exc.strerror})") from exc
        answer = json.loads(base64.b64decode(self._read()))
        body = cast(dict[str, object], answer.get("payload") or {})
        if body.get("type") == "Error":
            raise failure(str(body.get("message")))
        return body

    def _read(self) -> bytes:
        stdout = cast(IO[bytes], self.process.stdout)
        while b"," not in self.pending:
            chunk = stdout.read1(1 << 16)  # type: ignore[attr-defined]  # a BufferedReader
            if not chunk:
                raise failure("Pagefind stopped without answering")
            self.pending += chunk
        answer, _, self.pending = self.pending.partition(b",")
        return answer

    def add(self, url: str, html: str) -> None:
        self.call({"type": "AddFile", "index_id": self.index_id, "url": url, "file_contents": html})

    def files(self) -> dict[str, bytes]:
        """The bundle's files, by path inside it."""
        answer = self.call({"type": "GetFiles", "index_id": self.index_id})
        found = cast(list[dict[str, str]], answer.get("files") or [])
        return {f["path"]: base64.b64decode(f["content"]) for f in found}

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def make_index(lang: str, pages: Iterable[tuple[str, str]]) -> dict[str, bytes]:
    """Index ``pages`` (URL, HTML), in this order, as ``lang``: the bundle's files by path."""
    indexer = Indexer(lang)
    try:
        for url, html in pages:
            indexer.add(url, html)
        files = indexer.files()
    finally:
        indexer.close()
    return settle(files, lang)


SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file starts with


def _load(path: str, data: bytes) -> object:
    try:
        plain = gzip.decompress(data)
        if not plain.startswith(SIGNATURE):
            raise ValueError("no signature")
        return cbor2.loads(plain[len(SIGNATURE) :])
    except (OSError, EOFError, ValueError, cbor2.CBORDecodeError) as exc:
        raise failure(f"unexpected file {path} ({exc})") from exc


def _dump(value: object) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def _name(lang: str, content: bytes, length: int) -> str:
    return f"{lang}_{hashlib.sha256(content).hexdigest()[:length]}"


def settle(files: dict[str, bytes], lang: str) -> dict[str, bytes]:
    """The bundle, the same for the same input: each filter's values sorted, the filter
    files and the metadata file named after their content."""
    out = dict(files)
    renamed: dict[str, str] = {}
    for path in sorted(p for p in files if p.startswith("filter/") and p.endswith(".pf_filter")):
        name, values = cast(list[object], _load(path, out.pop(path)))
        rows = sorted(cast(list[list[object]], values), key=lambda row: str(row[0]))
        rows = [[value, sorted(cast(list[int], pages))] for value, pages in rows]
        content = _dump([name, rows])
        new = _name(lang, content, 7)
        out[f"filter/{new}.pf_filter"] = content
        renamed[path.removeprefix("filter/").removesuffix(".pf_filter")] = new
    entry = json.loads(out["pagefind-entry.json"])
    known = entry["languages"].get(lang)
    if known is None:  # nothing was indexed: no metadata to name
        return out
    meta_path = f"pagefind.{known['hash']}.pf_meta"
    meta = cast(list[object], _load(meta_path, out.pop(meta_path)))
    filters = cast(list[list[str]], meta[3])
    meta[3] = sorted([name, renamed.get(chunk, chunk)] for name, chunk in filters)
    content = _dump(meta)
    known["hash"] = _name(lang, content, 10)
    out[f"pagefind.{known['hash']}.pf_meta"] = content
    out["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return out
