"""Where an export's links point, and what its attribution says."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from macros.export.version import DataVersion

# The page that shows each table, as a site path (use_directory_urls) with the table's anchor.
# tests/test_export_site.py checks these against the tlskb_table() calls in docs/.
TABLE_PAGES = {
    "openssl-protocols": "openssl/#openssl-protocols",
    "postgresql-protocols": "postgresql/#postgresql-protocols",
    "postgresql-openssl-build": "build-support/#postgresql-openssl-build",
    "server-settings": "settings/#server-settings",
    "libpq-parameters": "settings/#libpq-parameters",
    "hba-options": "settings/#hba-options",
}


@dataclass(frozen=True)
class ExportContext:
    site_name: str
    data_version: DataVersion
    # Prefix that turns a site path ("openssl/3.0/") into a link: the site_url for absolute
    # links, "" for links relative to the site root, "../../" from an embed page.
    root: str = ""
    page: str = ""  # site path of the table's page, for the attribution link
    variant: str = "all"  # which pre-exported embed page an iframe snippet shows (export/variants.py)

    def url(self, path: str) -> str:
        """Where a site path lives: absolute with a site_url, else relative (to the site root)."""
        return self.root + path

    def link(self, path: str | None) -> str | None:
        """A link for a snippet, or None: outside the site a root-relative link leads nowhere."""
        return self.root + path if self.root and path is not None else None

    @property
    def page_url(self) -> str:
        return self.url(self.page)

    def for_table(self, table_id: str, variant: str = "all") -> "ExportContext":
        return dataclasses.replace(self, page=TABLE_PAGES.get(table_id, ""), variant=variant)

    def with_root(self, root: str) -> "ExportContext":
        return dataclasses.replace(self, root=root)
