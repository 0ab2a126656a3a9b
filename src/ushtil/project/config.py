"""Reading the project, first: ``site.toml`` → :class:`SiteConfig`.

Every problem in the file is reported in one pass; unknown keys are errors with the
closest known key suggested.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from ushtil.project import languages, layout
from ushtil.project.identity import read_identity
from ushtil.project.model import MISSING_POLICIES, Label, Language, MissingPolicy, SiteConfig
from ushtil.project.problems import Diagnostic, Location, error, has_errors
from ushtil.project.text import publishable_problems
from ushtil.project.tomlfields import Fields, parse_toml

# Matched against the whole string (fullmatch; \Z, unlike $, does not accept a final newline).
LANG_CODE = re.compile(r"[a-z]{2}\Z")
BASE_URL = re.compile(r"https?://[^/\s]+(?:/\S*)?\Z")


TOP_KEYS = (
    "base_url",
    "name",
    "time_zone",
    "languages",
    "default_language",
    "missing",
    "per_page",
    "feed_size",
    "required",
    "language",
    "fallback",
    "categories",
    "tags",
    "markdown",
    "emblem",
    "accent",
    "contacts",
    "search",
)


def site_host(base_url: str) -> str | None:
    """The host name in a site's base URL (``https://astana.example.kz/x`` →
    ``astana.example.kz``, lowercase, no port); None when it has none."""
    try:
        return urlsplit(base_url).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None


def read_config(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """``root/site.toml`` as a ``SiteConfig`` (None if it has an error), with every problem."""
    path = root / layout.CONFIG
    shown = layout.CONFIG
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        missing = f"no {layout.CONFIG} here (is this an ushtil project?)"
        return None, [error(Location(shown), "no-config", missing)]
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [error(Location(shown, line), "encoding", "not valid UTF-8")]
    except OSError as exc:
        return None, [error(Location(shown), "unreadable", exc.strerror or str(exc))]
    unpublishable = publishable_problems(text.replace("\r\n", "\n"), shown)
    if unpublishable:
        return None, unpublishable
    config, diagnostics = parse_config(text, root, shown)
    if config is None or has_errors(diagnostics):
        return None, diagnostics
    return config, diagnostics


def parse_config(
    text: str, root: Path, shown: str = layout.CONFIG
) -> tuple[SiteConfig | None, list[Diagnostic]]:
    data, syntax = parse_toml(text.replace("\r\n", "\n"), shown)
    if data is None:
        return None, syntax
    f = Fields(data, shown, text)
    f.unknown(TOP_KEYS)

    base_url = f.string("base_url", required=True, nonempty=True)
    if base_url is not None and not (BASE_URL.fullmatch(base_url) and _host(base_url)):
        f.fail(
            "base_url", "base-url", f"'base_url' must be an absolute http(s) URL, not '{base_url}'"
        )
    name = f.string("name", nonempty=True) or _host(base_url)
    time_zone = f.string("time_zone") or "Asia/Almaty"
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        f.fail(
            "time_zone",
            "time-zone",
            f"unknown time zone '{time_zone}' (use an IANA name such as Asia/Almaty)",
        )

    languages = _languages(f)
    codes = tuple(lang.code for lang in languages)
    default = f.string("default_language") or (codes[0] if codes else "kk")
    if codes and default not in codes:
        f.fail(
            "default_language",
            "language",
            f"default_language '{default}' is not one of the site's languages",
        )

    required = f.strings("required") or ()
    for code in required:
        if codes and code not in codes:
            f.fail(
                "required",
                "language",
                f"required language '{code}' is not one of the site's languages",
            )

    fallback: list[tuple[str, tuple[str, ...]]] = []
    chains = f.sub("fallback")
    if chains is not None:
        for code in chains.data:
            chain = chains.strings(code)
            if codes and code not in codes:
                chains.fail(
                    code,
                    "language",
                    f"fallback for '{code}', which is not one of the site's languages",
                )
                continue
            if chain is None:
                continue
            bad = [c for c in chain if c not in codes or c == code]
            if bad:
                chains.fail(
                    code,
                    "language",
                    f"fallback for '{code}' names {', '.join(bad)}: use other site languages",
                )
                continue
            fallback.append((code, chain))

    markdown = f.sub("markdown")
    raw_html = False
    if markdown is not None:
        markdown.unknown(("raw_html",))
        raw_html = bool(markdown.boolean("raw_html"))

    search_table = f.sub("search")
    search = True
    if search_table is not None:
        search_table.unknown(("enabled",))
        search = search_table.boolean("enabled") is not False

    config = SiteConfig(
        root=root,
        base_url=(base_url or "").rstrip("/"),
        name=name,
        time_zone=time_zone,
        languages=languages,
        default_language=default,
        missing=MissingPolicy(f.choice("missing", MISSING_POLICIES) or MissingPolicy.HIDE),
        per_page=f.integer("per_page") or 10,
        feed_size=f.integer("feed_size") or 20,
        required=required,
        fallback=tuple(fallback),
        categories=_labels(f, "categories"),
        tags=_labels(f, "tags"),
        raw_html=raw_html,
        identity=read_identity(f, root),
        search=search,
    )
    return config, f.diagnostics


def _host(base_url: str | None) -> str:
    """The name of a site whose ``site.toml`` gives none: its host (astana.example.kz)."""
    try:
        return (urlsplit(base_url).hostname or "") if base_url else ""
    except ValueError:  # not a URL: reported as such
        return ""


def _languages(f: Fields) -> tuple[Language, ...]:
    codes = f.strings("languages")
    if codes is None:
        if "languages" not in f.data:
            f.fail(
                "languages",
                "missing-key",
                '\'languages\' is required, e.g. languages = ["kk", "ru", "en"]',
            )
        return ()
    if not codes:
        f.fail("languages", "empty", "'languages' must name at least one language")
    overrides = f.sub("language")
    result: list[Language] = []
    for code in codes:
        if code.lower() == "kz":
            f.fail(
                "languages",
                "language",
                f"'{code}' is not an ISO 639-1 language code (Kazakh is 'kk'; 'kz' is the country)",
            )
            continue
        if not LANG_CODE.fullmatch(code):
            f.fail("languages", "language", f"'{code}' is not an ISO 639-1 language code")
            continue
        if code in (lang.code for lang in result):
            f.fail("languages", "language", f"language '{code}' is listed twice")
            continue
        known = languages.KNOWN.get(code)  # its native name and locale
        name, locale = (known.name, known.locale) if known else ("", "")
        table = overrides.sub(code) if overrides is not None else None
        if table is not None:
            table.unknown(("name", "locale"))
            name = table.string("name", nonempty=True) or name
            locale = table.string("locale", nonempty=True) or locale
        if not name or not locale:
            f.fail(
                "languages",
                "language",
                f"language '{code}' needs [language.{code}] with name and locale",
            )
            continue
        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            f.fail("languages", "locale", f"unknown locale '{locale}' for language '{code}'")
            continue
        result.append(Language(code, name, locale))
    if overrides is not None:
        for code in overrides.data:
            if code not in codes:
                overrides.fail(
                    code, "language", f"[language.{code}] for a language not in 'languages'"
                )
    return tuple(result)


def _labels(f: Fields, key: str) -> tuple[Label, ...]:
    table = f.sub(key)
    if table is None:
        return ()
    labels: list[Label] = []
    for slug in table.data:
        msgid = table.string(slug, nonempty=True)
        if len(slug) > layout.NAME_MAX:
            longer = f"a slug in [{key}] is longer than {layout.NAME_MAX} characters"
            table.fail(slug, "slug", longer)
            continue
        if not layout.NAME.fullmatch(slug):
            table.fail(
                slug, "slug", f"'{slug}' in [{key}] must be lowercase letters, digits and hyphens"
            )
            continue
        if msgid is not None:
            labels.append(Label(slug, msgid))
    return tuple(labels)
