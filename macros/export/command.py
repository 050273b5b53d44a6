"""python -m macros export: the site's tables as files, exactly as the site offers them.

    python -m macros export --list
    python -m macros export TABLE --format FORMAT [--postgresql 16,17] [--openssl 3.0]
                            [--supported-only] [--no-notes] [--no-sources] [--base-url URL] [-o FILE]
    python -m macros export --all [--docs-dir docs]     (what `make site` publishes)
"""

from __future__ import annotations

import sys
from pathlib import Path

from macros.check.runner import load_dataset
from macros.core.files import atomic_write
from macros.core.problems import DataError
from macros.export.context import ExportContext
from macros.export.errors import ExportError
from macros.export.formats import FORMATS
from macros.export.options import Options, export_table, validate
from macros.export.published import published_files, write_tree
from macros.export.siteconfig import normalize_url, read_site_config
from macros.export.variants import variant_of
from macros.export.version import DataVersion, data_sha256
from macros.load.i18n import t
from macros.render.tables import TABLE_IDS, as_of


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "export", help="write a table as JSON, CSV, an embed page or a snippet to paste",
        description="Write a table as the site offers it: JSON, CSV, an embed page, or Markdown, HTML, "
                    "Confluence, MediaWiki or AsciiDoc to paste into a wiki.")
    parser.add_argument("table", nargs="?", help="a table id (see --list)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="list the tables and formats")
    mode.add_argument("--all", action="store_true",
                      help="write every file the site publishes into DOCS_DIR/{api,downloads,embed}")
    parser.add_argument("--format", choices=list(FORMATS), help="output format")
    parser.add_argument("--postgresql", metavar="MAJORS", type=_versions, default=(),
                        help="only these PostgreSQL majors, comma-separated (e.g. 16,17)")
    parser.add_argument("--openssl", metavar="SERIES", type=_versions, default=(),
                        help="only these OpenSSL series, comma-separated (e.g. 3.0,3.5)")
    parser.add_argument("--supported-only", action="store_true",
                        help="leave out versions past their end of life as of the data date")
    parser.add_argument("--no-notes", action="store_true", help="leave out the numbered notes and sources")
    parser.add_argument("--no-sources", action="store_true", help="keep the notes, leave out their sources")
    parser.add_argument("--base-url", help="absolute URL of the site for links back to it "
                                           "(default: site_url in the config; none: relative links)")
    parser.add_argument("--data-dir", default="data", help="data folder (default: data)")
    parser.add_argument("--config", default="mkdocs.yml", help="site configuration (default: mkdocs.yml)")
    parser.add_argument("--docs-dir", default="docs", help="with --all: where to write (default: docs)")
    parser.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")
    parser.set_defaults(run=run)


def _versions(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def run(args) -> int:
    try:
        if args.list:
            return _list()
        if not args.all and (args.table is None or args.format is None):
            raise ExportError("name a TABLE and a --format (or use --list or --all)")
        if args.all and (args.table or args.format or args.output):
            raise ExportError("--all writes every table in every published format into --docs-dir; "
                              "leave out TABLE, --format and -o")
        options = Options(postgresql=args.postgresql, openssl=args.openssl,
                          supported_only=args.supported_only, notes=not args.no_notes,
                          sources=not args.no_sources)
        if not args.all:
            validate(args.table, options)  # before the data is read: fail fast
        site = read_site_config(Path(args.config))
        url = normalize_url(args.base_url, "--base-url") if args.base_url is not None else site.url
        data = load_dataset(Path(args.data_dir))
        context = ExportContext(site.name, DataVersion(as_of(data), data_sha256(Path(args.data_dir))), root=url or "")
        if args.all:
            write_tree(Path(args.docs_dir), published_files(data, context, Path(args.data_dir)))
            print(f"exports written to {args.docs_dir}/{{api,downloads,embed}}", file=sys.stderr)
            return 0
        table_context = context.for_table(args.table, variant_of(options) or "all")  # iframe: its embed page
        text = FORMATS[args.format](export_table(data, args.table, options), table_context)
        _emit(text, args.output)
        return 0
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"export: the data has {len(error.problems)} error(s); nothing written", file=sys.stderr)
        return 1
    except ExportError as error:
        print(f"export: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"export: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return 1


def _emit(text: str, output: str | None) -> None:
    if output:
        atomic_write(Path(output), text)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))  # bytes: CSV keeps its CRLF exactly
        sys.stdout.buffer.flush()


def _list() -> int:
    width = max(len(table_id) for table_id in TABLE_IDS)
    print("tables:")
    for table_id in TABLE_IDS:
        print(f"  {table_id:<{width}}  {t(f'tables.{table_id}')}")
    print("formats: " + " ".join(FORMATS))
    return 0
