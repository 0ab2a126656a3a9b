"""``ushtil build``, ``serve``, ``check`` and ``status``: the site as a whole."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ushtil.cli.fixes import fix_lookalikes
from ushtil.cli.output import Exit, print_diagnostics, terminal_progress, usage
from ushtil.cli.parsing import Subcommands
from ushtil.cli.place import Place
from ushtil.engine.write import refuse_output
from ushtil.project import layout
from ushtil.project.freshness import FAILABLE, ChangeTimes, Freshness, Status, compute_status
from ushtil.project.problems import has_errors
from ushtil.site.build import build, load_site, now_utc


def cmd_build(args: argparse.Namespace, place: Place) -> int:
    root = place.project
    out = place.given(args.out) if args.out else root / layout.OUTPUT  # a link is not followed
    refused = refuse_output(root, out)
    if refused:
        print_diagnostics(place, refused)
        return Exit.USAGE

    report = build(
        root,
        out,
        strict=args.strict,
        clean=args.clean,
        jobs=args.jobs,
        progress=terminal_progress(),
    )
    print_diagnostics(place, report.diagnostics)
    if not report.ok:
        print("build failed: nothing was written", file=sys.stderr)
    elif report.written:
        print(f"built {report.written} files into {place.show(out)}")
    elif report.foreign:  # what ushtil made is up to date, but the folder holds more
        print(
            f"{place.show(out)}: nothing to rebuild, but it holds {len(report.foreign)} "
            f"file(s) ushtil did not write (named above)"
        )
    else:
        print(f"{place.show(out)} is up to date ({report.pages} files)")
    if args.stats:  # one "name count" line per counter, always all of them, in one order
        for name, count in report.counters.items():
            print(f"{name} {count}")
    return Exit.OK if report.ok else Exit.PROBLEMS


def cmd_serve(args: argparse.Namespace, place: Place) -> int:
    from ushtil.site.serve import serve

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        return serve(
            place.project, port=args.port, host=args.host, say=say, progress=terminal_progress()
        )
    except OSError as exc:
        reason = exc.strerror or exc
        print(f"ushtil serve: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return Exit.PROBLEMS


def cmd_check(args: argparse.Namespace, place: Place) -> int:
    if args.fix and fix_lookalikes(place) != Exit.OK:
        return Exit.PROBLEMS
    report = build(place.project, strict=args.strict, write=False)
    print_diagnostics(place, report.diagnostics)
    if has_errors(report.diagnostics):
        return Exit.PROBLEMS
    print(f"ok: {report.pages} pages would be built")
    return Exit.OK


def _languages(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def cmd_status(args: argparse.Namespace, place: Place) -> int:
    root = place.project
    loaded = load_site(root)
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.site is None or errors:
        print_diagnostics(place, errors)
        print("status: the project has errors; fix them first", file=sys.stderr)
        return Exit.PROBLEMS
    codes = loaded.site.config.codes
    langs = _languages(args.lang) if args.lang else list(codes)
    fail_on = _languages(args.fail_on) if args.fail_on else []
    for lang in langs:
        if lang not in codes:
            known = ", ".join(codes)
            return usage("status", f"--lang: '{lang}' is not one of the site's languages ({known})")
    for state in fail_on:
        if state not in FAILABLE:
            return usage("status", f"--fail-on: '{state}' is not one of {', '.join(FAILABLE)}")
    status = compute_status(loaded.site, langs, changed=ChangeTimes(root))
    now = now_utc()
    if args.format == "json":  # paths relative to the project, wherever it runs (like git's)
        print(json.dumps(status.as_dict(now), ensure_ascii=False, indent=2))
    else:
        print_status_table(status, now)
    failing = status.failing(fail_on)
    sys.stdout.flush()
    if failing:
        named = ", ".join(f"{row.article.id}/{cell.lang}" for row, cell in failing[:10])
        more = " …" if len(failing) > 10 else ""
        print(f"{len(failing)} version(s) {'/'.join(fail_on)}: {named}{more}", file=sys.stderr)
        return Exit.PROBLEMS
    return Exit.OK


def print_status_table(status: Status, now: dt.datetime) -> None:
    rows = []
    for row in status.rows:
        cells = []
        for cell in row.cells:
            text = str(cell.state)
            if cell.source_changed is not None:
                text += f" ({max(0, (now - cell.source_changed).days)} d)"
            cells.append(text)
        rows.append([row.article.id, row.source_lang or "-", *cells])
    header = ["article", "source", *status.languages]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print(
            "  ".join(value.ljust(width) for value, width in zip(r, widths, strict=True)).rstrip()
        )
    print()
    for c in status.coverage():
        shown = (Freshness.OUTDATED, Freshness.MISSING, Freshness.DRAFT)
        rest = ", ".join(f"{c.count(s)} {s}" for s in shown)
        print(f"{c.lang}: {c.up_to_date}/{c.total} up to date ({c.percent}%): {rest}")
    if any(cell.source_changed for row in status.rows for cell in row.cells):
        print("(n d): days since the original of an outdated version changed")


def _jobs(value: str) -> int:
    if not value.isdecimal() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes (1 or more)")
    return int(value)


def _folder(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty folder name")
    return value


def _port(value: str) -> int:
    port = int(value) if value.isdecimal() else 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number (1 to 65535)")
    return port


def add_commands(sub: Subcommands) -> None:
    strict = (
        "missing or outdated required versions, look-alike letters and invisible "
        "characters in articles are errors"
    )
    b = sub.add_parser("build", help="build the site into the output folder")
    b.add_argument("--out", type=_folder, help="output folder (default: public/ in the project)")
    b.add_argument("--strict", action="store_true", help=strict)
    b.add_argument(
        "--clean",
        action="store_true",
        help="render everything, ignoring what the last build remembered",
    )
    b.add_argument(
        "--jobs", type=_jobs, help="processes rendering article pages (default: one per core)"
    )
    b.add_argument(
        "--stats",
        action="store_true",
        help="then print what the build did, one 'name count' line per counter",
    )
    b.set_defaults(func=cmd_build)

    sv = sub.add_parser(
        "serve", help="build, serve on localhost, rebuild and reload on every change"
    )
    sv.add_argument("--port", type=_port, default=8000, help="1 to 65535 (default: 8000)")
    sv.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: this machine only)"
    )
    sv.set_defaults(func=cmd_serve)

    c = sub.add_parser("check", help="validate everything without writing")
    c.add_argument("--strict", action="store_true", help=strict)
    c.add_argument(
        "--fix",
        action="store_true",
        help="first rewrite unambiguous Latin look-alikes in articles (as fix-lookalikes)",
    )
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("status", help="which versions are current, outdated, missing or drafts")
    s.add_argument("--lang", help="only these languages, comma-separated (e.g. kk or kk,ru)")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument(
        "--fail-on",
        metavar="STATES",
        help=f"exit 1 if any version shown is in these states ({','.join(FAILABLE)})",
    )
    s.set_defaults(func=cmd_status)
