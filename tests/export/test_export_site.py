"""The site publishes exactly what the export command produces: the files beside the pages, and the
snippets in each table's "Embed / download" block."""

from __future__ import annotations

import posixpath
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from sandbox import run_limited

from macros.export import embed_page
from macros.export.context import TABLE_PAGES
from macros.export.formats import SNIPPETS
from macros.export.options import AXES
from macros.export.published import GENERATED_FOLDERS
from macros.export.variants import CSV_FILE, JSON_FILE, PLACEHOLDER_ROOT, VARIANTS, file_path, snippet_file
from macros.render.tables import TABLE_IDS



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


class BlockReader(HTMLParser):
    """Each table's Embed / download block: its attributes, copy buttons and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, dict] = {}
        self.copies: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.table = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "tlskb-table" in (attrs.get("class") or ""):
            self.table = attrs["id"]
        if tag == "details" and "data-tlskb-embed" in attrs:
            self.blocks[attrs["data-tlskb-embed"]] = attrs
        if tag == "button" and "data-tlskb-copy" in attrs:
            self.copies.setdefault(self.table, []).append(attrs["data-tlskb-copy"])
        if tag == "a" and self.table and attrs.get("href"):
            self.links.append(attrs["href"])


def read_page(site: Path, page: str) -> BlockReader:
    reader = BlockReader()
    reader.feed((site / page.split("#")[0] / "index.html").read_text(encoding="utf-8"))
    return reader


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


VARIANT_FLAGS = {"all": (), "no-notes": ("--no-notes",), "supported": ("--supported-only",),
                 "supported-no-notes": ("--supported-only", "--no-notes")}


def test_variant_flags_match_the_variants():
    assert VARIANT_FLAGS.keys() == VARIANTS.keys()


@pytest.mark.build
def test_page_blocks_carry_no_snippet_and_copy_every_format(built):
    for table_id, page in TABLE_PAGES.items():
        reader = read_page(built / "site", page)
        assert reader.copies[table_id] == [snippet_file(name) for name in SNIPPETS], page
        assert "data-tlskb-format" not in (built / "site" / page.split("#")[0] / "index.html").read_text("utf-8")
        block = reader.blocks[table_id]
        assert block["data-tlskb-placeholder"] == PLACEHOLDER_ROOT


@pytest.mark.build
def test_copied_files_equal_the_export_command(built, export_in_process):
    """What a copy button fetches is what the export command prints with the same options. Without a
    site_url the files link to the placeholder root, which the button replaces with the site's address."""
    site = built / "site"
    for table_id in TABLE_PAGES:
        for variant, flags in VARIANT_FLAGS.items():
            for format_name in SNIPPETS:
                published = (site / file_path(table_id, variant, snippet_file(format_name))).read_text("utf-8")
                expected = export_in_process(table_id, "--format", format_name, "--base-url", PLACEHOLDER_ROOT,
                                             *flags)
                assert published == expected, (table_id, variant, format_name)
    # And once through a real process, as a reader would run it.
    assert published == export_command(built, table_id, "--format", format_name, "--base-url", PLACEHOLDER_ROOT,
                                       *flags)


@pytest.mark.build
def test_block_links_lead_to_published_files(built):
    site = built / "site"
    for table_id, page in TABLE_PAGES.items():
        page_dir = page.split("#")[0]
        reader = read_page(site, page)
        targets = {posixpath.normpath(posixpath.join(page_dir, link)) for link in reader.links
                   if not link.startswith(("http", "#")) and "://" not in link}
        for expected in (f"downloads/{table_id}.csv", f"api/v1/tables/{table_id}.json", f"embed/{table_id}"):
            assert expected in targets, f"{page}: no link to {expected}"
            assert (site / expected).exists()
        for variant in VARIANTS:  # what the options switch the links to
            for name in [snippet_file(f) for f in SNIPPETS] + [CSV_FILE, JSON_FILE]:
                assert (site / file_path(table_id, variant, name)).is_file(), (table_id, variant, name)
            assert (site / embed_page.path(table_id, variant) / "index.html").is_file()
