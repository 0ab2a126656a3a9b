"""What a translator writes in a catalogue is untrusted: one rule list decides whether a
translation is shown, and the build, ``i18n check``, ``i18n compile`` and ``translate
import`` all apply it; broken catalogue files are reported as ``path:line: message``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import build_report, find, messages, read

from ushtil.cli.main import main
from ushtil.interface import report as i18n_report
from ushtil.interface import tooling
from ushtil.interface.compile import compile_catalog
from ushtil.interface.posyntax import msgid_lines
from ushtil.interface.translator import Catalog, load_catalog, load_catalogs
from ushtil.project.config import read_config
from ushtil.project.problems import Diagnostic, Location

KK = "locales/kk/LC_MESSAGES/messages.po"
LINK = 'Read <a href="%(url)s">the rules</a>'
TERMS = "Terms & conditions"
# An unterminated tag after the translated link: a browser reads it up to the page's next '>'.
HOSTILE = '<a href="%(url)s">Ережелерді</a> оқыңыз<img src=x onerror=alert(document.domain)//'


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("msgfmt")
    if exe is None:
        pytest.fail("GNU gettext's msgfmt is not installed (python3 dev.py test installs it)")
    return subprocess.run(
        [exe, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )


def put(path: Path, msgid: str, msgstr: str, *, msgctxt: str | None = None) -> int:
    """Set (or add) one translation the way a translator's tool would; its msgid's line."""
    po = polib.pofile(str(path), wrapwidth=79)
    entry = (
        po.find(msgid, msgctxt=msgctxt)
        if msgctxt
        else next((e for e in po if e.msgid == msgid and not e.msgctxt), None)
    )
    if entry is None:
        entry = polib.POEntry(msgid=msgid, msgctxt=msgctxt)
        po.append(entry)
    entry.msgstr = msgstr
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    po.save(str(path))
    again = polib.pofile(str(path))
    found = next(e for e in again if e.msgid == msgid and e.msgctxt == msgctxt)
    return msgid_lines(again)[found.linenum]


def write_po(
    path: Path,
    entries: list[tuple[str, str]],
    *,
    plural: str = "nplurals=2; plural=(n != 1);",
    lang: str = "kk",
) -> Path:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "test",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural,
    }
    for msgid, msgstr in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    po.save(str(path))
    return path


def load(path: Path, lang: str = "kk") -> tuple[Catalog, list[Diagnostic]]:
    catalog, diagnostics = load_catalog(path, path.name, lang)
    assert catalog is not None, diagnostics
    return catalog, diagnostics


def in_footer(project: Path, snippet: str) -> None:
    base = project / "templates/base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("</footer>", f"  {snippet}\n</footer>", 1), encoding="utf-8")


def po_path(project: Path, lang: str) -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / "messages.po"


# --- markup and entities --------------------------------------------------------------


def test_an_unterminated_tag_in_a_translation_never_reaches_a_page(basic: Path) -> None:
    in_footer(
        basic,
        "<p class=\"rules\">{{ _('Read <a href=\"%(url)s\">the rules</a>', url='/rules/') }}"
        " · {{ _('Terms & conditions') }}</p>",
    )
    line = put(po_path(basic, "kk"), LINK, HOSTILE)
    terms = put(po_path(basic, "kk"), TERMS, "Шарттар <img src=x onerror=alert(1)//")
    report = build_report(basic)
    assert report.ok, messages(report)
    html = read(basic / "public", "/kk/")
    assert "onerror" not in html and "<img" not in html
    rules = find(html, "p", class_="rules")[0]
    assert (
        rules.text == "Read the rules · Terms & conditions"
    )  # the source text: no translation is usable
    assert find(html, "a", href="/rules/")[0].text == "the rules"
    assert "Terms &amp; conditions</p>" in html  # a plain-text msgid is text, escaped
    found = messages(report)
    assert any(
        m.startswith(f"{KK}:{line}: warning: markup: msgstr: ")
        and m.endswith("(translation not used)")
        for m in found
    ), found
    assert any(
        m.startswith(f"{KK}:{terms}: warning: markup: msgstr has markup its source does not")
        for m in found
    ), found


@pytest.mark.parametrize(
    ("msgstr", "shown"),
    [
        # the msgid's own tags are emitted, however the translator quoted or cased them
        ("Ережелерді <a href='%(url)s'>оқыңыз</a>", 'Ережелерді <a href="%(url)s">оқыңыз</a>'),
        ('Ережелерді <A HREF="%(url)s" >оқыңыз</A>', 'Ережелерді <a href="%(url)s">оқыңыз</a>'),
        # text is decoded once and escaped again: references are text, quotes cannot leave
        # an attribute
        (
            '<a href="%(url)s">Ережелер</a> &amp; «тәртіп»',
            '<a href="%(url)s">Ережелер</a> &amp; «тәртіп»',
        ),
        (
            '&lt;img src=x onerror=alert(1)&gt; <a href="%(url)s">x</a>',
            '&lt;img src=x onerror=alert(1)&gt; <a href="%(url)s">x</a>',
        ),
        ('"<a href="%(url)s">Ережелер</a>" > 1', '&#34;<a href="%(url)s">Ережелер</a>&#34; &gt; 1'),
    ],
)
def test_a_translation_with_the_source_markup_is_shown_with_the_source_tags(
    tmp_path: Path, msgstr: str, shown: str
) -> None:
    catalog, diagnostics = load(write_po(tmp_path / "kk.po", [(LINK, msgstr)]))
    assert diagnostics == []
    assert catalog.lookup(None, LINK) == shown


@pytest.mark.parametrize(
    ("msgstr", "code", "message"),
    [
        (
            HOSTILE,
            "markup",
            "msgstr: an unterminated or malformed tag '<img src=x onerror=alert…' at character 40",
        ),
        (
            '<a href="https://evil.example/">Ережелер</a> %(url)s',
            "markup",
            'msgstr has markup its source does not: <a href="https://evil.example/">; '
            'it lacks the source\'s: <a href="%(url)s">',
        ),
        (
            '<a href="%(url)s" onclick="alert(1)">Ережелер</a>',
            "markup",
            'msgstr has markup its source does not: <a href="%(url)s" onclick="alert(1)">; '
            'it lacks the source\'s: <a href="%(url)s">',
        ),
        (
            '<a href="%(url)s">Ережелер</a> <b>!</b>',
            "markup",
            "msgstr has markup its source does not: <b>, </b>",
        ),
        (
            '<a href="%(url)s">Ережелер</a> <br>',
            "markup",
            "msgstr has markup its source does not: <br>",
        ),
        ('<a href="%(url)s">Ережелер', "markup", "msgstr: <a> is not closed at character 1"),
        ('<a href="%(url)s">Ережелер</b>', "markup", "msgstr: </b> closes <a> at character 27"),
        (
            '<a href="%(url)s">Ережелер</a> 1 < 2',
            "markup",
            "msgstr: a '<' that begins no tag (write &lt; for the character) at character 34",
        ),
        (
            '<a href="%(url)s">Ережелер</a><!-- x -->',
            "markup",
            "msgstr has markup its source does not: <!-- x -->",
        ),
        (
            '<a href="%(url)s">Ережелер</a><?php x ?>',
            "markup",
            "msgstr has markup its source does not: <?php x ?>",
        ),
        (
            '<a href="%(url)s" href="/x">Ережелер</a>',
            "markup",
            "msgstr: the attribute 'href' is given twice at character 1",
        ),
        (
            '<a href="%(url)s">Ережелер</a> &#37;',
            "entity",
            "msgstr writes '%' as the character reference '&#37;' at character 32: "
            "write %% for a percent sign",
        ),
    ],
)
def test_a_translation_that_changes_the_source_markup_is_not_used(
    tmp_path: Path, msgstr: str, code: str, message: str
) -> None:
    path = write_po(tmp_path / "kk.po", [(LINK, msgstr)])
    catalog, diagnostics = load(path)
    assert catalog.lookup(None, LINK) is None
    po = polib.pofile(str(path))
    line = msgid_lines(po)[po[0].linenum]
    assert [str(d) for d in diagnostics] == [
        f"kk.po:{line}: warning: {code}: {message} (translation not used)"
    ]
    assert [i18n_report.check_line(d) for d in i18n_report.check(path, "kk.po")] == [
        f"kk.po:{line}: {code}: {message}"
    ]


@pytest.mark.parametrize(
    ("msgstr", "shown", "code"),
    [
        ("Шарттар & ережелер", "Шарттар &amp; ережелер", None),
        ('"Шарттар" < ережелер', "&#34;Шарттар&#34; &lt; ережелер", None),
        ("Шарттар <img src=x onerror=alert(1)//", None, "markup"),
        ("Шарттар <b>мен</b> ережелер", None, "markup"),
        ("Шарттар &amp; ережелер", None, "entity"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", None, "entity"),
    ],
)
def test_a_plain_source_with_an_ampersand_has_a_plain_text_translation(
    tmp_path: Path, msgstr: str, shown: str | None, code: str | None
) -> None:
    catalog, diagnostics = load(write_po(tmp_path / "kk.po", [(TERMS, msgstr)]))
    assert catalog.lookup(None, TERMS) == shown
    assert [d.code for d in diagnostics] == ([code] if code else [])


@pytest.mark.parametrize(
    ("msgid", "message"),
    [
        (
            'Read <a href="%(url)s">the rules',
            "the source's markup is not well-formed: <a> is not closed at character 6",
        ),
        (
            "Run <script>go()</script>",
            "the source cannot be translated safely: it has a <script> element, "
            "whose text cannot be escaped",
        ),
    ],
)
def test_a_source_whose_markup_is_broken_is_shown_untranslated(
    tmp_path: Path, msgid: str, message: str
) -> None:
    path = write_po(
        tmp_path / "kk.po", [(msgid, msgid.replace("Read", "Оқыңыз").replace("Run", "Іске қос"))]
    )
    catalog, diagnostics = load(path)
    assert catalog.lookup(None, msgid) is None
    assert [d.message for d in diagnostics] == [f"source-markup: {message} (translation not used)"]
    assert [(d.code, d.message) for d in i18n_report.check(path, "kk.po")] == [
        ("source-markup", message)
    ]


def test_labels_and_feeds_read_a_translation_as_text_once(basic: Path) -> None:
    put(po_path(basic, "kk"), "News of the city", "Қала & <жаңалықтары>", msgctxt="category")
    put(po_path(basic, "kk"), "News", "«Жаңалықтар» & <хабарлар>")
    report = build_report(basic)
    assert report.ok, messages(report)
    html = read(basic / "public", "/kk/category/news/")
    assert "<h1>Қала &amp; &lt;жаңалықтары&gt;</h1>" in html
    feed = (basic / "public/kk/feed.xml").read_text(encoding="utf-8")
    assert ": «Жаңалықтар» &amp; &lt;хабарлар&gt;</title>" in feed


def test_a_label_with_markup_is_text_translated_or_not(basic: Path) -> None:
    config = basic / "site.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('"News of the city"', '"News <i>of</i> the city"', 1), encoding="utf-8"
    )
    put(
        po_path(basic, "kk"),
        "News <i>of</i> the city",
        "Қала <i>жаңалықтары</i>",
        msgctxt="category",
    )
    report = build_report(basic)
    assert report.ok, messages(report)
    kk = read(basic / "public", "/kk/category/news/")
    assert "<h1>Қала &lt;i&gt;жаңалықтары&lt;/i&gt;</h1>" in kk
    en = read(basic / "public", "/en/category/news/")
    assert "<h1>News &lt;i&gt;of&lt;/i&gt; the city</h1>" in en


# --- control characters ---------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x0b", "\x01", "\x00", "\x1f", "\ufffe", "\uffff"])
def test_a_control_character_in_a_translation_is_an_error_with_its_line(
    basic: Path, char: str
) -> None:
    path = po_path(basic, "kk")
    line = put(path, "Main menu", f"Басты{char}мәзір")
    expected = (
        f"control-character: msgstr has the character U+{ord(char):04X} at character 6, "
        "which XML and HTML forbid (often pasted from a word processor): remove it"
    )
    assert [i18n_report.check_line(d) for d in i18n_report.check(path, KK)] == [
        f"{KK}:{line}: {expected}"
    ]
    report = build_report(basic)
    assert f"{KK}:{line}: warning: {expected} (translation not used)" in messages(report)
    html = read(basic / "public", "/kk/")
    assert char not in html
    assert find(html, "nav", class_="menu")[0].get("aria-label") == "Главное меню"  # kk → ru


# --- one rule for the build, check, compile and import ---------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr", "code", "in_articles"),
    [
        pytest.param(LINK, HOSTILE, "markup", False, id="unterminated-tag"),
        pytest.param("{count} new", "жаңа", "placeholder", False, id="lost-brace-placeholder"),
        pytest.param(
            "Page %(page)s of %(pages)s",
            "%(page)s-бет",
            "placeholder",
            False,
            id="lost-placeholder",
        ),
        pytest.param(TERMS, "Шарттар &amp; ережелер", "entity", False, id="entity-in-plain-text"),
        pytest.param(
            "Main menu", "Басты\x0bмәзір", "control-character", True, id="control-character"
        ),
        pytest.param("Main menu", "Бaсты мәзір", "lookalike", True, id="lookalike"),
        pytest.param("News", "Жаңалықтар ", "whitespace", True, id="whitespace"),
    ],
)
def test_one_rule_for_the_build_check_compile_and_import(
    basic: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    msgid: str,
    msgstr: str,
    code: str,
    in_articles: bool,
) -> None:
    path = po_path(basic, "kk")
    line = put(path, msgid, msgstr)
    where = Location(KK, line)
    checked = i18n_report.check(path, KK)
    assert checked and all(d.location == where and d.is_error for d in checked), [
        str(d) for d in checked
    ]
    assert code in {d.code for d in checked}
    # compile refuses the catalogue, for the same reasons
    assert compile_catalog(path, KK, tmp_path / "kk.mo") == checked
    assert not (tmp_path / "kk.mo").exists()
    # the build does not show the translation, and says why in the same words
    report = build_report(basic)
    assert report.ok
    built = [d for d in report.diagnostics if d.location == where]
    assert [d.message for d in built] == [
        f"{d.code}: {d.message} (translation not used)" for d in checked
    ]
    catalogs, _ = load_catalogs(read_config(basic)[0])
    assert catalogs["kk"].lookup(None, msgid) is None
    # translate import: the same rules, as far as they concern Markdown article text
    article = basic / "a-full.kk.po"
    article.write_text(
        "\n".join(
            [
                'msgid ""',
                'msgstr ""',
                '"Language: kk\\n"',
                '"Content-Type: text/plain; charset=UTF-8\\n"',
                '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
                '"X-Ushtil-Article: a-full\\n"',
                '"X-Ushtil-Source-Language: ru\\n"',
                '"X-Ushtil-Source-Digest: 0000000000000000\\n"',
                "",
                'msgctxt "a-full/title"',
                f'msgid "{polib.escape(msgid)}"',
                f'msgstr "{polib.escape(msgstr)}"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    assert main(["-C", str(basic), "translate", "import", article.name]) == 1
    err = capsys.readouterr().err
    article_checked = [d for d in i18n_report.check(article, str(article)) if d.is_error]
    if in_articles:
        assert [d.message for d in article_checked] == [d.message for d in checked]
        for d in article_checked:  # named from the project's folder (-C)
            assert f"{article.name}:11: {d.message}" in err
    else:  # %-placeholders and HTML are interface-string rules: article text is Markdown
        assert code not in {d.code for d in article_checked}
    assert "internal error" not in err


def test_compile_with_fuzzy_judges_the_fuzzy_translations_it_takes(
    basic: Path, tmp_path: Path
) -> None:
    path = po_path(basic, "kk")
    put(path, LINK, HOSTILE)
    po = polib.pofile(str(path), wrapwidth=79)
    next(e for e in po if e.msgid == LINK).flags.append("fuzzy")
    po.save(str(path))
    again = polib.pofile(str(path))
    line = msgid_lines(again)[next(e for e in again if e.msgid == LINK).linenum]
    assert compile_catalog(path, KK, tmp_path / "kk.mo") == []
    refused = compile_catalog(path, KK, tmp_path / "fuzzy.mo", use_fuzzy=True)
    assert [(d.location, d.code) for d in refused] == [(Location(KK, line), "markup")]
    assert not (tmp_path / "fuzzy.mo").exists()


def test_an_article_with_a_percent_sign_can_be_imported(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = portal / "articles/party/ru.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("превысил", "вырос на 7% и превысил", 1),
        encoding="utf-8",
    )
    (portal / "articles/party/kk.md").unlink()
    assert (
        main(["-C", str(portal), "translate", "export", "party", "--to", "kk", "--from", "ru"]) == 0
    )
    path = portal / "i18n/articles/party.kk.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = entry.msgid.replace("Астан", "Астан")  # a stand-in translation
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(path))
    capsys.readouterr()
    assert main(["-C", str(portal), "translate", "import", "i18n/articles/party.kk.po"]) == 0, (
        capsys.readouterr().err
    )
    assert "7%" in (portal / "articles/party/kk.md").read_text(encoding="utf-8")


# --- Plural-Forms ---------------------------------------------------------------------


BAD_PLURALS = [
    ("nplurals=2; plural=(n%0);", "Plural-Forms: plural=(n%0) divides by zero for n=0"),
    (
        "nplurals=2; plural=(n==7 ? 1/(n-7) : n!=1);",
        "Plural-Forms: plural=(n==7 ? 1/(n-7) : n!=1) divides by zero for n=7",
    ),
    (
        "nplurals=2; plural=(n+5);",
        "Plural-Forms: plural=(n+5) gives 5 for n=0, but nplurals=2 allows only 0 to 1",
    ),
    (
        "nplurals=2; plural=n%100==99 ? 2 : n!=1;",
        "Plural-Forms: plural=n%100==99 ? 2 : n!=1 gives 2 for n=99, "
        "but nplurals=2 allows only 0 to 1",
    ),
    ("nplurals=0; plural=0;", "Plural-Forms: nplurals must be at least 1"),
    ("nplurals=2; plural=(n != 1;", None),
]


@pytest.mark.parametrize(("header", "message"), BAD_PLURALS)
def test_a_plural_expression_that_fails_is_refused_everywhere_with_the_header_line(
    basic: Path, tmp_path: Path, header: str, message: str | None
) -> None:
    path = po_path(basic, "kk")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("nplurals=2; plural=(n != 1);", header, 1), encoding="utf-8")
    line = next(
        n
        for n, content in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if content.startswith('"Plural-Forms:')
    )
    assert msgfmt_check(path).returncode != 0  # GNU gettext refuses it too
    checked = [d for d in i18n_report.check(path, KK) if d.code == "header-plural-forms"]
    assert len(checked) == 1 and checked[0].is_error and checked[0].location == Location(KK, line)
    if message is not None:
        assert checked[0].message == message
    assert compile_catalog(path, KK, tmp_path / "kk.mo") and not (tmp_path / "kk.mo").exists()
    report = build_report(basic)
    assert report.ok, messages(report)
    assert not any("templates/" in m for m in messages(report)), messages(report)
    assert (
        f"{KK}:{line}: warning: header-plural-forms: {checked[0].message} "
        "(plural translations not used)"
    ) in messages(report)
    html = read(basic / "public", "/kk/")
    assert "материал" in find(html, "p", class_="count")[0].text  # kk → ru's plural forms


def test_update_repairs_a_plural_expression_that_fails(basic: Path) -> None:
    path = po_path(basic, "kk")
    path.write_text(
        path.read_text(encoding="utf-8").replace("plural=(n != 1);", "plural=(n%0);", 1),
        encoding="utf-8",
    )
    changed, diagnostics = tooling.update(basic)
    assert path in changed
    assert any(
        "Plural-Forms was missing or invalid" in str(d) and "divides by zero" in str(d)
        for d in diagnostics
    )
    assert polib.pofile(str(path)).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


# --- merge conflicts and other broken files --------------------------------------------


def conflict(path: Path, msgid: str) -> int:
    """Wrap the entry of ``msgid`` in git's conflict markers; the line of the first."""
    text = path.read_text(encoding="utf-8")
    head = f'msgid "{msgid}"\nmsgstr "'
    at = text.index(head)
    end = text.index("\n\n", at)
    entry = text[at:end]
    text = (
        text[:at]
        + "<<<<<<< HEAD\n"
        + entry
        + "\n=======\n"
        + entry.replace(msgid, msgid + "!")
        + "\n>>>>>>> other\n"
        + text[end:]
    )
    path.write_text(text, encoding="utf-8")
    return text[:at].count("\n") + 1


