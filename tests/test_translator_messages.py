"""What a translator reads: the command in an exported file, the lines errors name."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from ushtil.cli.main import main


def command_in(path: Path) -> list[str]:
    line = next(t for t in path.read_text(encoding="utf-8").split("\n") if "When done, run:" in t)
    return shlex.split(line.split("When done, run: ", 1)[1])


@pytest.mark.parametrize("out", [None, "inside", "outside folder"])
def test_the_when_done_line_works_as_written_from_the_project_root(
    portal: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: str | None,
) -> None:
    monkeypatch.chdir(portal)
    args = ["translate", "export", "party", "--from", "ru", "--to", "kk"]
    if out == "inside":
        args += ["--out", "today"]
    elif out is not None:
        args += ["--out", str(tmp_path / out)]
    assert main(args) == 0
    shown = capsys.readouterr().out.split(":")[0]
    argv = command_in(Path(shown))
    assert argv[:3] == ["ushtil", "translate", "import"]
    code = main(argv[1:])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "articles/party/kk.md: written current (10/10 segments)" in captured.out


def test_an_entry_that_is_no_segment_is_named_at_its_msgctxt(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(portal), "translate", "export", "party", "--from", "ru",
                 "--to", "kk"]) == 0  # fmt: skip
    path = portal / "i18n/articles/party.kk.po"
    text = path.read_text(encoding="utf-8").replace('msgctxt "party/3"', 'msgctxt "party/99"')
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index('msgctxt "party/99"') + 1
    capsys.readouterr()
    assert main(["-C", str(portal), "translate", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"i18n/articles/party.kk.po:{line}: msgctxt 'party/99' is not a segment" in err
