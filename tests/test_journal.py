"""engine/journal.py: the journal of an update in place is believed only when this user's
ushtil signed it and it names ushtil's own staging folder and plain paths inside the
output; applying it moves exactly what it names and never follows a link out."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import build_ok

from ushtil.engine.journal import (
    Plan,
    apply_plan,
    is_plain,
    journal_path,
    read_journal,
    real_folder_inside,
    write_journal,
)
from ushtil.engine.write import Spool


@pytest.fixture
def update(basic: Path) -> tuple[Path, Plan]:
    """A built output and a staging folder of ushtil's beside it, holding one new page."""
    out = build_ok(basic)
    staging = Path(Spool(out).open())
    (staging / "kk/news/a-full").mkdir(parents=True)
    (staging / "kk/news/a-full/index.html").write_text("new", encoding="utf-8")
    (out / "kk/old/deep").mkdir(parents=True)
    (out / "kk/old/deep/page.html").write_text("old", encoding="utf-8")
    plan: Plan = {
        "staging": staging.name,
        "changed": ["kk/news/a-full/index.html"],
        "removed": ["kk/old/deep/page.html"],
    }
    return out, plan


def test_a_signed_journal_is_read_back(update: tuple[Path, Plan]) -> None:
    out, plan = update
    journal = journal_path(out)
    assert journal == out.parent / ".public.journal"
    write_journal(journal, plan)
    assert read_journal(journal, out) == plan


def test_a_journal_is_not_believed_when_anything_is_off(update: tuple[Path, Plan]) -> None:
    out, plan = update
    journal = journal_path(out)
    write_journal(journal, plan)
    signed = journal.read_bytes()
    mac, data = signed.split(b"\n", 1)
    forged = {
        "a changed byte": mac + b"\n" + data.replace(b"a-full", b"a-fulL"),
        "unsigned": b"unsigned\n" + data,
        "another signature": b"0" * len(mac) + b"\n" + data,
        "empty": b"",
    }
    for name, content in forged.items():
        journal.write_bytes(content)
        assert read_journal(journal, out) is None, name
    # a link in the journal's place is not read through
    journal.unlink()
    (out.parent / "elsewhere").write_bytes(signed)
    journal.symlink_to(out.parent / "elsewhere")
    assert read_journal(journal, out) is None


@pytest.mark.parametrize(
    "change",
    [
        {"staging": "../public"},
        {"staging": ".public.new-x/.."},
        {"staging": ".other.new-abc"},
        {"changed": ["../../etc/passwd"]},
        {"changed": ["/etc/passwd"]},
        {"removed": ["kk/./index.html"]},
        {"removed": ["kk//index.html"]},
        {"changed": "kk/index.html"},
        {"removed": [7]},
    ],
)
def test_a_signed_plan_naming_what_is_not_ushtil_s_is_refused(
    update: tuple[Path, Plan], change: dict[str, object]
) -> None:
    out, plan = update
    journal = journal_path(out)
    write_journal(journal, {**plan, **change})  # type: ignore[typeddict-item]
    assert read_journal(journal, out) is None


def test_a_staging_folder_without_ushtil_s_marker_is_refused(update: tuple[Path, Plan]) -> None:
    out, plan = update
    foreign = out.parent / ".public.new-foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("x", encoding="utf-8")
    write_journal(journal_path(out), {**plan, "staging": foreign.name})
    assert read_journal(journal_path(out), out) is None


def test_writing_a_journal_replaces_a_link_in_its_place(update: tuple[Path, Plan]) -> None:
    out, plan = update
    target = out.parent / "target.txt"
    target.write_text("keep", encoding="utf-8")
    journal_path(out).symlink_to(target)
    write_journal(journal_path(out), plan)
    assert target.read_text(encoding="utf-8") == "keep"
    assert not journal_path(out).is_symlink()
    assert read_journal(journal_path(out), out) == plan


def test_applying_a_plan_moves_removes_and_tidies(update: tuple[Path, Plan]) -> None:
    out, plan = update
    apply_plan(out, plan)
    assert (out / "kk/news/a-full/index.html").read_text(encoding="utf-8") == "new"
    assert not (out / "kk/old").exists()  # emptied folders go with the file
    assert (out / "kk/index.html").is_file()  # what the plan does not name stays
    assert not (out.parent / plan["staging"]).exists()
    apply_plan(out, plan)  # a second time (a resumed update): nothing more happens
    assert (out / "kk/news/a-full/index.html").read_text(encoding="utf-8") == "new"


def test_applying_a_plan_never_goes_through_a_link(
    update: tuple[Path, Plan], tmp_path: Path
) -> None:
    out, plan = update
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.html").write_text("not ushtil's", encoding="utf-8")
    os.rename(out / "kk/old", tmp_path / "moved")
    (out / "kk/old").symlink_to(outside)
    removal: Plan = {**plan, "changed": [], "removed": ["kk/old/page.html"]}
    with pytest.raises(OSError) as raised:
        apply_plan(out, removal)
    assert raised.value.errno == errno.ELOOP
    assert (outside / "page.html").read_text(encoding="utf-8") == "not ushtil's"


def test_plain_paths_and_real_folders(tmp_path: Path) -> None:
    for path in ("a", "kk/news/x/index.html", "a..b/c"):
        assert is_plain(path), path
    for path in ("", "/a", "a/", "a//b", "./a", "a/../b", "..", "a\0b"):
        assert not is_plain(path), path
    (tmp_path / "out/real").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out/link").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "out/file").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    assert real_folder_inside(out, "real/page.html")
    assert real_folder_inside(out, "not/yet/made.html")
    assert real_folder_inside(out, "top.html")
    assert not real_folder_inside(out, "link/page.html")
    assert not real_folder_inside(out, "file/page.html")
