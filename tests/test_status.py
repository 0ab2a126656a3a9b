"""Translation status: provenance, freshness, the status command, stamping, readers' notices
and the editors' dashboard, all agreeing with each other."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import (
    NOW,
    build_ok,
    build_report,
    edit,
    find,
    hreflangs,
    make_project,
    messages,
    read,
)

from ushtil.cli.main import main
from ushtil.project.freshness import ChangeTimes, compute_status
from ushtil.site.build import load_site

EXPECTED = {
    "current": {"kk": "source", "ru": "current", "en": "current"},
    "outdated": {"kk": "outdated", "ru": "source", "en": "outdated"},
    "missing": {"kk": "current", "ru": "missing", "en": "source"},
    "draft": {"kk": "source", "ru": "draft", "en": "missing"},
}


@pytest.fixture
def status_site(tmp_path: Path) -> Path:
    return make_project(tmp_path, "status")


def states(project: Path) -> dict[str, dict[str, str]]:
    site = load_site(project).site
    assert site is not None
    status = compute_status(site)
    return {row.article.id: {c.lang: c.state for c in row.cells} for row in status.rows}


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_each_state_is_recognised(status_site: Path) -> None:
    assert states(status_site) == EXPECTED


def test_editing_a_source_outdates_exactly_its_translations(portal: Path) -> None:
    before = states(portal)
    assert before["party"] == {"kk": "current", "ru": "current", "en": "source"}
    edit(
        portal / "articles/party/en.md",
        "have supported the proposed",
        "unanimously supported the proposed",
    )
    after = states(portal)
    assert after["party"] == {"kk": "outdated", "ru": "outdated", "en": "source"}
    assert {k: v for k, v in after.items() if k != "party"} == {
        k: v for k, v in before.items() if k != "party"
    }


def test_a_translated_source_outdates_its_own_translations_only(status_site: Path) -> None:
    edit(
        status_site / "articles/current/ru.md", "построен новый мост", "построен большой новый мост"
    )
    after = states(status_site)
    # en was translated from ru; ru itself was translated from kk, whose text did not change
    assert after["current"] == {"kk": "source", "ru": "current", "en": "outdated"}


def test_digest_ignores_changes_that_are_not_to_the_text(portal: Path) -> None:
    path = portal / "articles/party/en.md"
    text = path.read_text(encoding="utf-8")
    head, title, summary, rest = text.split("\n", 3)
    reordered = "\n".join([head, summary, title, rest])  # front matter keys swapped
    reordered = reordered.replace(".\n", ".   \n")  # trailing spaces
    path.write_bytes(
        ("\n" + reordered + "\n\n").replace("\n", "\r\n").encode("utf-8")[2:]
    )  # CRLF, blank end
    assert path.read_bytes().count(b"\r\n") > 5
    assert states(portal)["party"] == {"kk": "current", "ru": "current", "en": "source"}
    edit(path, "Mukhtar Kul-Mukhammed has expressed", "Mukhtar Kul-Mukhammed expressed")
    assert states(portal)["party"]["kk"] == "outdated"


def test_status_table_and_fail_on(status_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(status_site, "status", capsys=capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["article", "source", "kk", "ru", "en"]
    assert lines[1].split()[:3] == ["draft", "kk", "source"]
    assert "kk: 3/4 up to date (75%): 1 outdated, 0 missing, 0 draft" in out
    assert "ru: 2/4 up to date (50%): 0 outdated, 1 missing, 1 draft" in out
    code, _, err = run(status_site, "status", "--fail-on", "outdated", capsys=capsys)
    assert code == 1 and "outdated/kk" in err and "outdated/en" in err
    code, _, _ = run(
        status_site, "status", "--lang", "kk", "--fail-on", "missing,draft", capsys=capsys
    )
    assert code == 0
    code, _, err = run(status_site, "status", "--lang", "ru", "--fail-on", "missing", capsys=capsys)
    assert code == 1 and "missing/ru" in err
    code, _, err = run(status_site, "status", "--fail-on", "stale", capsys=capsys)
    assert code == 2 and "'stale' is not one of outdated, missing, draft" in err
    code, _, err = run(status_site, "status", "--lang", "kz", capsys=capsys)
    assert code == 2 and "'kz'" in err


def test_status_json_is_stable_and_complete(
    status_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = run(status_site, "status", "--format", "json", capsys=capsys)
    assert code == 0
    _, second, _ = run(status_site, "status", "--format", "json", capsys=capsys)
    assert first == second
    data = json.loads(first)
    assert list(data) == ["languages", "articles", "summary"]
    assert data["languages"] == ["kk", "ru", "en"]
    by_id = {a["id"]: a for a in data["articles"]}
    assert {
        i: {lang: v["state"] for lang, v in a["versions"].items()} for i, a in by_id.items()
    } == EXPECTED
    outdated = by_id["outdated"]
    assert outdated["source"] == "ru"
    kk = outdated["versions"]["kk"]
    assert set(kk) == {"state", "path", "translated_from", "source_changed", "outdated_days"}
    assert kk["path"] == "articles/outdated/kk.md" and kk["translated_from"] == "ru"
    assert kk["source_changed"].endswith("Z") and isinstance(kk["outdated_days"], int)
    assert by_id["missing"]["versions"]["ru"] == {
        "state": "missing",
        "path": None,
        "translated_from": None,
        "source_changed": None,
        "outdated_days": None,
    }
    assert data["summary"]["kk"] == {
        "source": 2,
        "current": 1,
        "outdated": 1,
        "missing": 0,
        "draft": 0,
        "total": 4,
        "up_to_date_percent": 75,
    }


def test_how_long_ago_the_source_changed(status_site: Path) -> None:
    source = status_site / "articles/outdated/ru.md"
    ten_days_ago = NOW.timestamp() - 10 * 86400
    os.utime(source, (ten_days_ago, ten_days_ago))
    site = load_site(status_site).site
    assert site is not None
    status = compute_status(site, changed=ChangeTimes(status_site))
    assert status.as_dict(NOW)["articles"][2]["versions"]["kk"]["outdated_days"] == 10


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_change_time_comes_from_git_for_committed_files(status_site: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.kz", *args],
            cwd=status_site,
            check=True,
            capture_output=True,
            env={**os.environ, "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00"},
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "sample")
    times = ChangeTimes(status_site)
    assert times.of("articles/outdated/ru.md").isoformat() == "2026-11-01T12:00:00+00:00"  # type: ignore[union-attr]
    source = status_site / "articles/outdated/ru.md"
    edit(source, "тротуаров", "тротуаров и площадей")
    os.utime(source, (NOW.timestamp(), NOW.timestamp()))
    # modified since the last commit: its own modification time counts
    assert ChangeTimes(status_site).of("articles/outdated/ru.md") == NOW


def test_done_when_on_the_sample_site(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Change one English sentence of party; kk and ru go outdated; restamp kk after editing it."""
    edit(
        portal / "articles/party/en.md",
        "The conference participants have supported",
        "The conference participants unanimously supported",
    )
    code, out, _ = run(portal, "status", "--format", "json", "--fail-on", "outdated", capsys=capsys)
    assert code == 1
    versions = {a["id"]: a["versions"] for a in json.loads(out)["articles"]}["party"]
    assert (versions["kk"]["state"], versions["ru"]["state"]) == ("outdated", "outdated")

    code, _, err = run(portal, "translate", "done", "party", "kk", capsys=capsys)
    assert (
        code == 1
        and "articles/party/kk.md: en.md changed, but this version's text has not changed" in err
    )

    kk = portal / "articles/party/kk.md"
    body_before = kk.read_text(encoding="utf-8").split("+++\n", 2)[2]
    edit(kk, "Конференцияға қатысушылар", "Конференцияға қатысушылар бірауыздан")
    code, out, err = run(portal, "translate", "done", "party", "kk", capsys=capsys)
    assert code == 0, err
    assert "now current with en.md (was outdated)" in out
    assert states(portal)["party"] == {"kk": "current", "ru": "outdated", "en": "source"}
    assert kk.read_text(encoding="utf-8").split("+++\n", 2)[2] == body_before.replace(
        "Конференцияға қатысушылар", "Конференцияға қатысушылар бірауыздан"
    )
    code, _, err = run(portal, "status", "--lang", "kk", "--fail-on", "outdated", capsys=capsys)
    assert code == 0, err


