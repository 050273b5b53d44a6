"""The project's commands. Each prints plain lines and exits 0 on success, 1 on problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.check.runner import check_data
from macros.core.clock import BadDate
from macros.core.problems import errors_in
from macros.export.command import add_parser as add_export_parser
from macros.lab.probe import add_arguments as add_probe_arguments
from macros.lab.runner import add_arguments as add_lab_arguments
from macros.lab.runner import run_command as lab_command
from macros.lab.probe import run_command as probe_command
from macros.render.answer_text import add_parser as add_answer_parser

DEFAULT_DATA_DIR = Path("data")


def _check(args) -> int:
    _, problems = check_data(Path(args.data_dir))
    for problem in problems:
        print(problem)
    errors = errors_in(problems)
    warnings = len(problems) - len(errors)
    if errors:
        print(f"{len(errors)} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    print(f"data OK ({warnings} warning(s))", file=sys.stderr)
    return 0


def _new(args) -> int:
    from macros.tools.scaffold import KINDS, ScaffoldError, create, plan
    kind = KINDS[args.kind]
    try:
        if args.print:
            print(plan(Path.cwd(), args.kind, args.version).data_text, end="")
            return 0
        new = create(Path.cwd(), args.kind, args.version)
    except ScaffoldError as error:
        print(f"new: {error}", file=sys.stderr)
        return 1
    data_file = new.data_path.relative_to(Path.cwd())
    print(f"created {data_file}: replace every FILL-IN value (make check lists the ones left)\n"
          f"created {new.page_path.relative_to(Path.cwd())}\n"
          f"added {kind.product} {args.version} to the nav in mkdocs.yml\n"
          f"next: fill in {data_file}, run `make check`, then `make serve` and open /{kind.name}/{args.version}/")
    return 0


def _diff(args) -> int:
    from macros.tools.diff import DiffError, run
    try:
        text, both_checked = run(Path.cwd(), args.base, args.head)
    except DiffError as error:
        print(f"diff: {error}", file=sys.stderr)
        return 2
    print(text, end="")
    return 0 if both_checked else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m macros",
                                     description="PostgreSQL/OpenSSL TLS knowledge base tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the data files")
    check.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR))
    check.set_defaults(run=_check)
    new = commands.add_parser("new", help="start the data file, page and nav entry of a new version")
    new.add_argument("kind", choices=["postgresql", "openssl"])
    new.add_argument("version", help='a PostgreSQL major ("20") or an OpenSSL series ("4.2")')
    new.add_argument("--print", action="store_true", help="print the data file; write nothing")
    new.set_defaults(run=_new)
    diff = commands.add_parser("diff", help="the data-level change between two revisions, in Markdown")
    diff.add_argument("base", nargs="?", help="default: git merge-base HEAD main")
    diff.add_argument("head", nargs="?", help="default: the working tree")
    diff.set_defaults(run=_diff)
    add_export_parser(commands)
    add_answer_parser(commands)
    probe = commands.add_parser("probe", help="handshake-test a throwaway cluster of a PostgreSQL "
                                "installed here; write data/observations/<...>.yaml")
    add_probe_arguments(probe)
    probe.set_defaults(run=probe_command)
    lab = commands.add_parser("lab", help="fetch real PostgreSQL x OpenSSL builds from public "
                              "registries, probe each, write data/observations/<...>.yaml")
    add_lab_arguments(lab)
    lab.set_defaults(run=lab_command)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BadDate as error:  # from the check, which every data-reading command runs
        print(f"{args.command}: {error}", file=sys.stderr)
        return 2
