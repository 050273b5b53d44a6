"""Zensical as shipped builds the site a reader cannot tell from MkDocs': same pages, and on each the
same title, headings (with their ids), table cells and visible text of the content.

Both sites come from one export: the session's shared `make site` (tests/conftest.py) is the MkDocs
side, and a copy of that same project, built bare by Zensical, is the other. Only the content is
compared (tests/page_content.py): navigation, header, footer and search are each engine's chrome.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_content import first_difference, html_pages, page_content
from sandbox import bare_zensical_build, copy_project

pytestmark = [pytest.mark.build]

ENGINES = ("mkdocs", "zensical")
SHOWN_DIFFERENCES = 5  # pages whose diff a failure prints; the count names the rest


@pytest.fixture(scope="module")
def zensical_project(shared_site, tmp_path_factory) -> Path:
    """The shared build's sources and export, copied and built by a bare `zensical build`, once."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project", origin=shared_site)
    build = bare_zensical_build(project)
    assert build.returncode == 0, build.stderr[-2000:]
    return project


def site_page(markdown: Path) -> str:
    """The HTML file both engines write for a page of docs/ (use_directory_urls)."""
    folder = markdown.parent if markdown.stem == "index" else markdown.with_suffix("")
    return (folder / "index.html").as_posix()


def markdown_pages(project: Path) -> list[str]:
    docs = project / "docs"
    return sorted(site_page(p.relative_to(docs)) for p in docs.rglob("*.md"))


def page_difference(page: str, mkdocs_html: str, zensical_html: str, from_markdown: bool = True) -> str:
    """The first differing lines of one page's content ("" when a reader sees the same)."""
    mkdocs, zensical = page_content(mkdocs_html), page_content(zensical_html)
    if not (from_markdown or mkdocs.found or zensical.found):
        # A static HTML file (the embed pages of docs/embed): each engine copies it as it is.
        return "" if mkdocs_html == zensical_html else f"{page}: the engines' copies of this static file differ"
    if not (mkdocs.found and zensical.found):
        found = dict(zip(ENGINES, (mkdocs.found, zensical.found)))
        return f"{page}: no <article class=\"md-content__inner\"> to compare ({found})"
    return first_difference(page, mkdocs.lines(), zensical.lines(), ENGINES)


def test_the_site_builds_with_zensical_as_shipped(zensical_project, dataset):
    """The good case, bare as a user runs it: every page of docs/ is built, with its facts in it."""
    site = zensical_project / "site"
    missing = [page for page in markdown_pages(zensical_project) if not (site / page).exists()]
    assert markdown_pages(zensical_project) and not missing, missing
    latest = dataset.pg("16").latest.version
    assert latest in (site / "postgresql" / "16" / "index.html").read_text(encoding="utf-8")


def test_every_page_reads_the_same_with_mkdocs_and_zensical(shared_site, zensical_project):
    mkdocs_site, zensical_site = shared_site / "site", zensical_project / "site"
    pages = html_pages(mkdocs_site)
    assert pages == html_pages(zensical_site), "the engines wrote different pages"
    from_markdown = set(markdown_pages(shared_site))
    assert from_markdown and from_markdown <= set(pages), from_markdown - set(pages)
    differences = [difference for page in pages if (difference := page_difference(
        page, (mkdocs_site / page).read_text(encoding="utf-8"), (zensical_site / page).read_text(encoding="utf-8"),
        page in from_markdown))]
    if differences:  # pytest.fail, not assert: the diff alone, not followed by its repr
        pytest.fail(f"{len(differences)} of {len(pages)} pages differ between MkDocs (-) and Zensical (+):\n\n"
                    + "\n\n".join(differences[:SHOWN_DIFFERENCES]), pytrace=False)


def test_a_changed_word_on_one_page_is_reported_with_the_page_and_the_line(shared_site, zensical_project):
    """The comparison can fail: one word changed in Zensical's copy of a page names both."""
    page = "postgresql/16/index.html"
    mkdocs_html = (shared_site / "site" / page).read_text(encoding="utf-8")
    zensical_html = (zensical_project / "site" / page).read_text(encoding="utf-8")
    sentence = "Each side negotiates with its own OpenSSL, so check both."
    assert sentence in zensical_html
    changed = zensical_html.replace(sentence, sentence.replace("both", "one"), 1)

    assert page_difference(page, mkdocs_html, zensical_html) == ""
    difference = page_difference(page, mkdocs_html, changed)
    assert f"--- mkdocs: {page}" in difference and f"+++ zensical: {page}" in difference
    [removed] = [line for line in difference.splitlines() if line.startswith("-text: ")]
    [added] = [line for line in difference.splitlines() if line.startswith("+text: ")]
    assert "so check both." in removed and "so check one." in added
