"""Real servers for the tests: nginx with deploy/nginx.conf, and a plain static server.

Each starts on a free localhost port and stops when its ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

CHROMIUM = "/usr/bin/chromium"  # Debian's, driven by Playwright
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
JS_MODULE = Path("/usr/lib/nginx/modules/ngx_http_js_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes] | None = None, timeout: float = 10.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.2),
        ):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def unless_required(available: bool) -> bool:
    """Skip when a system program is missing, except in CI (USHTIL_REQUIRE_ALL=1), where
    a missing program must fail the run rather than pass it quietly."""
    return not available and os.environ.get("USHTIL_REQUIRE_ALL") != "1"


def nginx_available() -> bool:
    return Path(NGINX).exists() and JS_MODULE.exists() and MIME_TYPES.exists()


def site_conf(public: Path, port: int) -> str:
    """deploy/nginx.conf with its EDIT lines set, as a deployer would."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    text, n1 = re.subn(r"^(\s*)listen \d+;", rf"\g<1>listen 127.0.0.1:{port};", text, flags=re.M)
    text, n2 = re.subn(r"^(\s*)root [^;]+;", rf"\g<1>root {public};", text, flags=re.M)
    text, n3 = re.subn(r'^js_path "[^"]*";', f'js_path "{DEPLOY}";', text, flags=re.M)
    assert (n1, n2, n3) == (1, 1, 1), "deploy/nginx.conf lost one of its EDIT lines"
    return text


@contextlib.contextmanager
def nginx(public: Path, prefix: Path) -> Iterator[str]:
    """Serve ``public`` with deploy/nginx.conf; yields the base URL."""
    prefix.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        port = free_port()
        (prefix / "site.conf").write_text(site_conf(public, port), encoding="utf-8")
        user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
        temp = "\n".join(
            f"    {name}_temp_path {prefix / name};"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (prefix / "nginx.conf").write_text(
            f"""{user}load_module {JS_MODULE};
daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
{temp}
    include {prefix / "site.conf"};
}}
""",
            encoding="utf-8",
        )
        process = subprocess.Popen(
            [
                NGINX,
                "-p",
                str(prefix),
                "-c",
                str(prefix / "nginx.conf"),
                "-e",
                str(prefix / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(port, process)
        except RuntimeError:
            process.kill()
            _, err = process.communicate()
            if b"Address already in use" in err:
                continue
            log = (
                (prefix / "error.log").read_text(errors="replace")
                if (prefix / "error.log").exists()
                else ""
            )
            raise RuntimeError(
                f"nginx did not start: {err.decode(errors='replace')}{log}"
            ) from None
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return
    raise RuntimeError("no free port for nginx")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def static_server(public: Path) -> Iterator[str]:
    """A plain static file server (no language logic): what the browser's JS must handle."""
    handler = functools.partial(_QuietHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Response(NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    body: str


def get(base: str, path: str, headers: dict[str, str] | None = None) -> Response:
    """One GET without following redirects."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return Response(
            response.status, response.headers, response.read().decode("utf-8", "replace")
        )
    finally:
        connection.close()
