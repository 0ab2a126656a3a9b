"""A checkout runs nothing through git: ushtil asks git only when a source last changed,
of the repository at the project's own folder, and no program that a checkout's git
configuration names (fsmonitor, hooks, pager, external diff, textconv, filters, gpg,
a lazy fetch's ssh command, …) runs on `build` or `status`. Without git, nothing changes
but the dates (modification times)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, edit, make_project

from ushtil.cli.main import main
from ushtil.engine.changes import signature
from ushtil.project import git
from ushtil.project.freshness import ChangeTimes

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")
COMMITTED = "2026-11-01T12:00:00+00:00"
SOURCE = "articles/outdated/ru.md"  # the source of two outdated translations
HOOKS = (
    "applypatch-msg pre-applypatch post-applypatch pre-commit pre-merge-commit "
    "prepare-commit-msg commit-msg post-commit pre-rebase post-checkout post-merge pre-push "
    "pre-receive update proc-receive post-receive post-update reference-transaction "
    "push-to-checkout pre-auto-gc post-rewrite sendemail-validate fsmonitor-watchman "
    "p4-changelist p4-prepare-changelist p4-post-changelist p4-pre-submit post-index-change"
).split()


class Marks:
    """Programs that leave a file named after themselves in one folder when they run."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "marks"
        self.bin = tmp_path / "bin"
        self.folder.mkdir()
        self.bin.mkdir()

    def program(self, name: str, folder: Path | None = None) -> str:
        path = (folder or self.bin) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"#!/bin/sh\ntouch '{self.folder}/{name}'\nexit 1\n")
        path.chmod(0o755)
        return str(path)

    def left(self) -> list[str]:
        return sorted(os.listdir(self.folder))


def git_in(folder: Path, *args: str) -> str:
    """The test's own git: none of the user's configuration, a fixed commit date."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_COMMITTER_DATE": COMMITTED,
        "GIT_AUTHOR_DATE": COMMITTED,
    }
    done = subprocess.run(
        [GIT or "git", "-c", "user.name=t", "-c", "user.email=t@example.kz", *args],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def commit_all(project: Path) -> None:
    git_in(project, "init", "-q")
    git_in(project, "add", ".")
    git_in(project, "commit", "-qm", "the site")


def run_commands(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """`build` then `status` (JSON) through the command line, as a user runs them."""
    assert main(["-C", str(project), "build"]) in (0, 1)
    capsys.readouterr()
    assert main(["-C", str(project), "status", "--format", "json"]) == 0
    out = capsys.readouterr().out
    return dict(json.loads(out))


def outdated_source_changed(status: dict[str, object]) -> str:
    articles = status["articles"]
    assert isinstance(articles, list)
    versions = next(a["versions"] for a in articles if a["id"] == "outdated")
    return str(versions["kk"]["source_changed"])


def plant_programs(project: Path, marks: Marks) -> None:
    """Every program-naming key of git's configuration in the project's `.git/config`
    (as an unpacked archive can carry it), with `.gitattributes` to match, hooks in both
    hook folders, and a racily clean, touched and a modified file so that a `git status`
    would refresh the index and filter them."""
    gitdir = project / ".git"
    for hook in HOOKS:
        marks.program(hook, gitdir / "hooks")
        marks.program(hook, gitdir / "evil-hooks")
    (project / ".gitattributes").write_text("*.md diff=x filter=x merge=x\n")
    settings = {
        "core.fsmonitor": marks.program("fsmonitor"),
        "core.hooksPath": str(gitdir / "evil-hooks"),
        "core.pager": marks.program("pager"),
        "pager.log": marks.program("pager-log"),
        "pager.status": marks.program("pager-status"),
        "pager.ls-tree": marks.program("pager-ls-tree"),
        "core.editor": marks.program("editor"),
        "core.askPass": marks.program("askpass"),
        "core.sshCommand": marks.program("ssh"),
        "core.alternateRefsCommand": marks.program("alternate-refs"),
        "diff.external": marks.program("external-diff"),
        "diff.x.textconv": marks.program("textconv"),
        "diff.x.command": marks.program("diff-command"),
        "filter.x.clean": marks.program("clean"),
        "filter.x.smudge": marks.program("smudge"),
        "filter.x.process": marks.program("filter-process"),
        "filter.x.required": "true",
        "merge.x.driver": marks.program("merge-driver"),
        "credential.helper": marks.program("credential"),
        "log.showSignature": "true",
        "gpg.program": marks.program("gpg"),
        "gpg.ssh.program": marks.program("gpg-ssh"),
        "gpg.x509.program": marks.program("gpg-x509"),
        "core.untrackedCache": "true",
        "status.submoduleSummary": "true",
        "diff.renames": "copies",
    }
    for key, value in settings.items():
        git_in(project, "config", key, value)
    edit(project / SOURCE, "тротуаров", "тротуаров и площадей")  # modified
    later = NOW.timestamp()
    os.utime(project / "articles/current/kk.md", (later, later))  # touched, same bytes


def signed_commit(project: Path) -> None:
    """HEAD becomes a commit with a signature, which `log.showSignature` has gpg check."""
    text = git_in(project, "cat-file", "commit", "HEAD")
    head, _, message = text.partition("\n\n")
    signature_block = (
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    )
    forged = f"{head}\n{signature_block}\n\n{message}"
    done = subprocess.run(
        [GIT or "git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=project,
        input=forged,
        capture_output=True,
        text=True,
        check=True,
    )
    git_in(project, "update-ref", "HEAD", done.stdout.strip())


@needs_git
def test_a_checkouts_git_configuration_runs_no_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = Marks(tmp_path)
    project = make_project(tmp_path, "status")
    commit_all(project)
    signed_commit(project)
    plant_programs(project, marks)
    status = run_commands(project, capsys)
    assert marks.left() == [], marks.left()
    # git is still asked: an unmodified committed file is dated by its commit
    times = ChangeTimes(project)
    assert times.of("articles/current/kk.md") == dt.datetime.fromisoformat(COMMITTED)
    # a modified one by its own time
    assert outdated_source_changed(status) != "2026-11-01T12:00:00Z"
    assert marks.left() == [], marks.left()


@needs_git
def test_only_fsmonitor_planted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The simplest case, alone: `core.fsmonitor` in an unpacked archive's `.git/config`."""
    marks = Marks(tmp_path)
    project = make_project(tmp_path, "status")
    commit_all(project)
    git_in(project, "config", "core.fsmonitor", marks.program("fsmonitor"))
    edit(project / SOURCE, "тротуаров", "тротуаров и площадей")
    run_commands(project, capsys)
    assert marks.left() == [], marks.left()


