"""Site search in a real browser: a platform typed as people type it leads to that platform.

Material's search worker adds a trailing wildcard to every word, so "RHEL 9" also matches the
PostgreSQL 9.4-9.6 pages, and "Debian 12" the headings that hold 12.22. The "Your setup" page has
one section per platform release, titled with the name people type (macros/render/platform_defaults.py).
This test types the query into the theme's own search box, reads the ranking the theme shows,
and presses Enter as a reader would: the result opened must be that platform's section.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from browsing import (  # noqa: F401 - fixtures
    BROWSER_GROUP,
    axe_violations,
    browser,
    built_site,
    describe,
    open_page,
    serious_or_worse,
    site_url,
)

from macros.render.platform_defaults import heading_text, section_id

pytestmark = [pytest.mark.browser, BROWSER_GROUP]

# Query -> the platform release whose section must come first.
QUERIES = {"RHEL 9": "rhel-9", "RHEL 8": "rhel-8", "Debian 12": "debian-12", "Ubuntu 22.04": "ubuntu-22.04"}

# The first result (one page with its best sections): every link, with the score the theme gives it.
FIRST_RESULT = """() => [...document.querySelectorAll('.md-search-result__item:first-child a[href]')].map(a =>
    ({href: a.href, score: parseFloat(a.firstElementChild.dataset.mdScore)}))"""


def search(page, site_url: str, query: str) -> list[dict]:
    """Type the query into the header's search box once the search index is loaded; the first result's links."""
    # The theme replaces the result line's text when its worker has loaded the index; before that a
    # query is dropped. The served HTML holds the text it starts with.
    served = page.request.get(site_url).text()
    initial = re.search(r'class="md-search-result__meta">([^<]*)<', served)[1]
    page.wait_for_function("text => document.querySelector('.md-search-result__meta').textContent !== text",
                           arg=initial)
    # On a phone the box waits behind the header's search button; on a desktop that button is hidden.
    button = page.locator("label.md-header__button[for='__search']")
    if button.is_visible():
        button.click()
    box = page.locator("input.md-search__input")
    box.click()
    # The theme searches on each key released: filling all but the last character and then
    # typing it sends the whole query once, so the results shown are never those of a prefix.
    box.fill(query[:-1])
    box.press(query[-1])
    # Under load a search for the prefix can still be on its way: wait until the results shown
    # are the whole query's (each result link carries the words it highlights in ?h=).
    page.wait_for_function(RESULTS_FOR, arg=query)
    return page.evaluate(FIRST_RESULT)


# Whether the first result's link highlights every word of the query (the theme adds ?h=<query>).
RESULTS_FOR = """query => { const link = document.querySelector('.md-search-result__item a[href]');
    if (!link) return false;
    const highlighted = (new URL(link.href).searchParams.get('h') || '').toLowerCase().split(/\\s+/);
    return query.toLowerCase().split(/\\s+/).every(word => highlighted.includes(word)); }"""


def path_and_fragment(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parts.fragment


@pytest.mark.parametrize(("query", "release_id"), QUERIES.items())
def test_a_platform_typed_in_search_leads_to_its_section(open_page, site_url, dataset, query, release_id):
    release = dataset.release(release_id)
    assert query in heading_text(release)  # the heading holds the words people type
    page = open_page("")
    links = search(page, site_url, query)
    best = max(links, key=lambda link: link["score"])
    expected = ("/setup/", section_id(release))
    assert path_and_fragment(best["href"]) == expected, f"{query!r}: first result {links}"
    page.locator("input.md-search__input").press("Enter")  # the theme opens the best link of the first result
    page.wait_for_url(re.compile(re.escape(section_id(release)) + "$"))
    assert path_and_fragment(page.url) == expected


# A query whose results hold highlighted matches in text and in code, and code blocks (<pre>) with
# lines longer than the dialog is wide: the theme's defaults fall below AA there (the result count
# at 4.41:1, the highlight at 4.25:1 on white and 3.9:1 on code) and let those blocks scroll
# sideways, a region no keyboard can reach (axe: scrollable-region-focusable).
DIALOG_QUERY = "ssl_min_protocol_version"

WHAT_THE_RESULTS_HOLD = """() => ({
    textMarks: document.querySelectorAll('.md-search-result article > mark, .md-search-result p > mark').length,
    codeMarks: document.querySelectorAll('.md-search-result code mark').length,
    codeBlocks: document.querySelectorAll('.md-search-result pre > code').length})"""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_search_dialog_with_results_has_no_serious_accessibility_violations(open_page, site_url, viewport):
    page = open_page("", viewport)
    search(page, site_url, DIALOG_QUERY)
    # The dialog fades in: axe reads colours as they are drawn, so mid-fade text would be paler than
    # it ends, and text still at opacity 0 would not be checked at all.
    page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished))")
    held = page.evaluate(WHAT_THE_RESULTS_HOLD)
    assert all(held.values()), f"the results no longer show what this test is about: {held}"
    serious = serious_or_worse(axe_violations(page, within=".md-search"))
    assert not serious, f"search dialog with {DIALOG_QUERY!r} at {viewport}:\n{describe(serious)}"
