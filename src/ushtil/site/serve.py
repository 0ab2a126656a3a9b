"""``ushtil serve``: build, serve on localhost, rebuild on every saved change, reload.

The site is built into ``public/`` as by ``ushtil build`` (incrementally) and served from
there. Between builds the cache stays in memory, and the watcher's list of changed paths
replaces the walk over every source. Every HTML page
served gets a small script that listens for rebuilds (server-sent events): it reloads
the page after a good build and shows the problems over the page after a failed one,
while the last good site stays served. The terminal shows the same problems.

Only requests for the names the server was started for are answered: ``localhost``, an
address (``127.0.0.1``, ``[::1]``, any other IP literal) or the name given as ``--host``,
with or without a port. Any other ``Host:`` is answered 421, so a page of another site
cannot read the preview through a name of its own that resolves to this machine (DNS
rebinding); an HTTP/1.1 request without one, 400. A request the server cannot read (an
over-long or malformed line or header, a path no file can have) gets a plain HTTP status,
never a traceback.
"""

from __future__ import annotations

import http.server
import ipaddress
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ushtil.project import layout
from ushtil.site.build import BuildReport, Memory, build

EVENTS = "/__ushtil__/events"
MAX_TARGET = 8192  # characters of a request's path and query, as nginx's default buffer
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
HOST = re.compile(r"(\[[0-9a-f:.]+\]|[^\[\]:@/\s]+)(?::\d{1,5})?\Z")
STATE = "/__ushtil__/state"
SCRIPT = (
    """<script>
(function () {
  "use strict";
  var seen = null;
  function show(state) {
    var box = document.getElementById("ushtil-problems");
    if (state.ok) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "ushtil-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;"
        + "margin:0;padding:1rem;background:#2b0b0b;color:#ffd6d6;font:14px/1.4 monospace;"
        + "z-index:2147483647;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "ushtil: the build failed; this is the last good version.\\n\\n"
      + state.problems.join("\\n");
  }
  function update(state) {
    if (seen !== null && state.build !== seen && state.ok) { location.reload(); return; }
    seen = state.build;
    show(state);
  }
  var events = new EventSource("%s");
  events.onmessage = function (event) { update(JSON.parse(event.data)); };
})();
</script>
"""  # noqa: UP031  # the script's own braces rule out str.format and f-strings
    % EVENTS
)


@dataclass
class Preview:
    """What the server knows about the builds; ``changed`` wakes the event streams."""

    build: int = 0
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, report: BuildReport) -> None:
        with self.changed:
            self.build += 1
            self.ok = report.ok
            self.problems = [str(d) for d in report.diagnostics if d.is_error]
            self.changed.notify_all()

    def state(self) -> dict[str, object]:
        return {"build": self.build, "ok": self.ok, "problems": self.problems}


def host_allowed(value: str, names: frozenset[str]) -> bool:
    """Whether a ``Host:`` value names this server: one of ``names`` or an IP literal (no
    other site's page can have an address for its name), with or without a port."""
    found = HOST.match(value.strip().lower())
    if found is None:
        return False
    name = found.group(1)
    if name in names or name.endswith(".") and name[:-1] in names:  # "localhost." too
        return True
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") else name)
    except ValueError:
        return False
    return name.startswith("[") == (":" in name)  # IPv6 only in brackets


def major(version: str) -> int:
    """The major number of an HTTP version as a request line says it; 0 when unreadable."""
    found = re.fullmatch(r"HTTP/(\d{1,10})\.\d{1,10}", version or "")
    return int(found.group(1)) if found else 0


def served_names(host: str) -> frozenset[str]:
    """The names a server listening on ``host`` answers to, besides any IP literal."""
    name = host.strip().lower()
    return LOCAL_NAMES | {f"[{name}]" if ":" in name else name}


class Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview
    stopping: threading.Event
    names: frozenset[str] = LOCAL_NAMES
    default_request_version = "HTTP/1.0"  # an error in a request line is answered with a status

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build results

    def parse_request(self) -> bool:
        """The request line and headers, then what this server refuses to answer."""
        if not super().parse_request():
            if not self.requestline.split():  # a blank line: nothing was answered yet
                self.send_error(400, "No request line")
            return False
        hosts = self.headers.get_all("Host") or []
        if len(self.requestline.split()) < 3:
            self.send_error(400, "No HTTP version (HTTP/0.9 is not served)")
        elif major(self.request_version) < 1:
            self.send_error(505, "HTTP/0.9 is not served")
        elif not self.path.startswith("/"):
            self.send_error(400, "The path must begin with /")
        elif len(self.path) > MAX_TARGET:
            self.send_error(414)
        elif len(hosts) > 1:
            self.send_error(400, "More than one Host header")
        elif not hosts and self.request_version not in ("HTTP/1.0", "HTTP/0.9"):
            self.send_error(400, "No Host header")
        elif hosts and not host_allowed(hosts[0], self.names):
            self.send_error(421, "Not a name of this server", "Open the address ushtil printed")
        else:
            return True
        return False

    def send_response_only(self, code: int, message: str | None = None) -> None:
        """Every answer with its status line, even to a request that says HTTP/0.9."""
        if major(self.request_version) < 1:
            self.request_version = "HTTP/1.0"
        super().send_response_only(code, message)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            return self.events()
        if path == STATE:
            return self.send_bytes(
                200, "application/json", json.dumps(self.preview.state()).encode()
            )
        file = Path(self.translate_path(path))
        if os.path.isdir(file) and self.inside(file):
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            file = file / "index.html"
        if not self.inside(file):
            return self.not_found(path)
        if file.suffix == ".html" and os.path.isfile(file):
            return self.send_html(200, file)
        if not os.path.exists(file):
            return self.not_found(path)
        return super().do_GET()

    def do_HEAD(self) -> None:
        file = Path(self.translate_path(self.path.split("?", 1)[0]))
        if not self.inside(file) or (os.path.isdir(file) and not self.inside(file / "index.html")):
            return self.send_error(404)
        return super().do_HEAD()

    def inside(self, file: Path) -> bool:
        """Whether ``file``, links followed, is in the output folder: nothing else is served,
        whatever ``..``, its encodings or links inside the output point to."""
        try:
            return file.resolve().is_relative_to(Path(self.directory).resolve())
        except (OSError, ValueError):  # a NUL byte, a name too long: nothing to serve
            return False

    def not_found(self, path: str) -> None:
        """The 404 page in the language of the URL's first segment, else the default one."""
        lang = path.strip("/").split("/", 1)[0]
        pages = [Path(self.translate_path(f"/{lang}/404.html"))] if lang else []
        for page in [*pages, Path(self.directory) / "404.html"]:
            if os.path.isfile(page) and self.inside(page):
                return self.send_html(404, page)
        return self.send_error(404)

    def send_bytes(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_html(self, status: int, file: Path) -> None:
        try:
            html = file.read_bytes()
        except OSError:  # gone or unreadable since it was found
            return self.send_error(404)
        marker = html.rfind(b"</body>")
        script = SCRIPT.encode()
        html = html[:marker] + script + html[marker:] if marker >= 0 else html + script
        self.send_bytes(status, "text/html; charset=utf-8", html)

    def events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.stopping.is_set():
                with self.preview.changed:
                    if self.preview.build == seen:
                        self.preview.changed.wait(timeout=15)
                    build, state = self.preview.build, self.preview.state()
                if build == seen:
                    self.wfile.write(b": keep-alive\n\n")  # detects a closed tab
                else:
                    seen = build
                    self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-request is no error of the server's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(
    root: Path,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    say: Callable[[str], None] = print,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    import watchfiles

    out = root / layout.OUTPUT
    stop = stop or threading.Event()
    preview = Preview()

    memory = Memory()  # the cache and the sources' sizes and times, kept between builds

    def rebuild(reason: str, changed: list[str] | None = None) -> None:
        started = time.perf_counter()
        report = build(
            root, out, progress=progress, search_later=True, memory=memory, changed=changed
        )
        took = time.perf_counter() - started
        for d in report.diagnostics:
            say(str(d))
        if report.ok:
            say(f"{reason}: {report.written} files written in {took:.2f} s")
        else:
            say(f"{reason}: build failed; still serving the last good version")
        preview.publish(report)
        if report.ok and report.search_pending:  # the change is served: now its index
            started = time.perf_counter()
            indexed = build(root, out, progress=progress, memory=memory)
            took = time.perf_counter() - started
            languages = ", ".join(report.search_pending)
            if indexed.ok:
                say(f"search index ({languages}) updated in {took:.2f} s")
            else:
                for d in indexed.diagnostics:
                    say(str(d))
                preview.publish(indexed)

    watched = [root / name for name in layout.WATCHED if (root / name).exists()]
    watching = watchfiles.watch(
        *watched,
        debounce=50,
        step=20,
        stop_event=stop,
        raise_interrupt=False,
        rust_timeout=200,
        yield_on_timeout=True,
    )
    next(watching, None)  # the watcher is running from here on: a save after this is never missed
    rebuild("built")
    attributes = {"preview": preview, "stopping": stop, "names": served_names(host)}
    handler = type("PreviewHandler", (Handler,), attributes)
    server = Server((host, port), partial(handler, directory=str(out)))
    url = f"http://{host}:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"serving {url} (Ctrl-C stops)")
    if ready is not None:
        ready(url)
    try:
        for changes in watching:
            if not changes:
                continue  # a quiet moment: the watcher checks the stop event
            names = sorted({Path(p).relative_to(root).as_posix() for _, p in changes})
            paths = sorted({p for _, p in changes})
            rebuild(", ".join(names[:3]) + (" …" if len(names) > 3 else ""), paths)
    finally:
        stop.set()
        with preview.changed:
            preview.changed.notify_all()
        server.shutdown()
        server.server_close()
    return 0
