"""Every export format by name: a pure function (Table, ExportContext) -> str."""

from __future__ import annotations

from typing import Callable

from macros.export import (
    asciidoc,
    confluence,
    confluence_wiki,
    csv_file,
    embed_page,
    html_fragment,
    json_api,
    markdown,
    mediawiki,
)
from macros.export.context import ExportContext
from macros.render.tables import Table

Renderer = Callable[[Table, ExportContext], str]

# Paste-ready snippets, in the order the site's tabs show them.
SNIPPETS: dict[str, Renderer] = {
    "markdown": markdown.render,
    "html": html_fragment.render,
    "confluence": confluence.render,
    "confluence-wiki": confluence_wiki.render,
    "mediawiki": mediawiki.render,
    "asciidoc": asciidoc.render,
    "iframe": embed_page.render_iframe,
}
# Files: a download, a JSON document, a standalone page for an iframe.
FILES: dict[str, Renderer] = {
    "csv": csv_file.render,
    "json": json_api.render,
    "embed": embed_page.render,
}
FORMATS: dict[str, Renderer] = SNIPPETS | FILES
