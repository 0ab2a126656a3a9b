"""The site's templates: one Jinja2 environment per language.

Each has the i18n extension with new-style gettext, autoescape and ``StrictUndefined``;
Babel formats dates in the page's language and the site's time zone. Template mistakes
become diagnostics naming the template file and line, once per line rather than once
per page. Compiled templates are code, so they are kept only in the user's own folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import format_date, format_time
from jinja2 import pass_context
from jinja2.environment import TemplateModule
from jinja2.runtime import Context
from markupsafe import Markup

from ushtil.interface.translator import Catalog, Translator, translator
from ushtil.project import languages, layout, private
from ushtil.project.model import Label, Language, SiteConfig
from ushtil.project.problems import Diagnostic, Location, error, warning
from ushtil.site.graph import Urls

# What a template may get wrong while it renders (besides jinja2.TemplateError).
RENDER_ERRORS = (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError)


class TemplateProblems:
    """Collects template errors once per template line, not once per page."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: dict[tuple[str, int | None, str], Diagnostic] = {}

    def add(self, exc: BaseException, template: str) -> None:
        path, line = _template_location(exc, self.root, template)
        if isinstance(exc, RecursionError):
            path, line = _recursion_location(exc, self.root) or (path, line)
            message = "template recursion: it includes, extends or calls itself without end"
        elif isinstance(exc, jinja2.TemplateSyntaxError):
            message = f"template syntax error: {exc.message}"
        elif isinstance(exc, jinja2.UndefinedError):
            message = f"template refers to something undefined: {exc.message}"
        elif isinstance(exc, jinja2.TemplateNotFound):
            message = f"template not found: {exc.name}"
        else:
            message = f"template failed: {type(exc).__name__}: {exc}"
        self.adopt([error(Location(path, line), "template", message)])

    def adopt(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Problems found elsewhere (by a worker process), each kept once."""
        for d in diagnostics:
            self.seen.setdefault((d.location.path, d.location.line, d.message), d)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self.seen.values())


def _template_location(exc: BaseException, root: Path, template: str) -> tuple[str, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return _shown(exc.filename, root), exc.lineno
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{layout.TEMPLATES}/{template}", None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if _is_template(frame.filename):
            return _shown(frame.filename, root), frame.lineno
    return f"{layout.TEMPLATES}/{template}", None


def _recursion_location(exc: RecursionError, root: Path) -> tuple[str, int | None] | None:
    """Where a template starts to repeat itself: the template line just before the
    outermost template frame that the traceback enters a second time."""
    frames = [
        (frame.filename, frame.lineno, frame.name)  # name: top level, a block or a macro
        for frame in traceback.extract_tb(exc.__traceback__)
        if _is_template(frame.filename)
    ]
    seen: set[tuple[str, int | None, str]] = set()
    for index, frame in enumerate(frames):
        if frame in seen:
            filename, line, _ = frames[index - 1]
            return _shown(filename, root), line
        seen.add(frame)
    return None


def _is_template(filename: str) -> bool:
    return filename.endswith(".html") or f"/{layout.TEMPLATES}/" in filename


def _shown(filename: str, root: Path) -> str:
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return filename


class Formatting:
    """Percent-formatting of translated strings that never crashes a build.

    ``text`` is HTML (what :class:`~ushtil.interface.translator.Translator` returns: a
    translation whose markup is its msgid's, or plain text escaped), so it is formatted
    as :class:`Markup`, which escapes every value put into it.
    """

    def __init__(self) -> None:
        self.problems: dict[str, Diagnostic] = {}

    def apply(self, ctx: Context, text: Markup, source: str, variables: dict[str, object]) -> str:
        value: Markup | str = text if ctx.eval_ctx.autoescape else str(text)
        try:
            return value % variables
        except (KeyError, ValueError, TypeError) as exc:
            self.problems.setdefault(
                source,
                warning(
                    Location(ctx.name or layout.TEMPLATES),
                    "format",
                    f"interface string {source!r} cannot be formatted ({exc}); shown as written",
                ),
            )
            return value


def gettext_callables(t: Translator, fmt: Formatting) -> dict[str, Callable[..., str]]:
    @pass_context
    def gettext(ctx: Context, msgid: str, **variables: object) -> str:
        return fmt.apply(ctx, t.gettext(msgid), msgid, variables)

    @pass_context
    def ngettext(ctx: Context, singular: str, plural: str, num: int, **variables: object) -> str:
        variables.setdefault("num", num)
        return fmt.apply(ctx, t.ngettext(singular, plural, num), singular, variables)

    @pass_context
    def pgettext(ctx: Context, context: str, msgid: str, **variables: object) -> str:
        variables.setdefault("context", context)
        return fmt.apply(ctx, t.pgettext(context, msgid), msgid, variables)

    @pass_context
    def npgettext(
        ctx: Context, context: str, singular: str, plural: str, num: int, **variables: object
    ) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        translated = t.npgettext(context, singular, plural, num)
        return fmt.apply(ctx, translated, singular, variables)

    return {
        "gettext": gettext,
        "ngettext": ngettext,
        "pgettext": pgettext,
        "npgettext": npgettext,
    }


def _bytecode_cache(root: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates are code: they are kept only in the user's own folder
    (:mod:`ushtil.project.private`), never in the project, one subfolder per project."""
    home = private.folder(root)
    if home is None:
        return None  # templates are compiled every time instead
    project = hashlib.blake2b(os.fsencode(os.path.realpath(root)), digest_size=8).hexdigest()
    folder = home / "jinja" / project
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(
    config: SiteConfig,
    lang: Language,
    t: Translator,
    fmt: Formatting,
    bytecode: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        auto_reload=False,  # an environment lives for one build: no stat of every template per page
        loader=jinja2.FileSystemLoader(str(config.root / layout.TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # set by the i18n extension
    env.globals.update(gettext_callables(t, fmt))
    env.globals["N_"] = lambda msgid: msgid  # marks a string for extraction only

    # site.toml's names are plain text: autoescape escapes them like any other data
    def label(kind: str, value: Label) -> str:
        return t.label(kind, value.msgid)

    env.globals["label"] = label
    env.globals["site_name"] = t.label(None, config.name)
    address = config.identity.contacts.address
    env.globals["contact_address"] = t.label("contact", address) if address else ""
    zone = ZoneInfo(config.time_zone)
    locale = Locale.parse(lang.locale)

    def local(value: dt.datetime) -> dt.datetime:
        return value.astimezone(zone)

    def date(value: dt.datetime, form: str = languages.date_format(lang.code)) -> str:
        return format_date(local(value), form, locale=locale)

    def time(value: dt.datetime, form: str = "short") -> str:
        return format_time(local(value), form, locale=locale)

    def language_name(code: str) -> str:
        return str(locale.languages.get(code, code))

    env.filters["date"] = date
    env.filters["time"] = time
    env.filters["isoformat"] = lambda value: local(value).isoformat()
    env.filters["language_name"] = language_name
    return env


class Templates:
    """The site's templates in every language, and what went wrong rendering them."""

    def __init__(
        self, config: SiteConfig, urls: Urls, catalogs: dict[str, Catalog], *, compiled: bool
    ) -> None:
        """``compiled``: keep compiled templates in the user's folder for the next build."""
        self.config = config
        self.urls = urls
        self.problems = TemplateProblems(config.root)
        self.fmt = Formatting()
        self.endless: set[str] = set()  # templates that recursed without end
        self.translators = {c: translator(config, catalogs, c) for c in config.codes}
        bytecode = _bytecode_cache(config.root) if compiled else None
        self.envs = {
            lang.code: make_environment(
                config, lang, self.translators[lang.code], self.fmt, bytecode
            )
            for lang in config.languages
        }

    def render(self, lang: str, template: str, **context: object) -> bytes | None:
        """``template`` rendered in ``lang`` (UTF-8); None when it failed (reported)."""
        if template in self.endless:
            return None  # reported once: finding it again for every page takes seconds each
        try:
            tpl = self.envs[lang].get_template(template)
            return tpl.render(urls=self.urls, config=self.config, **context).encode("utf-8")
        except RecursionError as exc:
            self.endless.add(template)
            self.problems.add(exc, template)
        except (jinja2.TemplateError, *RENDER_ERRORS) as exc:
            self.problems.add(exc, template)
        return None

    def module(
        self, lang: str, template: str, reported_as: str, **context: object
    ) -> TemplateModule | None:
        """``template`` in ``lang`` as a module (its macros); None when it failed, then
        reported as a problem of ``reported_as``."""
        try:
            return self.envs[lang].get_template(template).make_module(context)
        except (jinja2.TemplateError, RecursionError) as exc:
            self.problems.add(exc, reported_as)
            return None

    def text(self, lang: str, msgid: str) -> str:
        """An interface string as plain text (gettext gives HTML), for the feeds."""
        return self.translators[lang].gettext(msgid).unescape()

    def in_language(self, lang: str, msgid: str) -> Markup:
        """``msgid`` translated into ``lang``, whatever the page's language (the chooser)."""
        return self.translators[lang].gettext(msgid)

    def site_name(self, lang: str) -> str:
        """site.toml's ``name`` in ``lang``, as plain text."""
        return self.translators[lang].label(None, self.config.name)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.problems.diagnostics + list(self.fmt.problems.values())