def test_translate_scaffolds_a_draft_that_is_never_published(
    status_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        status_site, "translate", "new", "missing", "--to", "ru", "--from", "kk", capsys=capsys
    )
    assert code == 0, err
    text = (status_site / "articles/missing/ru.md").read_text(encoding="utf-8")
    assert 'title = "Мұражайлар түні"' in text and "draft = true" in text and 'lang = "kk"' in text
    assert states(status_site)["missing"]["ru"] == "draft"
    public = build_ok(status_site)
    assert not (public / "ru/news/missing").exists()

    code, _, err = run(status_site, "translate", "new", "missing", "--to", "ru", capsys=capsys)
    assert code == 1 and "articles/missing/ru.md: already exists" in err
    code, _, err = run(status_site, "translate", "new", "nothing-here", "--to", "ru", capsys=capsys)
    assert code == 1 and "no article 'nothing-here'" in err
    code, _, err = run(
        status_site, "translate", "new", "draft", "--to", "en", "--from", "en", capsys=capsys
    )
    assert code == 1 and "no 'en' version" in err

    code, _, err = run(status_site, "translate", "done", "missing", "ru", capsys=capsys)
    assert code == 1 and "still the text copied from kk.md" in err
    edit(status_site / "articles/missing/ru.md", "Мұражайлар түні", "Ночь музеев")
    edit(
        status_site / "articles/missing/ru.md",
        "Сенбі күні мұражайлар түні бойы ашық.",
        "В субботу музеи открыты всю ночь.",
    )
    code, out, err = run(status_site, "translate", "done", "missing", "ru", capsys=capsys)
    assert code == 0, err
    assert "draft = true" not in (status_site / "articles/missing/ru.md").read_text(
        encoding="utf-8"
    )
    assert states(status_site)["missing"]["ru"] == "current"
    assert "Ночь музеев" in read(build_ok(status_site), "/ru/news/missing/")


