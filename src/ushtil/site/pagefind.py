"""Pagefind's indexer, driven over its service protocol (``pagefind --service``).

The binary comes from the ``pagefind[bin]`` package. The package's own asyncio client
waits a tenth of a second before reading each answer, and ``add_directory`` numbers pages
in the order its threads finish them, so the index would differ from build to build;
here pages are added one by one, in the order given, each answer read at once: the same
records give the same files.

The protocol: each request is JSON, base64-encoded, followed by a comma, on the
service's standard input; each answer comes the same way on its standard output.
"""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import IO, cast

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
        self.call(
            {"type": "AddFile", "index_id": self.index_id, "url": url, "file_contents": html}
        )

    def write(self, folder: Path) -> None:
        self.call({"type": "WriteFiles", "index_id": self.index_id, "output_path": str(folder)})

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


def write_index(lang: str, pages: Iterable[tuple[str, str]], folder: Path) -> None:
    """Index ``pages`` (URL, HTML), in this order, as ``lang``; the bundle into ``folder``."""
    indexer = Indexer(lang)
    try:
        for url, html in pages:
            indexer.add(url, html)
        indexer.write(folder)
    finally:
        indexer.close()
