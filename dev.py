#!/usr/bin/env python3
"""Set up and run ushtil from a fresh clone; needs only Python 3.11+.

    python3 dev.py build [ushtil build options]   build the sample site into public/
    python3 dev.py test  [pytest options]         run the whole test suite
    python3 dev.py lint                           ruff check and mypy --strict

Each command creates .venv/ and installs the package with its test dependencies when
they are missing or pyproject.toml changed. `test` also installs the system programs the
tests use with apt-get when it runs as root: GNU gettext's msgfmt, Debian's chromium
(driven by Playwright) and nginx with its njs module (for deploy/nginx.conf).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".ushtil-installed"
# what the tests run → the Debian package that provides it
APT_PACKAGES = {
    "msgfmt": "gettext",
    "/usr/bin/chromium": "chromium",
    "nginx": "nginx-light",
    "/usr/lib/nginx/modules/ngx_http_js_module.so": "libnginx-mod-http-js",
}


def present(tool: str) -> bool:
    return (
        Path(tool).exists()
        if tool.startswith("/")
        else shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin") is not None
    )


def run(*cmd: str | Path, **kw: object) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[arg-type]


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  # dev.py runs under any python3: say why not
        sys.exit(f"ushtil needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("creating .venv/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing ushtil and its dependencies into .venv/ ...", flush=True)
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-e",
        f"{ROOT}[test]",
    )
    STAMP.write_text(wanted)


def ensure_system_tools() -> None:
    missing = sorted({pkg for tool, pkg in APT_PACKAGES.items() if not present(tool)})
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"installing {' '.join(missing)} with apt-get ...", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)
    else:
        sys.exit(
            f"the tests need {' '.join(missing)}; install it "
            f"(e.g. sudo apt-get install {' '.join(missing)})"
        )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "test", "lint"):
        print(__doc__)
        return 2
    ensure_venv()
    if argv[0] == "build":
        return subprocess.call([str(BIN / "ushtil"), "-C", str(ROOT), "build", *argv[1:]])
    if argv[0] == "lint":
        return subprocess.call(
            [str(BIN / "ruff"), "check", "src", "tests", "benchmarks", "tools", "dev.py"], cwd=ROOT
        ) or subprocess.call([str(BIN / "mypy")], cwd=ROOT)
    ensure_system_tools()
    return subprocess.call([str(PYTHON), "-m", "pytest", *argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
