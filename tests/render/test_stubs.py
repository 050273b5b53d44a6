"""Version pages: one stub per data file, each in the nav, in version order."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import DATA_DIR, ROOT

from macros.core.versions import openssl_key, pg_major_key
from macros.export.siteconfig import read_config

DOCS = ROOT / "docs"
PRODUCTS = {
    # folder: (sort key, macro the stub calls, page title prefix)
    "postgresql": (pg_major_key, "tlskb_postgresql_page", "PostgreSQL"),
    "openssl": (openssl_key, "tlskb_openssl_page", "OpenSSL"),
}


def data_versions(folder: str) -> set[str]:
    return {p.stem for p in (DATA_DIR / folder).glob("*.yaml")}


def stub_versions(folder: str) -> set[str]:
    return {p.stem for p in (DOCS / folder).glob("*.md") if p.name != "index.md"}


def nav_entries(folder: str) -> list[tuple[str, str]]:
    """(label, path) of every nav entry pointing at docs/<folder>/<version>.md, in nav order."""
    config = read_config(ROOT / "mkdocs.yml")
    found = []

    def walk(node, label=None):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, key)
        elif isinstance(node, str) and re.fullmatch(rf"{folder}/[^/]+\.md", node) and not node.endswith("index.md"):
            found.append((label, node))
    walk(config["nav"])
    return found


@pytest.mark.parametrize("folder", PRODUCTS)
def test_one_stub_per_data_file(folder):
    assert data_versions(folder), f"no data in data/{folder}"
    assert stub_versions(folder) == data_versions(folder)


@pytest.mark.parametrize("folder", PRODUCTS)
def test_every_stub_is_in_the_nav_in_version_order(folder):
    key, _, _ = PRODUCTS[folder]
    entries = nav_entries(folder)
    versions = [path.removeprefix(f"{folder}/").removesuffix(".md") for _, path in entries]
    assert len(versions) == len(set(versions)), "a version page is listed twice"
    assert set(versions) == stub_versions(folder)
    assert versions == sorted(versions, key=key), "keep the nav in version order"
    assert [label for label, _ in entries] == versions, "nav labels are the version numbers"


@pytest.mark.parametrize("folder", PRODUCTS)
def test_each_stub_renders_its_own_version(folder):
    _, macro, title = PRODUCTS[folder]
    for version in stub_versions(folder):
        text = (DOCS / folder / f"{version}.md").read_text(encoding="utf-8")
        front, body = re.fullmatch(r"---\n(.*?)\n---\n(.*)", text, re.S).groups()
        meta = yaml.safe_load(front)
        assert meta["render_macros"] is True, version
        assert meta["title"] == f"{title} {version}", version
        assert body.strip() == f'{{{{ {macro}("{version}") }}}}', version
