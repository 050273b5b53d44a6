"""The "Embed / download" block under each table on the site.

It shows exactly what `python -m macros export TABLE --format F` prints (same functions, same
context), and links to the files `export --all` publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from macros.export import embed_page, json_api
from macros.export.context import ExportContext
from macros.export.formats import SNIPPETS
from macros.export.published import csv_path
from macros.export.siteconfig import normalize_url
from macros.export.version import DataVersion, data_sha256
from macros.load.i18n import t
from macros.model.dataset import Dataset
from macros.render.html import Linker
from macros.render.tables import Table, as_of

HELP_PAGE = "api/"  # docs/api.md


@dataclass(frozen=True)
class Snippet:
    format: str
    label: str
    code: Markup  # escaped, newlines as &#10; (see below)


@dataclass(frozen=True)
class EmbedBlock:
    table_id: str
    csv: str
    json: str
    embed: str
    help: str  # the page about the API and the export command
    snippets: tuple[Snippet, ...]


def site_context(data: Dataset, data_dir: Path, config) -> ExportContext:
    """The context `export` uses by default, from the engine's resolved config (site_name, site_url)."""
    url = normalize_url(config.get("site_url"), "site_url")
    version = DataVersion(as_of(data), data_sha256(data_dir))
    return ExportContext(str(config.get("site_name") or ""), version, root=url or "")


def _code(text: str) -> Markup:
    # The table's HTML is one Markdown raw block, which a blank line would end; newlines inside
    # <pre> written as character references keep the snippet on one source line.
    return Markup(str(escape(text)).replace("\n", "&#10;"))


def embed_block(table: Table, context: ExportContext, link: Linker) -> EmbedBlock:
    context = context.for_table(table.id)
    snippets = tuple(Snippet(name, t(f"export.formats.{name}"), _code(render(table, context)))
                     for name, render in SNIPPETS.items())
    return EmbedBlock(table.id, link(csv_path(table.id)), link(f"{json_api.API_DIR}tables/{table.id}.json"),
                      link(embed_page.path(table.id)), link(HELP_PAGE), snippets)
