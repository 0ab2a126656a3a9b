"""``ushtil serve`` answers only the names it was started for (no DNS rebinding), and
answers every request it cannot read with a plain HTTP status, never a traceback."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_project

from ushtil.site.serve import serve


class Preview:
    """``ushtil serve`` of a small project on a free port, in a thread of this process."""

    def __init__(self, project: Path) -> None:
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(
            target=serve,
            args=(project,),
            kwargs={"port": 0, "say": self.lines.append, "ready": self._ready, "stop": self.stop},
            daemon=True,
        )

    def _ready(self, url: str) -> None:
        self.port = int(url.rstrip("/").rsplit(":", 1)[1])
        self.ready.set()

    def status(self, path: str = "/", host: str | None = None, *, version: str = "1.1") -> int:
        """The status of a GET sent with ``Host: host`` (no Host header when None)."""
        lines = [f"GET {path} HTTP/{version}"] + ([f"Host: {host}"] if host is not None else [])
        return status_of(self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")))

    def send(self, request: bytes) -> bytes:
        """The whole answer to ``request`` sent as it is (the server closes each connection)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as connection:
            connection.sendall(request)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        return answer


def status_of(answer: bytes) -> int:
    line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    assert line.startswith(("HTTP/1.0 ", "HTTP/1.1 ")), answer[:200]
    return int(line.split()[1])


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    server = Preview(make_project(tmp_path, "basic"))
    server.thread.start()
    assert server.ready.wait(120), server.lines  # the first build, then it listens
    yield server
    server.stop.set()
    server.thread.join(30)


def test_only_its_own_names_are_answered(preview: Preview) -> None:
    port = preview.port
    for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}",
                 f"[::1]:{port}", "[::1]", "LOCALHOST", f"10.0.0.7:{port}",
                 f"localhost.:{port}"):  # fmt: skip
        assert preview.status("/", host) == 200, host
    for host in ("evil.example", f"evil.example:{port}", "localhost.evil.example",
                 f"127.0.0.1.nip.io:{port}", "", f"localhost:{port}@evil.example", "::1",
                 "[10.0.0.7]", "localhost:", "local host"):  # fmt: skip
        assert preview.status("/", host) == 421, host
    # the live-reload stream and the build state leak nothing to another name either
    assert preview.status("/__ushtil__/events", "evil.example") == 421
    assert preview.status("/__ushtil__/state", "evil.example") == 421


def test_a_host_header_is_required_and_single(preview: Preview) -> None:
    assert preview.status("/", None) == 400  # HTTP/1.1 requires it
    assert preview.status("/", None, version="1.0") == 200  # HTTP/1.0 does not
    twice = b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"
    assert status_of(preview.send(twice)) == 400


def test_http_client_is_answered(preview: Preview) -> None:
    """A browser-like client (http.client names the address it connected to)."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
    try:
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def test_unreadable_requests_get_a_status_and_no_traceback(
    preview: Preview, capfd: pytest.CaptureFixture[str]
) -> None:
    host = "Host: localhost\r\n"
    cases = {
        b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\n" + host.encode() + b"\r\n": 414,
        b"HEAD /" + b"a" * 10_000 + b" HTTP/1.1\r\n" + host.encode() + b"\r\n": 414,
        b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n" + host.encode() + b"\r\n": 404,
        b"HEAD /" + b"a" * 5000 + b" HTTP/1.1\r\n" + host.encode() + b"\r\n": 404,
        b"GET /kk/" + b"%E2%80%8B" * 900 + b"/ HTTP/1.1\r\n" + host.encode() + b"\r\n": 404,
        b"GET /%00 HTTP/1.1\r\n" + host.encode() + b"\r\n": 404,
        b"GET /%ed%a0%80/ HTTP/1.1\r\n" + host.encode() + b"\r\n": 404,
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n": 414,
        b"GET / HTTP/1.1\r\n" + host.encode() + b"X: y\r\n" * 200 + b"\r\n": 431,
        b"GET / HTTP/1.1\r\n" + host.encode() + b"X: " + b"y" * 70_000 + b"\r\n\r\n": 431,
        b"\xff\xfe\r\n\r\n": 400,
        b"\r\n\r\n": 400,
        b"GET /\r\n\r\n": 400,
        b"GET http://evil.example/ HTTP/1.1\r\n" + host.encode() + b"\r\n": 400,
        b"GET / HTTP/9.9\r\n" + host.encode() + b"\r\n": 505,
        b"BREW / HTTP/1.1\r\n" + host.encode() + b"\r\n": 501,
    }
    for request, expected in cases.items():
        assert status_of(preview.send(request)) == expected, request[:60]
    assert preview.status("/", "localhost") == 200  # still serving
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err, err[:2000]
