"""The list of every table's files on the API page (docs/api.md): page, JSON, CSV, embed page.

Markdown links to paths relative to docs/, which MkDocs checks (strict) and turns into URLs.
"""

from __future__ import annotations

from pathlib import Path

from macros.export import embed_page, json_api
from macros.export.context import TABLE_PAGES
from macros.export.markdown import escape
from macros.export.published import csv_path
from macros.export.variants import files_dir
from macros.load.i18n import t
from macros.render.tables import TABLE_IDS


def source_of(site_path: str, docs_dir: Path) -> str:
    """The docs/ file that MkDocs serves at a site path: openssl/ -> openssl/index.md or openssl.md."""
    folder = site_path.rstrip("/")
    return f"{folder}/index.md" if (Path(docs_dir) / folder / "index.md").is_file() else f"{folder}.md"


def files_table(docs_dir: Path) -> str:
    heads = [t("export.table"), t("export.page"), t("export.json"), t("export.csv"), t("export.embed_page"),
             t("export.variants")]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for table_id in TABLE_IDS:
        page, anchor = TABLE_PAGES[table_id].split("#")
        json_file = f"{json_api.API_DIR}tables/{table_id}.json"
        cells = [escape(t(f"tables.{table_id}")),
                 f"[{escape(page or '/')}]({source_of(page, docs_dir)}#{anchor})",
                 f"[{table_id}.json]({json_file})", f"[{table_id}.csv]({csv_path(table_id)})",
                 f"[{embed_page.path(table_id)}]({embed_page.path(table_id)}index.html)",
                 f"`{files_dir(table_id)}`"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
