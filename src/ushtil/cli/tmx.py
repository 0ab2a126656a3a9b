"""``ushtil tm export`` and ``ushtil tm import``: the translation memory as TMX."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ushtil.cli.output import Exit, print_diagnostics, usage
from ushtil.cli.parsing import Subcommands
from ushtil.cli.place import Place
from ushtil.project import layout
from ushtil.project.files import is_within, write_text
from ushtil.project.problems import Diagnostic, UshtilError, display_path

if TYPE_CHECKING:
    from ushtil.translation.memory import Memory

# What the commands use is imported when they run: a build never pays for it.


def project_memory(place: Place) -> Memory:
    """The memory of the project: its articles and catalogues, and the TMX files imported
    (a kept TMX that cannot be read is a warning; the memory does without it)."""
    from ushtil.site.build import load_site
    from ushtil.translation.memory import build_memory
    from ushtil.translation.tmx import load_imported

    loaded = load_site(place.project)
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.site is None or errors:
        raise UshtilError(errors)
    memory = build_memory(loaded.site)
    print_diagnostics(place, load_imported(memory, place.project, loaded.site.config.codes))
    return memory


def imported_memory(root: Path) -> tuple[Memory | None, list[Diagnostic]]:
    """Only the TMX files imported into the project (None when there are none)."""
    from ushtil.project.config import read_config
    from ushtil.translation.memory import Memory
    from ushtil.translation.tmx import imported_memories, load_imported

    if not imported_memories(root):
        return None, []
    config, problems = read_config(root)
    if config is None:
        return None, problems
    memory = Memory()
    return memory, load_imported(memory, root, config.codes)


def cmd_tm_export(args: argparse.Namespace, place: Place) -> int:
    from ushtil.translation.tmx import to_tmx

    root = place.project
    path = place.given(args.file)
    if path.suffix.lower() != ".tmx":
        return usage("tm export", f"{args.file}: the file's name must end in .tmx")
    read = [root / name for name in (layout.ARTICLES, layout.TEMPLATES, layout.LOCALES)]
    read.append(root / layout.MEMORIES)
    if any(path.is_relative_to(folder) for folder in read):
        where = "inside a folder ushtil reads; choose another place"
        return usage("tm export", f"{args.file}: {where}")
    if path.is_dir():
        return usage("tm export", f"{args.file}: is a folder; name the .tmx file to write")
    memory = project_memory(place)
    text = to_tmx(memory, src=args.from_lang, tgt=args.to)
    within = None if is_within(path, root) else path.parent
    write_text(root, path, text, within=within)
    units = text.count("<tu ")
    print(f"{place.show(path)}: {units} translation unit{'s' * (units != 1)} (TMX 1.4b)")
    return Exit.OK


def cmd_tm_import(args: argparse.Namespace, place: Place) -> int:
    from ushtil.project.config import read_config
    from ushtil.translation.tmx import import_tmx

    root = place.project
    config, problems = read_config(root)
    if config is None:
        print_diagnostics(place, problems)
        return Exit.PROBLEMS
    path = place.given(args.file)
    done, problems = import_tmx(root, path, display_path(path, root), config.codes, name=args.name)
    if done is None:
        print_diagnostics(place, problems)
        return Exit.PROBLEMS
    shown = place.show(done.path)
    print(f"{shown}: {done.units} translation units kept, a read-only source for suggestions")
    return Exit.OK


def add_to(tmsub: Subcommands) -> None:
    x = tmsub.add_parser("export", help="the memory as a TMX 1.4b file, for CAT tools")
    x.add_argument("file", help="the .tmx file to write")
    x.add_argument("--from", dest="from_lang", help="only pairs from this language")
    x.add_argument("--to", help="only pairs into this language")
    x.set_defaults(func=cmd_tm_export)
    i = tmsub.add_parser(
        "import", help=f"keep a TMX file in {layout.MEMORIES}/ as a read-only memory"
    )
    i.add_argument("file", help="the .tmx file (from OmegaT, Trados, memoQ, …)")
    i.add_argument("--name", help="the name to keep it under (default: the file's own)")
    i.set_defaults(func=cmd_tm_import)