@needs_git
@pytest.mark.parametrize("bare", ["true", "false"])
def test_a_bare_repository_lookalike_in_the_project_folder(
    tmp_path: Path, bare: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A site kept in a subfolder with no `.git` of its own, carrying `HEAD`, `objects/`,
    `refs/` and a `config`: git would take the project folder for a repository."""
    marks = Marks(tmp_path)
    outer = tmp_path / "outer"
    outer.mkdir()
    project = make_project(outer, "status")
    template = tmp_path / "template.git"
    git_in(tmp_path, "init", "-q", "--bare", str(template))
    for name in ("HEAD", "objects", "refs"):
        source = template / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy(source, project / name)
    (project / "config").write_text(
        "[core]\n"
        "\trepositoryformatversion = 0\n"
        f"\tbare = {bare}\n"
        + ("\tworktree = .\n" if bare == "false" else "")
        + f"\tfsmonitor = {marks.program('fsmonitor')}\n"
        f"\tpager = {marks.program('pager')}\n"
        f"\thooksPath = {project / 'hooks'}\n"
    )
    for hook in HOOKS:
        marks.program(hook, project / "hooks")
    run_commands(project, capsys)
    assert marks.left() == [], marks.left()


@needs_git
def test_a_repository_around_the_project_is_not_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A project in a subfolder of a repository (an unpacked archive with a `.git` above
    it): ushtil asks only the repository at the project's own folder, so here none."""
    marks = Marks(tmp_path)
    outer = tmp_path / "outer"
    outer.mkdir()
    project = make_project(outer, "status")
    commit_all(outer)
    git_in(outer, "config", "core.fsmonitor", marks.program("fsmonitor"))
    edit(project / SOURCE, "тротуаров", "тротуаров и площадей")
    old = dt.datetime(2026, 11, 17, 12, 0, tzinfo=dt.UTC)
    os.utime(project / SOURCE, (old.timestamp(), old.timestamp()))
    status = run_commands(project, capsys)
    assert marks.left() == [], marks.left()
    assert outdated_source_changed(status) == "2026-11-17T12:00:00Z"  # its own time


@needs_git
def test_a_partial_clone_fetches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An object missing from a partial clone makes git fetch it from a promisor remote:
    through `core.sshCommand`, `core.gitProxy`, a local `uploadpack` or `ext::`."""
    marks = Marks(tmp_path)
    project = make_project(tmp_path, "status")
    commit_all(project)
    edit(project / SOURCE, "тротуаров", "тротуаров и площадей")
    git_in(project, "commit", "-qam", "an edit")
    tree = git_in(project, "rev-parse", "HEAD~1^{tree}").strip()
    (project / ".git/objects" / tree[:2] / tree[2:]).unlink()
    settings = {
        "core.repositoryformatversion": "1",
        "extensions.partialClone": "origin",
        "remote.origin.url": "ssh://example.invalid/site.git",
        "remote.origin.promisor": "true",
        "core.sshCommand": marks.program("ssh"),
        "protocol.allow": "always",
        "protocol.ssh.allow": "always",
        "remote.local.url": str(tmp_path / "elsewhere"),
        "remote.local.promisor": "true",
        "remote.local.uploadpack": marks.program("uploadpack"),
        "protocol.file.allow": "always",
        "remote.proxied.url": "git://example.invalid/site.git",
        "remote.proxied.promisor": "true",
        "core.gitProxy": marks.program("git-proxy"),
        "remote.ext.url": f"ext::{marks.program('ext')}",
        "remote.ext.promisor": "true",
        "protocol.ext.allow": "always",
    }
    for key, value in settings.items():
        git_in(project, "config", key, value)
    run_commands(project, capsys)
    assert marks.left() == [], marks.left()


@needs_git
def test_a_git_planted_in_the_project_is_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `.` (or an empty entry) in `PATH`, a `git` file in the checkout would be found
    first: only the absolute folders of `PATH` are searched."""
    marks = Marks(tmp_path)
    project = make_project(tmp_path, "status")
    commit_all(project)
    marks.program("git", project)
    edit(project / SOURCE, "тротуаров", "тротуаров и площадей")
    monkeypatch.chdir(project)
    monkeypatch.setenv("PATH", os.pathsep.join([".", "", os.environ.get("PATH", "")]))
    run_commands(project, capsys)
    assert marks.left() == [], marks.left()
    assert git.executable() == GIT


def test_without_git_dates_are_modification_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, "status")
    if GIT is not None:
        commit_all(project)
    old = dt.datetime(2026, 11, 17, 12, 0, tzinfo=dt.UTC)
    os.utime(project / SOURCE, (old.timestamp(), old.timestamp()))
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert git.executable() is None
    assert main(["-C", str(project), "build"]) == 0
    capsys.readouterr()
    status = run_commands(project, capsys)
    assert outdated_source_changed(status) == "2026-11-17T12:00:00Z"
    assert (project / "public/kk/index.html").is_file()