MARKER = "a git merge conflict marker ('<<<<<<<'): resolve the conflict first"


@pytest.mark.parametrize("args", [["i18n", "update"], ["i18n", "init", "de"]])
def test_a_conflict_in_the_template_is_reported_with_its_line(
    basic: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    line = conflict(basic / "i18n/messages.pot", "Page not found")
    before = {p: p.read_bytes() for p in basic.glob("locales/*/LC_MESSAGES/*.po")}
    assert main(["-C", str(basic), *args]) == 1
    err = capsys.readouterr().err
    assert f"i18n/messages.pot:{line}: syntax error in the catalogue: {MARKER}" in err, err
    assert "internal error" not in err
    assert {p: p.read_bytes() for p in basic.glob("locales/*/LC_MESSAGES/*.po")} == before
    assert not (basic / "locales/de").exists()


def test_extract_writes_a_conflicted_template_afresh(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pot = basic / "i18n/messages.pot"
    line = conflict(pot, "Page not found")
    assert main(["-C", str(basic), "i18n", "extract"]) == 0
    err = capsys.readouterr().err
    assert (
        f"i18n/messages.pot:{line}: warning: syntax error in the catalogue: {MARKER}; "
        "written afresh from the sources"
    ) in err
    assert "<<<<<<<" not in pot.read_text(encoding="utf-8")
    result = msgfmt_check(pot)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["i18n", "update"],
        ["i18n", "stats"],
        ["i18n", "check"],
        ["i18n", "compile", "--out", "mo"],
        ["build"],
        ["check"],
    ],
)
def test_a_conflict_in_a_catalogue_is_reported_with_its_line(
    basic: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    line = conflict(po_path(basic, "ru"), "Page not found")
    assert main(["-C", str(basic), *args]) == 1
    out, err = capsys.readouterr()
    err = out + err  # i18n check reports on standard output
    assert (
        f"locales/ru/LC_MESSAGES/messages.po:{line}: syntax error in the catalogue: {MARKER}" in err
    ), err
    assert "internal error" not in err
    assert not (basic / "mo/ru").exists()


def test_a_conflict_in_an_article_file_is_reported_with_its_line(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (portal / "articles/party/kk.md").unlink()
    assert (
        main(["-C", str(portal), "translate", "export", "party", "--to", "kk", "--from", "ru"]) == 0
    )
    path = portal / "i18n/articles/party.kk.po"
    text = path.read_text(encoding="utf-8").replace(
        'msgctxt "party/1"', '<<<<<<< mine\nmsgctxt "party/1"', 1
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("<<<<<<< mine") + 1
    capsys.readouterr()
    assert main(["-C", str(portal), "translate", "import", "i18n/articles/party.kk.po"]) == 1
    err = capsys.readouterr().err
    assert f"i18n/articles/party.kk.po:{line}: {MARKER}" in err, err


def test_a_catalogue_that_is_not_utf8_is_reported_with_its_line(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = po_path(basic, "ru")
    data = path.read_bytes()
    at = data.index("Главное меню".encode())
    path.write_bytes(
        data[:at] + "Главное меню".encode("cp1251") + data[at + len("Главное меню".encode()) :]
    )
    line = data[:at].count(b"\n") + 1
    for args in (["i18n", "check"], ["i18n", "update"], ["build"]):
        assert main(["-C", str(basic), *args]) == 1
        out, err = capsys.readouterr()
        assert (
            f"locales/ru/LC_MESSAGES/messages.po:{line}: not valid UTF-8 (byte 0xc3): "
            "save the file as UTF-8"
        ) in out + err


# --- what ushtil writes, GNU gettext reads ----------------------------------------------


@pytest.mark.parametrize("lang", ["de", "ar", "fr"])
def test_init_writes_a_catalogue_msgfmt_and_check_accept(basic: Path, lang: str) -> None:
    path, problems = tooling.init(basic, lang)
    assert path is not None, problems
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr
    assert [d for d in i18n_report.check(path, "x.po") if d.code.startswith("header")] == []


def test_update_keeps_a_catalogue_with_hostile_translations_valid_for_msgfmt(basic: Path) -> None:
    path = po_path(basic, "kk")
    put(path, "Main menu", "Басты\x0bмәзір")
    put(path, "News", HOSTILE)
    assert msgfmt_check(path).returncode == 0
    tooling.update(basic)
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def test_build_strict_refuses_what_i18n_check_calls_an_error(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = po_path(basic, "kk")
    line = put(path, "Page %(page)s of %(pages)s", "%(pagez)s бет")
    assert main(["-C", str(basic), "i18n", "check"]) == 1
    checked = capsys.readouterr().out
    assert f"{KK}:{line}: placeholder: " in checked
    assert main(["-C", str(basic), "build"]) == 0  # without --strict: a warning, the fallback shown
    assert f"{KK}:{line}: warning: placeholder: " in capsys.readouterr().err
    assert main(["-C", str(basic), "build", "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{KK}:{line}: placeholder: " in err and "warning: placeholder" not in err


def test_check_as_json_keeps_the_whole_message_and_the_code_apart(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = conflict(po_path(basic, "ru"), "Page not found")
    assert main(["-C", str(basic), "i18n", "check", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {
        "path": "locales/ru/LC_MESSAGES/messages.po",
        "line": line,
        "severity": "error",
        "code": "po-syntax",
        "message": f"syntax error in the catalogue: {MARKER}",
    } in found