def test_translated_keeps_crlf_and_refuses_what_it_cannot_know(
    status_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = status_site / "articles/outdated/kk.md"
    kk.write_bytes(
        kk.read_bytes()
        .replace(b"\n", b"\r\n")
        .replace("жол жөндеу".encode(), "жол мен тротуар жөндеу".encode())
    )
    code, _, err = run(status_site, "translate", "done", "outdated", "kk", capsys=capsys)
    assert code == 0, err
    raw = kk.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")

    en = status_site / "articles/outdated/en.md"
    edit(en, "own_digest", "# own_digest")
    code, _, err = run(status_site, "translate", "done", "outdated", "en", capsys=capsys)
    assert code == 1 and "no record of this version's text" in err
    code, _, err = run(status_site, "translate", "done", "outdated", "en", "--force", capsys=capsys)
    assert code == 0, err

    code, _, err = run(status_site, "translate", "done", "current", "kk", capsys=capsys)
    assert code == 1 and "--from <language>" in err
    code, _, err = run(
        status_site, "translate", "done", "current", "kk", "--from", "en", capsys=capsys
    )
    assert code == 1 and "the article would have no original" in err
    code, _, err = run(status_site, "translate", "done", "missing", "ru", capsys=capsys)
    assert code == 1 and "start it with `ushtil translate new missing --to ru`" in err
    assert states(status_site)["current"]["kk"] == "source"


def test_strict_build_fails_on_outdated_required_versions(status_site: Path) -> None:
    report = build_report(status_site)
    assert report.ok
    outdated = [m for m in messages(report) if "outdated:" in m]
    assert outdated == [
        "articles/outdated/en.md:1: warning: outdated: ru.md changed after this translation "
        "was made; update it, then run `ushtil translate done outdated en`",
        "articles/outdated/kk.md:1: warning: outdated: ru.md changed after this translation "
        "was made; update it, then run `ushtil translate done outdated kk`",
    ]
    shutil.rmtree(status_site / "public")
    strict = build_report(status_site, strict=True)
    assert not strict.ok
    errors = [str(d) for d in strict.diagnostics if d.is_error]
    assert any(e.startswith("articles/outdated/kk.md:1: outdated:") for e in errors)
    assert not any("outdated/en.md" in e for e in errors)  # en is not required
    assert not (status_site / "public").exists()


def test_readers_see_the_outdated_notice_in_their_language(status_site: Path) -> None:
    public = build_ok(status_site)
    kk = read(public, "/kk/news/outdated/")
    notice = find(kk, "p", class_="notice outdated")
    assert len(notice) == 1
    assert (
        "Бұл мақаланың түпнұсқасы (орыс тілі) осы аударма жасалғаннан кейін жаңартылды."
        in notice[0].text
    )
    assert [a.get("href") for a in find(kk, "a", hreflang="ru") if "түпнұсқа" in a.text] == [
        "/ru/news/outdated/"
    ]
    en = read(public, "/en/news/outdated/")
    assert "The Russian version of this article was updated after this translation was made." in en
    for url in (
        "/ru/news/outdated/",
        "/kk/news/current/",
        "/ru/news/current/",
        "/en/news/missing/",
    ):
        assert not find(read(public, url), "p", class_="notice outdated"), url


def test_dashboard_matches_status_and_pages(status_site: Path) -> None:
    public = build_ok(status_site)
    site = load_site(status_site).site
    assert site is not None
    expected = {
        row.article.id: {c.lang: c.state for c in row.cells} for row in compute_status(site).rows
    }
    for url, lang in (
        ("/_status/", "kk"),
        ("/_status/kk/", "kk"),
        ("/_status/ru/", "ru"),
        ("/_status/en/", "en"),
    ):
        html = read(public, url)
        assert find(html, "html")[0].get("lang") == lang
        assert find(html, "meta", name="robots", content="noindex")
        assert not hreflangs(html)
        rows = [tr.get("data-article") for tr in find(html, "tr") if tr.get("data-article")]
        assert rows == ["draft", "missing", "outdated", "current"]
    html = read(public, "/_status/en/")
    matrix = [
        td
        for td in find(html, "td")
        if td.get("data-lang") and (td.get("class") or "").startswith("state-")
    ]
    assert len(matrix) == 12
    row_ids = [tr.get("data-article") for tr in find(html, "tr") if tr.get("data-article")]
    got: dict[str, dict[str, str]] = {}
    for index, td in enumerate(matrix):
        got.setdefault(row_ids[index // 3], {})[td.get("data-lang") or ""] = (
            td.get("data-state") or ""
        )
    assert got == expected
    # every published version is linked from the dashboard, and its page agrees with its state
    links = {a.get("href") for a in find(html, "a") if (a.get("href") or "").count("/news/")}
    for article_id, row in expected.items():
        for lang, state in row.items():
            url = f"/{lang}/news/{article_id}/"
            published = state in ("source", "current", "outdated")
            assert (url in links) == published, url
            if published:
                assert bool(find(read(public, url), "p", class_="notice outdated")) == (
                    state == "outdated"
                ), url
    coverage = {tr.get("data-lang"): tr for tr in find(html, "tr") if tr.get("data-lang")}
    assert set(coverage) == {"kk", "ru", "en"}
    assert "3 / 4 (75%)" in coverage["kk"].text
    ru = read(public, "/_status/ru/")
    assert "Состояние переводов" in ru and "устарело" in ru