@needs_git
def test_a_commit_is_noticed_by_the_no_change_signature(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    commit_all(project)
    out = project / "public"
    before, _ = signature(project, out, "fp")
    git_in(project, "commit", "-q", "--allow-empty", "-m", "nothing")
    after, _ = signature(project, out, "fp")
    assert before != after
    assert signature(project, out, "fp")[0] == after


def test_head_names_no_file_outside_the_repository(tmp_path: Path) -> None:
    """`.git/HEAD` is read as a small file of the repository: a ref that climbs out of
    `.git`, or a HEAD or ref that is a link, a FIFO or a large file, is not read."""
    project = tmp_path / "p"
    (project / ".git/refs/heads").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.write_text("one")
    out = project / "public"
    (project / ".git/HEAD").write_text("ref: refs/heads/../../../../outside\n")
    before, _ = signature(project, out, "fp")
    outside.write_text("two")
    assert signature(project, out, "fp")[0] == before
    (project / ".git/HEAD").unlink()
    os.mkfifo(project / ".git/HEAD")
    assert stat.S_ISFIFO(os.stat(project / ".git/HEAD").st_mode)
    assert signature(project, out, "fp")[0]  # returns: the FIFO is not waited on
    os.unlink(project / ".git/HEAD")
    (project / ".git/HEAD").write_text("ref: refs/heads/main\n")
    os.mkfifo(project / ".git/refs/heads/main")
    assert signature(project, out, "fp")[0]
    os.unlink(project / ".git/refs/heads/main")
    os.symlink(outside, project / ".git/refs/heads/main")
    before, _ = signature(project, out, "fp")
    outside.write_text("three")
    assert signature(project, out, "fp")[0] == before


@needs_git
def test_a_worktree_is_asked_through_its_git_file(tmp_path: Path) -> None:
    """`.git` may be a file naming the repository (`git worktree add`): commit dates come
    from it, and a commit there is noticed by the no-change signature."""
    project = make_project(tmp_path, "status")
    commit_all(project)
    worktree = tmp_path / "worktree"
    git_in(project, "worktree", "add", "-q", str(worktree))
    assert (worktree / ".git").is_file()
    when = ChangeTimes(worktree).of("articles/current/kk.md")
    assert when == dt.datetime.fromisoformat(COMMITTED)
    before, _ = signature(worktree, worktree / "public", "fp")
    git_in(worktree, "commit", "-q", "--allow-empty", "-m", "nothing")
    assert signature(worktree, worktree / "public", "fp")[0] != before
