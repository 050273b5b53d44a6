"""The project's commands. Each prints plain lines and exits 0 on success, 1 on problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.check import check_data
from macros.problems import errors_in

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m macros",
                                     description="PostgreSQL/OpenSSL TLS knowledge base tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the data files")
    check.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR))
    check.set_defaults(run=_check)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
