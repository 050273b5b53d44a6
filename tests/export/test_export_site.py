"""The site publishes exactly what the export command produces: the files beside the pages, and the
snippets in each table's "Embed / download" block."""

from __future__ import annotations

import posixpath
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SHARED_SITE_GROUP
from sandbox import run_limited

from macros.export.context import TABLE_PAGES
from macros.export.formats import SNIPPETS
from macros.export.options import AXES
from macros.export.published import GENERATED_FOLDERS
from macros.render.tables import TABLE_IDS

pytestmark = pytest.mark.xdist_group(SHARED_SITE_GROUP)


def page_of(markdown_path: Path) -> str:
    """The site path MkDocs gives a page (use_directory_urls)."""
    relative = markdown_path.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return "" if relative == "index" else (relative[:-len("index")] if relative.endswith("/index") else relative + "/")


def test_table_pages_match_the_docs():
    found = {}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        for table_id in re.findall(r"""tlskb_table\(["']([a-z-]+)["']\)""", path.read_text(encoding="utf-8")):
            found[table_id] = f"{page_of(path)}#{table_id}"
    assert found == TABLE_PAGES


def test_every_table_is_known_everywhere():
    assert set(TABLE_IDS) == set(TABLE_PAGES) == set(AXES)


class SnippetReader(HTMLParser):
    """The text of each <code data-tlskb-format=...> in a page, by table and format."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.snippets: dict[tuple[str, str], str] = {}
        self.links: list[str] = []
        self.current: tuple[str, str] | None = None
        self.table = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "tlskb-table" in (attrs.get("class") or ""):
            self.table = attrs["id"]
        if tag == "code" and "data-tlskb-format" in attrs:
            self.current = (self.table, attrs["data-tlskb-format"])
            self.snippets[self.current] = ""
        if tag == "a" and self.table and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "code":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.snippets[self.current] += data


@pytest.fixture
def built(shared_site):
    """The session's one `make site` in a project copy (export --all, then the MkDocs build); read only."""
    return shared_site


def export_command(project: Path, *args: str) -> str:
    result = run_limited([sys.executable, "-m", "macros", "export", *args], project, code_dir=project)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def export_in_process(built, monkeypatch, capsysbinary):
    """The export command's own code (macros.cli.main), with the data read once for all calls."""
    from macros.check.runner import load_dataset
    from macros.cli import main
    from macros.export import command
    data = load_dataset(built / "data")
    monkeypatch.setattr(command, "load_dataset", lambda path: data)

    def run(*args: str) -> str:
        code = main(["export", *args, "--data-dir", str(built / "data"), "--config", str(built / "mkdocs.yml")])
        out, err = capsysbinary.readouterr()
        assert code == 0, err
        return out.decode("utf-8")
    return run


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_published_files_equal_a_fresh_export(built, tmp_path):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    export_command(built, "--all", "--docs-dir", str(fresh))
    for folder in GENERATED_FOLDERS:
        published, exported = files_under(built / "site" / folder), files_under(fresh / folder)
        assert exported, f"the export wrote nothing into {folder}/"
        # Beside the exported files, only the page MkDocs builds from docs/<folder>.md (docs/api.md).
        pages = {"index.html"} if (built / "docs" / f"{folder}.md").exists() else set()
        assert published.keys() - exported.keys() == pages, folder
        different = [name for name in exported if published.get(name) != exported[name]]
        assert not different, f"site/{folder} differs from the export: {different[:5]}"


@pytest.mark.build
def test_page_snippets_equal_the_export_command(built, export_in_process):
    for table_id, page in TABLE_PAGES.items():
        reader = SnippetReader()
        reader.feed((built / "site" / page.split("#")[0] / "index.html").read_text(encoding="utf-8"))
        for format_name in SNIPPETS:
            shown = reader.snippets.get((table_id, format_name))
            assert shown is not None, f"{page}: no {format_name} snippet for {table_id}"
            assert shown == export_in_process(table_id, "--format", format_name), (table_id, format_name)
    # And once through a real process, as a reader would run it.
    assert reader.snippets[(table_id, "markdown")] == export_command(built, table_id, "--format", "markdown")


@pytest.mark.build
def test_block_links_lead_to_published_files(built):
    site = built / "site"
    for table_id, page in TABLE_PAGES.items():
        page_dir = page.split("#")[0]
        reader = SnippetReader()
        reader.feed((site / page_dir / "index.html").read_text(encoding="utf-8"))
        targets = {posixpath.normpath(posixpath.join(page_dir, link)) for link in reader.links
                   if not link.startswith(("http", "#")) and "://" not in link}
        for expected in (f"downloads/{table_id}.csv", f"api/v1/tables/{table_id}.json", f"embed/{table_id}"):
            assert expected in targets, f"{page}: no link to {expected}"
            assert (site / expected).exists()
