"""The pre-exported variants behind each Embed / download block, and where their links point."""

from __future__ import annotations

import os

import pytest
from conftest import DATA_DIR, ROOT

from macros.export.context import ExportContext
from macros.export.options import Options
from macros.export.published import variant_files
from macros.export.variants import PLACEHOLDER_ROOT, VARIANTS, file_path, snippet_file, variant_of
from macros.export.version import DataVersion, data_sha256
from macros.render.tables import as_of


@pytest.fixture(scope="module")
def version(dataset):
    return DataVersion(as_of(dataset), data_sha256(DATA_DIR))


def test_variant_of_names_only_the_published_combinations():
    assert {variant_of(options) for options in VARIANTS.values()} == set(VARIANTS)
    assert variant_of(Options(postgresql=("16",))) is None
    assert variant_of(Options(sources=False)) is None


def test_without_a_site_url_snippets_link_to_the_placeholder(dataset, version):
    files = variant_files(dataset, "openssl-protocols", "supported", ExportContext("KB", version))
    iframe = files[file_path("openssl-protocols", "supported", snippet_file("iframe"))]
    assert f'src="{PLACEHOLDER_ROOT}embed/openssl-protocols/supported/"' in iframe
    markdown = files[file_path("openssl-protocols", "supported", snippet_file("markdown"))]
    assert f"({PLACEHOLDER_ROOT}openssl/#openssl-protocols)" in markdown  # the attribution links back
    # The embed page links relatively from its own folder, three levels below the root.
    page = files["embed/openssl-protocols/supported/index.html"]
    assert PLACEHOLDER_ROOT not in page
    assert 'href="../../../openssl/3.5/"' in page


def test_with_a_site_url_every_link_is_absolute(dataset, version):
    context = ExportContext("KB", version, root="https://tls.example.org/kb/")
    files = variant_files(dataset, "postgresql-protocols", "all", context)
    assert not any(PLACEHOLDER_ROOT in text for text in files.values())
    iframe = files[file_path("postgresql-protocols", "all", snippet_file("iframe"))]
    assert 'src="https://tls.example.org/kb/embed/postgresql-protocols/"' in iframe
    for name in ("markdown", "html", "confluence", "confluence-wiki", "mediawiki", "asciidoc"):
        text = files[file_path("postgresql-protocols", "all", snippet_file(name))]
        assert "https://tls.example.org/kb/postgresql/#postgresql-protocols" in text, name  # attribution


def test_supported_only_leaves_out_end_of_life_rows(dataset, version):
    files = variant_files(dataset, "postgresql-protocols", "supported", ExportContext("KB", version))
    markdown = files[file_path("postgresql-protocols", "supported", snippet_file("markdown"))]
    assert "end of life" not in markdown and "9.4" not in markdown.split("**Notes")[0]


def test_the_site_settings_come_from_the_environment(monkeypatch):
    """mkdocs.yml's site_url and extra.data_repo_url, as MkDocs itself resolves them (!ENV)."""
    from mkdocs.config import load_config
    monkeypatch.setenv("TLSKB_SITE_URL", "https://tls.example.org/kb")
    monkeypatch.setenv("TLSKB_DATA_REPO_URL", "https://github.com/example/fork")
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config["site_url"] == "https://tls.example.org/kb/"
    assert config["extra"]["data_repo_url"] == "https://github.com/example/fork"
    for name in ("TLSKB_SITE_URL", "TLSKB_DATA_REPO_URL"):
        monkeypatch.delenv(name)
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert not config["site_url"] and config["extra"]["data_repo_url"] == ""
    assert os.environ.get("TLSKB_SITE_URL") is None


def test_the_api_page_lists_every_table_with_its_files():
    from macros.export.api_page import files_table
    from macros.render.tables import TABLE_IDS
    text = files_table(ROOT / "docs")
    rows = [line for line in text.splitlines()[2:] if line.startswith("| ")]
    assert len(rows) == len(TABLE_IDS)
    for table_id, row in zip(TABLE_IDS, rows):
        for link in (f"(api/v1/tables/{table_id}.json)", f"(downloads/{table_id}.csv)",
                     f"(embed/{table_id}/index.html)", f"`downloads/{table_id}/`"):
            assert link in row, (table_id, link)
    assert "(openssl/index.md#openssl-protocols)" in text and "(settings.md#hba-options)" in text
