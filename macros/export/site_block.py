"""The "Embed / download" block next to each table on the site.

It carries no snippet: its links lead to the files `export --all` publishes (exactly what
`python -m macros export TABLE --format F` prints), and its copy buttons fetch them at click time
(docs/javascripts/tlskb-embed.js), for the variant the reader picks (export/variants.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros.export import embed_page, json_api
from macros.export.context import ExportContext
from macros.export.formats import SNIPPETS
from macros.export.published import csv_path
from macros.export.siteconfig import normalize_url
from macros.export.variants import (
    CSV_FILE,
    JSON_FILE,
    PLACEHOLDER_ROOT,
    file_path,
    files_dir,
    snippet_file,
)
from macros.export.version import DataVersion, data_sha256
from macros.load.i18n import t
from macros.model.dataset import Dataset
from macros.render.html import Linker
from macros.render.tables import Table, as_of

HELP_PAGE = "api/"  # docs/api.md
RICH_FORMAT, PLAIN_FORMAT = "html", "markdown"  # what "copy as table" puts on the clipboard


@dataclass(frozen=True)
class Snippet:
    format: str
    label: str
    file: str  # its name inside a variant's folder
    href: str  # the whole table's file, from this page


@dataclass(frozen=True)
class EmbedBlock:
    table_id: str
    root: str  # the site root, from this page: the copy buttons make absolute links from it
    files: str  # downloads/<table>/, from this page
    csv: str
    json: str
    embed: str
    help: str  # the page about the API and the export command
    snippets: tuple[Snippet, ...]
    placeholder: str = PLACEHOLDER_ROOT
    csv_file: str = CSV_FILE
    json_file: str = JSON_FILE
    html_file: str = snippet_file(RICH_FORMAT)
    text_file: str = snippet_file(PLAIN_FORMAT)


def site_context(data: Dataset, data_dir: Path, config) -> ExportContext:
    """The context `export` uses by default, from the engine's resolved config (site_name, site_url)."""
    url = normalize_url(config.get("site_url"), "site_url")
    version = DataVersion(as_of(data), data_sha256(data_dir))
    return ExportContext(str(config.get("site_name") or ""), version, root=url or "")


def embed_block(table: Table, context: ExportContext, link: Linker) -> EmbedBlock:
    snippets = tuple(Snippet(name, t(f"export.formats.{name}"), snippet_file(name),
                             link(file_path(table.id, "all", snippet_file(name))))
                     for name in SNIPPETS)
    return EmbedBlock(table.id, context.root or link("./"), link(files_dir(table.id)), link(csv_path(table.id)),
                      link(f"{json_api.API_DIR}tables/{table.id}.json"), link(embed_page.path(table.id)),
                      link(HELP_PAGE), snippets)
