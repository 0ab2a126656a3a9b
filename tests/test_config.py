"""site.toml: every problem at once, with its line; unknown keys rejected."""

from __future__ import annotations

from pathlib import Path

from ushtil.project.config import parse_config, read_config


def problems(text: str, tmp_path: Path) -> list[str]:
    _, diagnostics = parse_config(text, tmp_path)
    return [str(d) for d in diagnostics]


def test_a_trilingual_config_reads(portal: Path) -> None:
    config, diagnostics = read_config(portal)
    assert config is not None and diagnostics == []
    assert config.codes == ("kk", "ru", "en")
    assert [lang.name for lang in config.languages] == ["Қазақша", "Русский", "English"]
    assert config.time_zone == "Asia/Almaty"
    assert config.fallback_chain("kk") == ("ru", "en")
    assert config.category("news") is not None


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        'base_url = "astana.kz"\n'
        'languages = ["kz", "ru", "en"]\n'
        'per_page = "ten"\n'
        'missing = "redirect"\n'
        'time_zone = "Asia/Astana-City"\n'
        'languagess = ["kk"]\n'
    )
    found = problems(text, tmp_path)
    assert "site.toml:6: unknown key 'languagess' (did you mean 'languages'?)" in found
    assert "site.toml:1: 'base_url' must be an absolute http(s) URL, not 'astana.kz'" in found
    assert (
        "site.toml:2: 'kz' is not an ISO 639-1 language code (Kazakh is 'kk'; 'kz' is the country)"
        in found
    )
    assert "site.toml:3: 'per_page' must be a whole number, not a string" in found
    assert "site.toml:4: 'missing' must be one of 'hide', 'fallback', not 'redirect'" in found
    assert any(m.startswith("site.toml:5: unknown time zone 'Asia/Astana-City'") for m in found)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    found = problems('base_url = "https://a.kz"\nlanguages = ["kk", "ru"\nper_page = 3\n', tmp_path)
    assert len(found) == 1 and found[0].startswith("site.toml:3: TOML syntax error")


def test_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    config, problems = read_config(tmp_path)
    assert config is None
    missing = "site.toml: no site.toml here (is this an ushtil project?)"
    assert [str(d) for d in problems] == [missing]


def test_fallback_and_required_must_name_site_languages(tmp_path: Path) -> None:
    text = (
        'base_url = "https://a.kz"\nlanguages = ["kk", "ru"]\nrequired = ["kk", "en"]\n'
        '[fallback]\nkk = ["ru", "de"]\n'
    )
    found = problems(text, tmp_path)
    assert "site.toml:3: required language 'en' is not one of the site's languages" in found
    assert "site.toml:5: fallback for 'kk' names de: use other site languages" in found


def test_the_site_name_is_read_and_defaults_to_the_host(tmp_path: Path) -> None:
    base = 'base_url = "https://news.example.kz/city"\nlanguages = ["kk"]\n'
    named, diagnostics = parse_config(base + 'name = "City news"\n', tmp_path)
    assert named is not None and named.name == "City news" and diagnostics == []
    unnamed, diagnostics = parse_config(base, tmp_path)
    assert unnamed is not None and unnamed.name == "news.example.kz" and diagnostics == []
    assert problems(base + 'name = ""\n', tmp_path) == ["site.toml:3: 'name' must not be empty"]
    assert read_config(Path(__file__).resolve().parents[1])[0].name == (
        "Official Website of the Mayor’s Office of Astana"
    )


def test_the_site_name_is_extracted_for_translators(basic: Path) -> None:
    import polib

    from ushtil.interface import tooling

    text = (basic / "site.toml").read_text(encoding="utf-8")
    (basic / "site.toml").write_text(
        text.replace("time_zone", 'name = "City news"\ntime_zone'), encoding="utf-8"
    )
    changed, diagnostics = tooling.extract(basic)
    assert changed and diagnostics == []
    entry = polib.pofile(str(basic / "i18n/messages.pot")).find("City news")
    assert entry is not None and entry.msgctxt is None
    assert entry.occurrences == [("site.toml", "2")]
    assert entry.comment.startswith("Translators: the site's name")


def test_a_base_url_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    found = problems('base_url = "https://[x"\nlanguages = ["kk"]\n', tmp_path)
    assert found == ["site.toml:1: 'base_url' must be an absolute http(s) URL, not 'https://[x'"]
