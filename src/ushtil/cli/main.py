"""The command line: the only place that parses arguments, prints and picks exit codes.

Exit codes: 0 done, 1 problems found, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Callable, Sequence

from ushtil import __version__
from ushtil.site.build import build, load_site, now_utc
from ushtil.project.problems import Diagnostic, UshtilError, has_errors
from ushtil.project.files import check_writable, is_within
from ushtil.interface import report as poreport
from ushtil.interface.compile import compile_catalog
from ushtil.translation import provenance
from ushtil.interface import tooling as translate
from ushtil.project.freshness import FAILABLE, ChangeTimes, Status, compute_status
from ushtil.site.write import refuse_output
from ushtil.project import layout

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for d in diagnostics:
        print(d, file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    out = Path(os.path.abspath(root / args.out)) if args.out else root / layout.OUTPUT  # a link is not followed
    refused = refuse_output(root, out)
    if refused:
        print_diagnostics(refused)
        return EXIT_USAGE
    from ushtil.site.serve import terminal_progress

    report = build(root, out, strict=args.strict, clean=args.clean, jobs=args.jobs, progress=terminal_progress())
    print_diagnostics(report.diagnostics)
    if not report.ok:
        print("build failed: nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    if report.written:
        print(f"built {report.written} files into {out}")
    else:
        print(f"{out} is up to date ({report.pages} files)")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ushtil.site.serve import serve, terminal_progress

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        return serve(Path(args.project).resolve(), port=args.port, host=args.host, say=say, progress=terminal_progress())
    except OSError as exc:
        print(f"ushtil serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    report = build(root, strict=args.strict, write=False)
    print_diagnostics(report.diagnostics)
    if has_errors(report.diagnostics):
        return EXIT_PROBLEMS
    print(f"ok: {report.pages} pages would be built")
    return EXIT_OK


def _languages(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def cmd_status(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    loaded = load_site(root)
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.site is None or errors:
        print_diagnostics(errors)
        print("status: the project has errors; fix them first", file=sys.stderr)
        return EXIT_PROBLEMS
    codes = loaded.site.config.codes
    langs = _languages(args.lang) if args.lang else list(codes)
    fail_on = _languages(args.fail_on) if args.fail_on else []
    for lang in langs:
        if lang not in codes:
            print(f"ushtil status: --lang: '{lang}' is not one of the site's languages ({', '.join(codes)})", file=sys.stderr)
            return EXIT_USAGE
    for state in fail_on:
        if state not in FAILABLE:
            print(f"ushtil status: --fail-on: '{state}' is not one of {', '.join(FAILABLE)}", file=sys.stderr)
            return EXIT_USAGE
    status = compute_status(loaded.site, langs, changed=ChangeTimes(root))
    now = now_utc()
    if args.format == "json":
        print(json.dumps(status.as_dict(now), ensure_ascii=False, indent=2))
    else:
        print_status_table(status, now)
    failing = status.failing(fail_on)
    sys.stdout.flush()
    if failing:
        print(
            f"{len(failing)} version(s) {'/'.join(fail_on)}: "
            + ", ".join(f"{row.article.id}/{cell.lang}" for row, cell in failing[:10])
            + (" …" if len(failing) > 10 else ""),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def print_status_table(status: Status, now: object) -> None:
    rows = []
    for row in status.rows:
        cells = []
        for cell in row.cells:
            text = cell.state
            if cell.source_changed is not None:
                days = max(0, (now - cell.source_changed).days)  # type: ignore[operator]
                text += f" ({days} d)"
            cells.append(text)
        rows.append([row.article.id, row.source_lang or "-", *cells])
    header = ["article", "source", *status.languages]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(value.ljust(width) for value, width in zip(r, widths)).rstrip())
    print()
    for c in status.coverage():
        rest = ", ".join(f"{c.count(s)} {s}" for s in ("outdated", "missing", "draft"))
        print(f"{c.lang}: {c.up_to_date}/{c.total} up to date ({c.percent}%): {rest}")
    if any(cell.source_changed for row in status.rows for cell in row.cells):
        print("(n d): days since the original of an outdated version changed")


def cmd_translate(args: argparse.Namespace) -> int:
    outcome = provenance.scaffold(Path(args.project).resolve(), args.id, args.to, args.from_lang)
    print(outcome.message)
    return EXIT_OK


def cmd_translated(args: argparse.Namespace) -> int:
    outcome = provenance.restamp(
        Path(args.project).resolve(), args.id, args.lang, force=args.force, from_lang=args.from_lang
    )
    print(outcome.message)
    return EXIT_OK


def _memory(root: Path):  # type: ignore[no-untyped-def]
    from ushtil.translation.memory import build_memory

    loaded = load_site(root)
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.site is None or errors:
        raise UshtilError(errors)
    return build_memory(loaded.site)


def cmd_translate_export(args: argparse.Namespace) -> int:
    from ushtil.translation import exchange as articlepo

    root = Path(args.project).resolve()
    out = root / args.out if args.out else root / layout.EXPORTS  # relative to the project, like -C
    if out.exists() and not out.is_dir():
        what = "not a folder (it names the folder for the <id>.<lang>.po files)"
        print(f"ushtil translate export: --out {args.out}: {what}", file=sys.stderr)
        return EXIT_USAGE
    if args.pending == bool(args.id):
        print("ushtil translate export: give an article ID or --pending (every missing or outdated version)", file=sys.stderr)
        return EXIT_USAGE
    ids = articlepo.pending(root, args.to) if args.pending else [args.id]
    memory = _memory(root)
    for article_id in ids:
        done = articlepo.export_article(
            root, article_id, args.to, from_lang=args.from_lang, out_dir=out, memory=memory,
            threshold=args.match / 100,
        )
        shown = done.path.relative_to(root) if done.path.is_relative_to(root) else done.path
        print(f"{shown}: {done.segments} segments, {done.translated} translated, {done.fuzzy} fuzzy")
    if not ids:
        print(f"nothing to export: every '{args.to}' version is current")
    return EXIT_OK


def cmd_translate_import(args: argparse.Namespace) -> int:
    from ushtil.translation import exchange as articlepo

    root = Path(args.project).resolve()
    files: list[Path] = []
    for name in args.files:
        path = (root / name).resolve()  # relative to the project, like -C
        files += sorted(path.glob("*.po")) if path.is_dir() else [path]
    failed = False
    for path in files:
        try:
            done = articlepo.import_file(root, path, draft=args.draft, threshold=args.threshold)
        except UshtilError as exc:
            print_diagnostics(exc.diagnostics)
            failed = True
            continue
        state = "as a draft" if done.draft else "current"
        print(f"{done.path.relative_to(root)}: written {state} ({done.translated}/{done.total} segments)")
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_tm_stats(args: argparse.Namespace) -> int:
    memory = _memory(Path(args.project).resolve())
    sizes = memory.sizes()
    for (src, tgt), size in sizes.items():
        print(f"{src} → {tgt}: {size} segments")
    if not sizes:
        print("the memory is empty: no current translations yet")
    return EXIT_OK


def cmd_tm_lookup(args: argparse.Namespace) -> int:
    memory = _memory(Path(args.project).resolve())
    matches = memory.lookup(args.text, args.from_lang, args.to, threshold=args.match / 100, limit=args.limit)
    for m in matches:
        print(f"{round(m.score * 100)}%  {m.target}\n      ({m.origin}: {m.source})")
    if not matches:
        print("no match", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_i18n_extract(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    changed, diagnostics = translate.extract(root)
    print_diagnostics(diagnostics)
    print(f"{layout.POT}: {'written' if changed else 'unchanged'}")
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def cmd_i18n_init(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    path = translate.init(root, args.lang, translator=args.translator, team=args.team, force=args.force)
    print(f"{path.relative_to(root)}: created")
    return EXIT_OK


def cmd_i18n_update(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    changed, diagnostics = translate.update(root, drop_obsolete=args.drop_obsolete)
    print_diagnostics(diagnostics)
    for path in changed:
        print(f"{path.relative_to(root)}: updated")
    if not changed:
        print("all catalogues are up to date")
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def _po_files(args: argparse.Namespace) -> list[tuple[Path, str]]:
    root = Path(args.project).resolve()
    if args.files:
        return [((root / f).resolve(), f) for f in args.files]  # relative to the project, like -C
    return [(p, p.relative_to(root).as_posix()) for p in sorted(root.glob(layout.catalogue_glob()))]


def cmd_i18n_stats(args: argparse.Namespace) -> int:
    rows, diagnostics = [], []
    for path, shown in _po_files(args):
        result, problems = poreport.stats(path, shown)
        diagnostics += problems
        if result is not None:
            rows.append(result)
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        print(f"{'catalogue':44} {'lang':4} {'translated':>10} {'fuzzy':>6} {'untransl.':>9} {'obsolete':>8} {'words':>11} {'done':>6}")
        for r in rows:
            words = f"{r.translated_words}/{r.translated_words + r.fuzzy_words + r.untranslated_words}"
            print(f"{r.path:44} {r.language:4} {r.translated:>10} {r.fuzzy:>6} {r.untranslated:>9} {r.obsolete:>8} {words:>11} {r.percent:>5}%")
    print_diagnostics(diagnostics)
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def cmd_i18n_check(args: argparse.Namespace) -> int:
    diagnostics: list[Diagnostic] = []
    for path, shown in _po_files(args):
        diagnostics += poreport.check(path, shown, strict=args.strict)
    if args.format == "json":
        print(json.dumps(
            [{"path": d.location.path, "line": d.location.line, "severity": d.severity.value, "code": d.code,
              "message": d.message} for d in diagnostics],
            ensure_ascii=False, indent=2,
        ))
    else:
        for d in diagnostics:
            print(poreport.check_line(d))
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def cmd_i18n_compile(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    out_root = (root / args.out).resolve() if args.out else root / layout.LOCALES
    if out_root.exists() and not out_root.is_dir():
        print(f"ushtil i18n compile: --out {args.out}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    within = None if is_within(out_root, root) else out_root  # a folder outside: the user's choice
    failed = False
    for path in sorted(root.glob(layout.catalogue_glob())):
        shown = path.relative_to(root).as_posix()
        target = out_root / path.relative_to(root / layout.LOCALES).with_suffix(".mo")
        try:
            check_writable(root, target, within=within)
        except UshtilError as exc:
            problems = list(exc.diagnostics)
        else:
            problems = compile_catalog(path, shown, target, use_fuzzy=args.use_fuzzy)
        print_diagnostics(problems)
        if problems:
            failed = True
            print(f"{shown}: not compiled", file=sys.stderr)
        else:
            print(f"{shown} -> {target}")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _port(value: str) -> int:
    port = int(value) if value.isdecimal() else 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number (1 to 65535)")
    return port


def _project_problem(args: argparse.Namespace, given: bool) -> str | None:
    """Why ``-C`` (or, without it, this folder) is not a project to run on; nothing is
    created in a folder that is not one. ``i18n stats`` and ``check`` take any .po file."""
    any_po = args.command == "i18n" and args.i18n_command in ("stats", "check") and args.files
    if any_po and not given:
        return None
    folder = Path(args.project)
    if not given:
        if (folder / layout.CONFIG).is_file():
            return None
        return (
            "ushtil: this folder is not an ushtil project (no site.toml here); "
            "run ushtil in the project's folder or give it with -C DIR"
        )
    if not folder.exists():
        return f"ushtil: -C {args.project}: no such folder"
    if not folder.is_dir():
        return f"ushtil: -C {args.project}: not a folder"
    if not (folder / layout.CONFIG).is_file():
        return f"ushtil: -C {args.project}: not an ushtil project (no site.toml there)"
    return None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ushtil", description="Build a trilingual (kk/ru/en) news site.")
    p.add_argument("--version", action="version", version=f"ushtil {__version__}")
    p.add_argument("-C", "--project", help="the project folder (default: here)")
    p.add_argument("--debug", action="store_true", help="show a traceback for unexpected failures")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the site into the output folder")
    b.add_argument("--out", help="output folder (default: public/ in the project)")
    b.add_argument("--strict", action="store_true", help="missing or outdated required versions are errors")
    b.add_argument("--clean", action="store_true", help="render everything, ignoring what the last build remembered")
    b.add_argument("--jobs", type=int, help="processes rendering article pages (default: one per core)")
    b.set_defaults(func=cmd_build)

    sv = sub.add_parser("serve", help="build, serve on localhost, rebuild and reload on every change")
    sv.add_argument("--port", type=_port, default=8000, help="1 to 65535 (default: 8000)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    sv.set_defaults(func=cmd_serve)

    c = sub.add_parser("check", help="validate everything without writing")
    c.add_argument("--strict", action="store_true", help="missing or outdated required versions are errors")
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("status", help="which versions are current, outdated, missing or drafts")
    s.add_argument("--lang", help="only these languages, comma-separated (e.g. kk or kk,ru)")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument(
        "--fail-on", metavar="STATES", help=f"exit 1 if any version shown is in these states ({','.join(FAILABLE)})"
    )
    s.set_defaults(func=cmd_status)

    t = sub.add_parser("translate", help="start a new language version of an article, as a draft")
    t.add_argument("id", help="the article ID (its folder name)")
    t.add_argument("--to", required=True, help="the language to translate into")
    t.add_argument("--from", dest="from_lang", help="the version to translate from (default: the original)")
    t.set_defaults(func=cmd_translate)

    te = sub.add_parser("translate-export", help="(ushtil translate export) an article version as a .po file")
    te.add_argument("id", nargs="?", help="the article ID")
    te.add_argument("--to", required=True, help="the language to translate into")
    te.add_argument("--from", dest="from_lang", help="the version to translate from (default: the original)")
    te.add_argument("--out", help=f"folder for <id>.<lang>.po (default: {'i18n/articles'})")
    te.add_argument("--pending", action="store_true", help="every article whose --to version is missing or outdated")
    te.add_argument("--match", type=int, default=75, help="memory suggestions from this similarity, in percent (default 75)")
    te.set_defaults(func=cmd_translate_export)

    ti = sub.add_parser("translate-import", help="(ushtil translate import) write <lang>.md from translated .po files")
    ti.add_argument("files", nargs="+", help=".po files or folders of them")
    ti.add_argument("--draft", action="store_true", help="write even if incomplete, as a draft")
    ti.add_argument("--threshold", type=float, default=100.0, help="percent of segments that must be translated (default 100)")
    ti.set_defaults(func=cmd_translate_import)

    tm = sub.add_parser("tm", help="the translation memory: stats, lookup")
    tmsub = tm.add_subparsers(dest="tm_command", required=True, metavar="ACTION")
    tms = tmsub.add_parser("stats", help="how many segments per language pair")
    tms.set_defaults(func=cmd_tm_stats)
    tml = tmsub.add_parser("lookup", help="translations of a text remembered from articles and catalogues")
    tml.add_argument("text")
    tml.add_argument("--from", dest="from_lang", required=True)
    tml.add_argument("--to", required=True)
    tml.add_argument("--match", type=int, default=75, help="minimum similarity in percent (default 75)")
    tml.add_argument("--limit", type=int, default=5)
    tml.set_defaults(func=cmd_tm_lookup)

    td = sub.add_parser("translated", help="record that a version is up to date with its source")
    td.add_argument("id", help="the article ID")
    td.add_argument("lang", help="the version's language")
    td.add_argument("--force", action="store_true", help="stamp even if the text has not changed since it went outdated")
    td.add_argument("--from", dest="from_lang", help="declare the language it was translated from (first stamp)")
    td.set_defaults(func=cmd_translated)

    i18n = sub.add_parser("i18n", help="interface catalogues: extract, init, update, stats, check, compile")
    isub = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    e = isub.add_parser("extract", help="templates and sources → i18n/messages.pot")
    e.set_defaults(func=cmd_i18n_extract)
    n = isub.add_parser("init", help="start the catalogue of a new language")
    n.add_argument("lang", help="ISO 639-1 code, e.g. kk")
    n.add_argument("--translator", default="", help='Last-Translator, e.g. "Name <mail@example.kz>"')
    n.add_argument("--team", default="", help="Language-Team (default: the language's English name)")
    n.add_argument("--force", action="store_true", help="overwrite an existing catalogue")
    n.set_defaults(func=cmd_i18n_init)
    u = isub.add_parser("update", help="merge the template into every catalogue")
    u.add_argument("--drop-obsolete", action="store_true", help="drop strings no longer used instead of keeping them as #~")
    u.set_defaults(func=cmd_i18n_update)
    st = isub.add_parser("stats", help="translated / fuzzy / untranslated / obsolete per catalogue")
    st.add_argument("files", nargs="*", help=".po files (default: the project's catalogues)")
    st.add_argument("--format", choices=("table", "json"), default="table")
    st.set_defaults(func=cmd_i18n_stats)
    ch = isub.add_parser("check", help="every problem in the catalogues, as path:line: code: message")
    ch.add_argument("files", nargs="*", help=".po files (default: the project's catalogues)")
    ch.add_argument("--format", choices=("text", "json"), default="text")
    ch.add_argument("--strict", action="store_true", help="fuzzy and untranslated entries are errors")
    ch.set_defaults(func=cmd_i18n_check)
    co = isub.add_parser("compile", help="write .mo files for other consumers (only from catalogues that pass)")
    co.add_argument("--out", help="folder for <lang>/LC_MESSAGES/messages.mo (default: locales/)")
    co.add_argument("--use-fuzzy", action="store_true", help="include fuzzy translations")
    co.set_defaults(func=cmd_i18n_compile)
    return p


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _dispatch(argv: Sequence[str]) -> list[str]:
    """``translate export`` / ``translate import`` → their own subcommands; every other
    ``translate <id>`` stays the scaffolding command."""
    args = list(argv)
    i = 0
    while i < len(args):
        if args[i] in ("-C", "--project"):
            i += 2
            continue
        if args[i].startswith("-"):
            i += 1
            continue
        if args[i] == "translate" and i + 1 < len(args) and args[i + 1] in ("export", "import"):
            args[i : i + 2] = [f"translate-{args[i + 1]}"]
        break
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(_dispatch(sys.argv[1:] if argv is None else argv))
    given = args.project is not None
    args.project = args.project if given else "."
    problem = _project_problem(args, given)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    func: Callable[[argparse.Namespace], int] = args.func
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C
    try:
        return func(args)
    except UshtilError as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted: the output folder is unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in ushtil, not a user mistake
        if args.debug:
            traceback.print_exc()
        else:
            print(f"ushtil: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
