"""Articles translated as .po files: segments, export/import, re-export after a source
change, translation memory; every file checked by GNU gettext itself."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import build_ok, edit, read

from ushtil.cli.main import main
from ushtil.interface.pofile import Entry, render
from ushtil.project.freshness import version_state
from ushtil.project.markdown import inline_problems, markdown_renderer
from ushtil.project.model import Version
from ushtil.site.build import load_site
from ushtil.translation import segments

PO = "i18n/articles/party.kk.po"


def msgfmt_and_msgcat(path: Path) -> None:
    """GNU gettext accepts the file, and rewriting it in GNU's layout changes nothing."""
    for tool in ("msgfmt", "msgcat"):
        if shutil.which(tool) is None:
            pytest.fail(f"GNU gettext's {tool} is not installed (python3 dev.py test installs it)")
    checked = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    rewritten = subprocess.run(
        ["msgcat", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert rewritten == path.read_text(encoding="utf-8")


def article(project: Path, article_id: str):  # type: ignore[no-untyped-def]
    site = load_site(project).site
    assert site is not None
    found = site.article(article_id)
    assert found is not None
    return found


def fill(path: Path, translations: dict[str, str]) -> None:
    """A translator at work: another tool (polib) writes the file in its own layout."""
    po = polib.pofile(str(path))
    for entry in po:
        key = entry.msgctxt.split("/", 1)[1]
        if key in translations:
            entry.msgstr = translations[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


BODY = """# Заголовок

Текст с **жирным**, *курсивом*, `кодом`, [ссылкой](https://example.kz/a "Т") и ![фото](/m/x.jpg).

- пункт один
- пункт [два](http://x.kz)
  продолжение

1. первый

2. второй

> цитата
> вторая строка

| Город | Жители |
| :--- | ---: |
| Астана | 1 \\| 2 |

```py
code = 1
```

<div>html</div>

---

2016\\. год начался. Строка с \\* звездой и &amp; амперсандом.
"""


def test_segments_keep_every_block_and_hide_urls() -> None:
    version = Version("x", "ru", "Заголовок *статьи*", "Кратко", BODY, None, 1, "")  # type: ignore[arg-type]
    found = segments.split(version)
    assert [(s.key, s.kind) for s in found][:4] == [
        ("title", "title"),
        ("summary", "summary"),
        ("1", "heading 1"),
        ("2", "paragraph"),
    ]
    paragraph = found[3]
    assert paragraph.text == "Текст с **жирным**, *курсивом*, `кодом`, [ссылкой][1] и ![фото][2]."
    assert paragraph.links == (("https://example.kz/a", "Т"), ("/m/x.jpg", ""))
    assert "https://" not in "".join(s.text for s in found)
    assert {s.kind for s in found} >= {
        "list item",
        "quoted paragraph",
        "table header cell",
        "table cell",
    }
    # the same text back: the same HTML, block for block
    rebuilt = segments.rebuild(version, {s.key: s.text for s in found})
    md = markdown_renderer(raw_html=True)
    assert md.render(rebuilt) == md.render(BODY)


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("Текст [ссылка][1] и `код`.", "Мәтін [сілтеме][1] және `код`.", None),
        ("Текст [ссылка][1].", "Мәтін сілтеме.", "link [1] is missing"),
        ("Текст [ссылка][1].", "Мәтін [сілтеме][1] [тағы][2].", "link [2] is not in the source"),
        ("Код `x = 1` здесь.", "Код `x = 2` мұнда.", "code `x = 1` is missing"),
        ("Очень **важно**.", "Өте маңызды.", "strong is missing"),
        ("Текст <br> тут.", "Мәтін <script>x</script>.", "HTML <br> is missing"),
    ],
)
def test_translations_must_keep_the_source_markup(
    source: str, translation: str, problem: str | None
) -> None:
    found = inline_problems(source, translation)
    assert (problem in found) if problem else not found, found


def test_done_when_export_fill_import_then_source_change(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (portal / "articles/party/kk.md").read_text(encoding="utf-8")
    kk_text = {s.key: s.text for s in segments.split(article(portal, "party").version("kk"))}
    (portal / "articles/party/kk.md").unlink()

    code, out, err = run(
        portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys
    )
    assert code == 0, err
    assert out.strip() == f"{PO}: 10 segments, 0 translated, 0 fuzzy"
    path = portal / PO
    msgfmt_and_msgcat(path)
    po = polib.pofile(str(path))
    assert po.metadata["X-Ushtil-Source-Language"] == "ru" and po.metadata["Language"] == "kk"
    first = po.find("party/1", by="msgctxt")
    assert first is not None and first.msgid.startswith(
        "Сегодня на внеочередной партийной конференции"
    )
    assert (
        "article party: Асет Исекешев возглавил" in first.comment
        and "paragraph 1 of 8, segment party/1" in first.comment
    )

    fill(path, kk_text)
    code, out, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 0, err
    assert out.strip() == "articles/party/kk.md: written current (10/10 segments)"
    written = (portal / "articles/party/kk.md").read_text(encoding="utf-8")
    assert written.split("+++\n")[2] == original.split("+++\n")[2]  # the same body, block for block
    assert 'lang = "ru"' in written and "draft" not in written
    assert (
        version_state(article(portal, "party"), article(portal, "party").version("kk")) == "current"
    )
    assert "Әсет Исекешев" in read(build_ok(portal), "/kk/news/party/")

    edit(
        portal / "articles/party/ru.md",
        "Участники конференции поддержали",
        "Участники конференции единогласно поддержали",
    )
    assert (
        version_state(article(portal, "party"), article(portal, "party").version("kk"))
        == "outdated"
    )
    code, out, _ = run(
        portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys
    )
    assert out.strip() == f"{PO}: 10 segments, 9 translated, 1 fuzzy"
    msgfmt_and_msgcat(path)
    fuzzy = [e for e in polib.pofile(str(path)) if e.fuzzy]
    assert [e.msgctxt for e in fuzzy] == ["party/8"]
    assert fuzzy[0].previous_msgid == "Участники конференции поддержали предложенную кандидатуру."
    assert fuzzy[0].msgstr == "Конференцияға қатысушылар ұсынылған кандидатураны қолдады."
    # importing while a segment is still fuzzy is refused, with the entry's line
    code, _, err = run(portal, "translate", "import", PO, capsys=capsys)
    fuzzy_mark = "segment party/8 (paragraph) is fuzzy: check it and clear the fuzzy mark"
    lines = path.read_text(encoding="utf-8").split("\n")
    context = lines.index('msgctxt "party/8"') + 1
    msgstr = next(n for n in range(context, len(lines) + 1) if lines[n - 1].startswith("msgstr"))
    # named from the project's folder (-C), at the line of the entry's msgstr
    assert code == 1 and f"{PO}:{msgstr}: {fuzzy_mark}" in err
    fill(path, {"8": "Конференцияға қатысушылар ұсынылған кандидатураны бірауыздан қолдады."})
    code, _, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 0, err
    assert (
        version_state(article(portal, "party"), article(portal, "party").version("kk")) == "current"
    )


def test_import_refuses_incomplete_files_and_changed_sources(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (portal / "articles/party/kk.md").unlink()
    run(portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys)
    path = portal / PO
    fill(
        path,
        {
            "title": "Әсет Исекешев «Нұр Отан» партиясының елордалық филиалын басқарды",
            "1": "Бүгін [сілтеме][1] жоқ.",
        },
    )
    code, _, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 1
    assert "segment party/summary (summary) is not translated" in err
    assert "segment party/1 (paragraph): link [1] is not in the source" in err
    assert (
        "1 of 10 segments usable (10%, at least 100% needed); "
        "nothing was written (use --draft to write a draft)"
    ) in err
    assert not (portal / "articles/party/kk.md").exists()
    code, out, err = run(portal, "translate", "import", PO, "--draft", capsys=capsys)
    assert code == 0 and "written as a draft (1/10 segments)" in out
    draft = article(portal, "party").version("kk")
    assert draft is not None and draft.draft and draft.title.startswith("Әсет")
    assert not (build_ok(portal) / "kk/news/party").exists()  # drafts are never published

    edit(
        portal / "articles/party/ru.md", "Участники конференции поддержали", "Участники поддержали"
    )
    code, _, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 1 and "ru.md changed since this file was exported; export it again" in err

    fill(
        path, {"title": "Әсет Исекешев «Нұр Oтан» партиясының елордалық филиалын басқарды "}
    )  # Latin O, a space
    code, _, err = run(portal, "translate", "import", PO, "--draft", capsys=capsys)
    assert code == 1
    assert "msgstr does not start and end with the same spaces and newlines as the source" in err
    assert "msgstr: 'Oтан' mixes Latin 'O' (meant 'О'?) into a Cyrillic word" in err

    (portal / "broken.po").write_text('msgid "x\nmsgstr ""\n', encoding="utf-8")
    code, _, err = run(portal, "translate", "import", "broken.po", capsys=capsys)
    assert code == 1 and "broken.po:1:" in err


def test_memory_prefills_a_second_article(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ru = article(portal, "party").version("ru")
    paragraphs = [s.text for s in segments.split(ru)[2:]]
    folder = portal / "articles/10901"
    folder.mkdir()
    (folder / "article.toml").write_text(
        'published = 2016-07-08T10:00:00+06:00\ncategory = "news"\n', encoding="utf-8"
    )
    reworded = paragraphs[1].replace("подчеркнул", "отметил")
    (folder / "ru.md").write_text(
        f'+++\ntitle = "Итоги конференции"\n+++\n{paragraphs[0]}\n\n{reworded}\n\n'
        "Совсем новый абзац о городе.\n",
        encoding="utf-8",
    )
    code, out, err = run(portal, "tm", "stats", capsys=capsys)
    assert code == 0 and "ru → kk: " in out and "en → kk: " in out and "kk → ru: " in out
    code, out, _ = run(
        portal, "tm", "lookup", paragraphs[0], "--from", "ru", "--to", "kk", capsys=capsys
    )
    assert (
        code == 0 and out.startswith("100%  Бүгін партия төрағасының") and "(article party:" in out
    )
    code, out, err = run(portal, "translate", "export", "10901", "--to", "kk", capsys=capsys)
    assert code == 0, err
    path = portal / "i18n/articles/10901.kk.po"
    msgfmt_and_msgcat(path)
    po = polib.pofile(str(path))
    exact = po.find("10901/1", by="msgctxt")
    close = po.find("10901/2", by="msgctxt")
    new = po.find("10901/3", by="msgctxt")
    assert (
        exact.msgstr.startswith("Бүгін партия төрағасының") and exact.fuzzy
    )  # another article: a person confirms
    assert "memory: 100% match, article party (ru→kk)" in exact.comment
    assert close.fuzzy and close.msgstr.startswith("Әсет Исекешевті таныстыра отырып")
    assert "% match, article party (ru→kk): Представляя Асета Исекешева" in close.comment
    assert new.msgstr == "" and not new.fuzzy
    interface = run(portal, "tm", "lookup", "Новости", "--from", "ru", "--to", "kk", capsys=capsys)[
        1
    ]
    assert interface.startswith("100%  Жаңалықтар") and "(interface:" in interface


def test_pending_exports_every_missing_or_outdated_version(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(portal / "articles/party/en.md", "have supported", "unanimously supported")
    out_dir = portal / "batch"
    code, out, err = run(
        portal,
        "translate",
        "export",
        "--to",
        "ru",
        "--pending",
        "--out",
        str(out_dir),
        capsys=capsys,
    )
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["marathon.ru.po", "party.ru.po"]
    code, out, err = run(
        portal,
        "translate",
        "export",
        "--to",
        "en",
        "--pending",
        "--out",
        str(out_dir),
        capsys=capsys,
    )
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "buses.en.po",  # missing
        "languages.en.po",  # missing
        "library.en.po",  # a draft
        "marathon.ru.po",
        "party.ru.po",
        "snow.en.po",  # outdated
    ]
    # an outdated target pre-fills its old translation, fuzzy, for a person to check
    po = polib.pofile(str(out_dir / "party.ru.po"))
    assert all(e.fuzzy and e.msgstr for e in po)
    for path in out_dir.iterdir():
        msgfmt_and_msgcat(path)
    # and a folder imports in one go
    po.save(str(out_dir / "party.ru.po"))
    fill(out_dir / "party.ru.po", {e.msgctxt.split("/", 1)[1]: e.msgstr for e in po})
    code, out, err = run(portal, "translate", "import", str(out_dir), capsys=capsys)
    assert code == 1 and out == ""  # languages.en.po is still empty: all or nothing
    assert "languages.en.po" in err and "nothing was imported (all or nothing)" in err
    code, out, err = run(portal, "translate", "import", str(out_dir / "party.ru.po"), capsys=capsys)
    assert code == 0 and "articles/party/ru.md: written current (10/10 segments)" in out


WORDS = (
    "Астана әкімі «Нұр Отан» Kul-Mukhammed донор-өңіріне республикалық бюджеттің the capital's "
    '"quoted" text, 2016 ж. 100% **маңызды** `код` co-operation Е-мейл — – http://x.kz/a-b (see) '
    "қаласының Мұхтар Құл-Мұхаммед председателем городского филиала партии заместителя"
).split()


@pytest.mark.parametrize("seed", range(5))
def test_the_writer_lays_out_prose_exactly_like_msgcat(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)

    def prose() -> str:
        sentences = []
        for _ in range(rng.randint(1, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 25))]
            sentences.append(" ".join(words).capitalize() + rng.choice([".", "!", "?", ":", ".\n"]))
        return " ".join(sentences).strip()

    entries = [
        Entry(
            prose(),
            prose(),
            msgctxt=f"a/{i}",
            comments=["article a", "paragraph"],
            flags=["fuzzy"] if i % 3 == 0 else [],
            previous_msgid=prose() if i % 3 == 0 else None,
        )
        for i in range(200)
    ]
    path = tmp_path / "prose.po"
    path.write_text(
        render(
            "Prose", [("Content-Type", "text/plain; charset=UTF-8"), ("Language", "kk")], entries
        ),
        encoding="utf-8",
    )
    rewritten = subprocess.run(
        ["msgcat", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert rewritten == path.read_text(encoding="utf-8")


def test_every_article_of_a_generated_site_round_trips(tmp_path: Path) -> None:
    from generated import generate

    project = tmp_path / "generated"
    generate(project, n=40)
    for article_id in ("g0001", "g0002", "g0004"):
        site_article = article(project, article_id)
        target = next(c for c in ("kk", "ru", "en") if c != site_article.source.lang)
        assert main(["-C", str(project), "translate", "export", article_id, "--to", target]) == 0
        msgfmt_and_msgcat(project / f"i18n/articles/{article_id}.{target}.po")


def test_import_never_silently_replaces_an_edit_made_after_the_export(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = portal / "articles/party/kk.md"
    kk_text = {s.key: s.text for s in segments.split(article(portal, "party").version("kk"))}
    code, _, err = run(
        portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys
    )
    assert code == 0, err
    fill(portal / PO, kk_text)
    edit(kk, "Әсет Исекешев", "Әсет Өрентайұлы Исекешев")  # an editor's fix, after the export
    edited = kk.read_bytes()
    code, out, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 1 and out == ""
    assert "articles/party/kk.md was changed after this file was exported" in err
    assert "import with --force to replace it" in err
    assert kk.read_bytes() == edited
    # the same file relabelled for another language is refused the same way
    text = (
        (portal / PO).read_text(encoding="utf-8").replace('"Language: kk\\n"', '"Language: en\\n"')
    )
    (portal / "i18n/articles/party.en.po").write_text(text, encoding="utf-8")
    english = (portal / "articles/party/en.md").read_bytes()
    code, _, err = run(portal, "translate", "import", "i18n/articles/party.en.po", capsys=capsys)
    assert code == 1 and "articles/party/en.md was changed after this file was exported" in err
    assert (portal / "articles/party/en.md").read_bytes() == english
    code, out, err = run(portal, "translate", "import", PO, "--force", capsys=capsys)
    assert code == 0, err
    assert "Әсет Өрентайұлы" not in kk.read_text(encoding="utf-8")


def test_import_refuses_a_link_and_never_writes_through_it(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk_text = {s.key: s.text for s in segments.split(article(portal, "party").version("kk"))}
    run(portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys)
    fill(portal / PO, kk_text)
    outside = tmp_path / "outside.po"
    outside.write_bytes((portal / PO).read_bytes())
    (portal / PO).unlink()
    (portal / PO).symlink_to(outside)
    before = outside.read_bytes()
    kk = (portal / "articles/party/kk.md").read_bytes()
    code, _, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 1 and f"{PO}: is a symbolic link; give the file itself" in err
    assert outside.read_bytes() == before and (portal / "articles/party/kk.md").read_bytes() == kk


def test_a_draft_import_never_unpublishes_a_translation(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = portal / "articles/party/kk.md"
    run(portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys)
    po = polib.pofile(str(portal / PO))
    for entry in po:  # nothing usable: every segment still fuzzy
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
    po.save(str(portal / PO))
    published = kk.read_bytes()
    code, out, err = run(portal, "translate", "import", PO, "--draft", capsys=capsys)
    assert code == 1 and out == ""
    assert "articles/party/kk.md is published; this file would replace it with a draft" in err
    assert kk.read_bytes() == published


def test_import_of_an_empty_folder_says_so(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run(portal, "translate", "import", str(tmp_path / "empty"), capsys=capsys)
    assert code == 2 and "no .po files in this folder" in err


def test_export_never_writes_into_what_the_build_reads(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for out in ("articles/today", "templates", "locales/x", "static/po"):
        code, _, err = run(
            portal, "translate", "export", "party", "--to", "ru", "--out", out, capsys=capsys
        )
        assert code == 2 and "which the build reads; choose another folder" in err, out
    assert not (portal / "articles/today").exists() and not (portal / "static/po").exists()


def test_a_reader_that_closes_the_pipe_early_is_no_internal_error(portal: Path) -> None:
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "ushtil", "-C", str(portal), "status", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait() in (0, 141) and "internal error" not in err and "Traceback" not in err


def test_import_keeps_what_the_version_says_about_its_images(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = article(portal, "party").version("kk")
    assert [i.name for i in before.images] == ["lead.jpg"] and before.images[0].alt
    kk_text = {s.key: s.text for s in segments.split(before)}
    code, _, err = run(
        portal, "translate", "export", "party", "--to", "kk", "--from", "ru", capsys=capsys
    )
    assert code == 0, err
    fill(portal / PO, kk_text)
    code, out, err = run(portal, "translate", "import", PO, capsys=capsys)
    assert code == 0, err
    after = article(portal, "party").version("kk")
    assert after.translated_from.lang == "ru"  # rewritten from the file
    def texts(version: Version) -> list[tuple[str, str, str, str]]:
        return [(t.name, t.alt, t.caption, t.credit) for t in version.images]

    assert texts(after) == texts(before)  # its alt text, caption and credit kept


def test_a_new_translation_starts_from_the_source_s_image_texts(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(portal, "translate", "new", "languages", "--to", "en",
                       capsys=capsys)
    assert code == 0, err
    source = article(portal, "languages").version("kk")
    draft = article(portal, "languages").version("en")
    def texts(version: Version) -> list[tuple[str, str, str, str]]:
        return [(t.name, t.alt, t.caption, t.credit) for t in version.images]

    assert draft.draft and texts(draft) == texts(source)  # to translate, like the text
    assert draft.images[0].alt.startswith("Экранында түрлі түсті")


def test_an_imported_new_version_takes_no_photo_texts_of_another_language(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = article(portal, "buses").version("ru")
    assert source.images and article(portal, "buses").version("en") is None
    code, _, err = run(
        portal, "translate", "export", "buses", "--to", "en", "--from", "ru",
        capsys=capsys,
    )
    assert code == 0, err
    po = portal / "i18n/articles/buses.en.po"
    fill(po, {s.key: f"Night bus {s.key}." for s in segments.split(source)})
    code, _, err = run(portal, "translate", "import", str(po), capsys=capsys)
    assert code == 0, err
    text = (portal / "articles/buses/en.md").read_text(encoding="utf-8")
    assert "[images." not in text and source.images[0].alt not in text
    code, _, err = run(portal, "check", capsys=capsys)  # the editor is told what is missing
    assert "articles/buses/en.md" in err and "has no alt text" in err


def test_an_outdated_version_whose_source_gained_a_paragraph_is_offered_as_fuzzy(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    en = portal / "articles/party/en.md"  # the Kazakh version was made from it
    en.write_text(en.read_text(encoding="utf-8") + "\nA new last paragraph.\n", encoding="utf-8")
    kk = article(portal, "party").version("kk")
    assert kk.translated_from.lang == "en"
    code, _, err = run(
        portal, "translate", "export", "party", "--to", "kk", "--from", "en", capsys=capsys
    )
    assert code == 0, err
    po = polib.pofile(str(portal / PO))
    offered = {e.msgctxt.split("/", 1)[1]: e for e in po}
    mine = {s.key: s.text for s in segments.split(kk)}
    # every block of the Kazakh version is offered where it lines up, fuzzy; the new one empty
    assert all(offered[k].msgstr == t and "fuzzy" in offered[k].flags for k, t in mine.items())
    new = [e for e in po if e.msgid == "A new last paragraph."]
    assert len(new) == 1 and new[0].msgstr == ""
