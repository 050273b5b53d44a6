"""The four versions of each table that the site pre-exports, so a page only has to pick a file.

Each table's "Embed / download" block offers two options (without notes, supported versions
only); `export --all` writes every format for each of the four combinations under
downloads/<table>/<variant>/, and the block's copy buttons fetch the chosen file at click time
instead of carrying every format inline (issue 16: that was 80% of the table pages' Markdown).
"""

from __future__ import annotations

from macros.export.options import Options

VARIANTS: dict[str, Options] = {
    "all": Options(),
    "no-notes": Options(notes=False),
    "supported": Options(supported_only=True),
    "supported-no-notes": Options(supported_only=True, notes=False),
}
# Written for links in the snippet files when the site has no site_url: the copy button replaces
# it with the site's address as the reader's browser sees it. `.invalid` can never resolve (RFC 6761).
PLACEHOLDER_ROOT = "https://tlskb.invalid/"
CSV_FILE = "table.csv"
JSON_FILE = "table.json"


def variant_of(options: Options) -> str | None:
    """The published variant these options produce, or None (a subset only the CLI makes)."""
    return next((name for name, known in VARIANTS.items() if known == options), None)


def files_dir(table_id: str) -> str:
    return f"downloads/{table_id}/"


def file_path(table_id: str, variant: str, name: str) -> str:
    return f"{files_dir(table_id)}{variant}/{name}"


def snippet_file(format_name: str) -> str:
    """.txt: a browser shows the file as text, and MkDocs copies it instead of building a page."""
    return f"{format_name}.txt"
