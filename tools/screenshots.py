"""Takes the README's screenshots of the sample site in Debian's Chromium (Playwright).

Builds the repository's site into a temporary folder, serves it on a free localhost
port and saves, as small palette PNGs in docs/screenshots/: a Kazakh article on a
desktop screen, the Russian home page on a phone, and the editors' dashboard.

    .venv/bin/python tools/screenshots.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import io
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from ushtil.site.build import build

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--hide-scrollbars"]
# the moment the sample site is built for (the same as the tests')
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
SHOTS = (
    # file, path, viewport width and height, device scale
    ("kk-article-desktop.png", "/kk/news/2026-opera-season/", 1280, 900, 1),
    ("ru-home-phone.png", "/ru/", 375, 780, 2),
    ("status-desktop.png", "/_status/ru/", 1280, 900, 1),
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def small_png(data: bytes) -> bytes:
    """The screenshot with a 256-colour palette: a fraction of the size, the same look."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        public = Path(tmp) / "public"
        report = build(ROOT, out=public, now=NOW)
        if not report.ok:
            for problem in report.diagnostics:
                print(problem, file=sys.stderr)
            return 1
        OUT.mkdir(parents=True, exist_ok=True)
        with served(public) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, path, width, height, scale in SHOTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=scale
                )
                page = context.new_page()
                page.goto(base + path, wait_until="networkidle")
                data = small_png(page.screenshot())
                (OUT / name).write_bytes(data)
                print(f"wrote {(OUT / name).relative_to(ROOT)} ({len(data) // 1024} KB)")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
