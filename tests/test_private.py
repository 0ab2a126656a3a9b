"""project/private.py: the user's own folder and key are used only when a checkout cannot
have supplied them: a real folder of this user closed to others, outside the project;
a key file of this user that nobody else can read. Otherwise there is none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ushtil.project import private


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    return base


def test_the_folder_is_made_closed_to_others(cache: Path) -> None:
    made = private.folder()
    assert made == cache / "ushtil"
    assert (made.stat().st_mode & 0o777) == 0o700
    assert private.folder() == made


def test_a_folder_anyone_could_have_made_is_not_used(cache: Path, tmp_path: Path) -> None:
    (cache / "ushtil").mkdir(parents=True, mode=0o755)
    os.chmod(cache / "ushtil", 0o755)  # as git or tar leave it
    assert private.folder() is None and private.key() is None
    os.rmdir(cache / "ushtil")
    (tmp_path / "planted").mkdir(mode=0o700)
    (cache / "ushtil").symlink_to(tmp_path / "planted")
    assert private.folder() is None


def test_a_folder_inside_the_project_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "home-as-checkout"
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".cache"))
    assert private.folder(project) is None
    assert private.folder(tmp_path / "another-project") == project / ".cache/ushtil"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert private.folder() is None


def test_the_key_is_made_once_and_kept_private(cache: Path) -> None:
    first = private.key()
    assert first is not None and len(first) == private.KEY_BYTES
    path = cache / "ushtil/key"
    assert (path.stat().st_mode & 0o777) == 0o600
    assert private.key() == first


@pytest.mark.parametrize("planted", ["readable", "link", "short"])
def test_a_key_anyone_could_have_planted_is_not_used(
    cache: Path, tmp_path: Path, planted: str
) -> None:
    home = private.folder()
    assert home is not None
    path = home / "key"
    if planted == "readable":
        path.write_bytes(b"k" * private.KEY_BYTES)
        os.chmod(path, 0o644)
    elif planted == "link":
        (tmp_path / "known").write_bytes(b"k" * private.KEY_BYTES)
        os.chmod(tmp_path / "known", 0o600)
        path.symlink_to(tmp_path / "known")
    else:
        path.write_bytes(b"k" * 5)
        os.chmod(path, 0o600)
    assert private.key() is None


def test_a_signature_proves_the_key_and_the_data(cache: Path) -> None:
    secret = private.key()
    assert secret is not None
    mac = private.sign(secret, b"plan")
    assert private.verify(secret, b"plan", mac)
    assert not private.verify(secret, b"plan!", mac)
    assert not private.verify(b"x" * private.KEY_BYTES, b"plan", mac)
    assert not private.verify(secret, b"plan", mac.upper())
