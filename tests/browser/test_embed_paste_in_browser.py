"""A snippet copied from the site and pasted elsewhere shows the table with its attribution.

The site is built without a site URL (browsing.py), as a local build or a file share is: the copy
buttons must make every link absolute from the page's own address. The snippet is then pasted into
a blank page of another origin (a second local server on another port), as a wiki would show it.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from browsing import BROWSER_GROUP, browser, built_site, other_origin, site_url  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, BROWSER_GROUP]

TABLE = "postgresql-protocols"
PAGE = "postgresql/"
BLOCK = f'details[data-tlskb-embed="{TABLE}"]'
PLACEHOLDER = "tlskb.invalid"
# The version in each row's header cell: the same rows, whatever the cells look like.
ROW_VERSIONS = "table => [...table.tBodies[0].rows].map(row => row.cells[0].querySelector('a').textContent)"
ATTRIBUTION = """root => {
    const line = [...root.querySelectorAll('p')].find(p => p.textContent.startsWith('Source:'));
    const link = line && line.querySelector('a');
    return line ? {text: line.textContent, href: link && link.href, name: link && link.textContent} : null;
}"""
HTML_ON_CLIPBOARD = """async () => {
    for (const item of await navigator.clipboard.read({unsanitized: ['text/html']})) {
        if (item.types.includes('text/html')) { return await (await item.getType('text/html')).text(); }
    }
    return null;
}"""


@pytest.fixture
def clipboard_page(browser, site_url):
    """The page with the table, in a context that may read and write the clipboard."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + PAGE, wait_until="load")
    page.locator(f"{BLOCK} summary").click()
    yield page
    context.close()


@pytest.fixture(scope="module")
def meta(built_site) -> dict:
    return json.loads((built_site / "api/v1/index.json").read_text(encoding="utf-8"))["meta"]


def click_and_wait_for_copied(page, button: str) -> None:
    page.locator(f"{BLOCK} {button}").click()
    status = page.locator(f"{BLOCK} .tlskb-embed-status")
    status.filter(has_text=re.compile(r"\S")).wait_for()
    assert status.text_content() == "Copied.", status.text_content()


def site_rows(page) -> list[str]:
    return page.locator(f"#{TABLE} table").first.evaluate(ROW_VERSIONS)


def paste_page(other_origin, body: str) -> str:
    """A blank page on the other origin with `body` pasted into it, as a wiki page would be."""
    folder, url = other_origin
    (folder / "pasted.html").write_text(f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                        f"<title>Pasted</title></head><body>\n{body}\n</body></html>\n",
                                        encoding="utf-8")
    return url + "pasted.html"


def assert_attribution(attribution: dict | None, site_url: str, meta: dict) -> None:
    assert attribution, "no 'Source:' line under the table"
    assert attribution["href"] == f"{site_url}{PAGE}#{TABLE}"
    assert attribution["name"].startswith(meta["site"] + ": ")
    assert f"data version {meta['data_version']}" in attribution["text"]
    assert meta["as_of"] in attribution["text"]


def test_a_pasted_iframe_snippet_shows_the_table_and_its_attribution_on_another_origin(
        clipboard_page, site_url, other_origin, meta):
    expected_rows = site_rows(clipboard_page)
    click_and_wait_for_copied(clipboard_page, 'button[data-tlskb-copy="iframe.txt"]')
    snippet = clipboard_page.evaluate("() => navigator.clipboard.readText()")
    assert PLACEHOLDER not in snippet
    src = re.search(r'<iframe src="([^"]+)"', snippet).group(1)
    # Absolute, and computed from the address the page was opened at (no site URL in the build).
    assert src == urljoin(site_url + PAGE, f"../embed/{TABLE}/") == f"{site_url}embed/{TABLE}/"

    pasted_url = paste_page(other_origin, snippet)
    assert pasted_url.split("/")[2] != site_url.split("/")[2]  # another origin: another port
    page = clipboard_page.context.new_page()
    page.goto(pasted_url, wait_until="load")
    frame = page.frame_locator("iframe")
    table = frame.locator("table").first
    table.wait_for()
    assert table.evaluate(ROW_VERSIONS) == expected_rows and expected_rows
    assert_attribution(frame.locator("body").evaluate(ATTRIBUTION), site_url, meta)
    assert page.locator("iframe").is_visible()


def test_copy_as_table_pastes_a_real_table_with_its_attribution(clipboard_page, site_url, other_origin, meta):
    expected_rows = site_rows(clipboard_page)
    click_and_wait_for_copied(clipboard_page, "button[data-tlskb-copy-table]")
    html = clipboard_page.evaluate(HTML_ON_CLIPBOARD)
    # The HTML as another application would get it (unsanitized): the placeholder replaced, the
    # link absolute. (Chromium itself resolves relative links when it writes HTML to the clipboard,
    # so here only a placeholder left in place would show; the iframe snippet is plain text.)
    assert html and PLACEHOLDER not in html
    assert f'href="{site_url}{PAGE}#{TABLE}"' in html, html[-600:]
    plain = clipboard_page.evaluate("() => navigator.clipboard.readText()")
    assert plain.lstrip().startswith("|") or "\n|" in plain, plain[:200]  # the Markdown, for plain editors

    page = clipboard_page.context.new_page()
    page.goto(paste_page(other_origin, '<div id="editor" contenteditable="true"></div>'), wait_until="load")
    # A real paste (the browser's own clipboard into an editable box), not an innerHTML assignment.
    page.locator("#editor").click()
    page.keyboard.press("Control+V")
    editor = page.locator("#editor")
    editor.locator("table").first.wait_for()
    assert editor.locator("table").first.evaluate(ROW_VERSIONS) == expected_rows and expected_rows
    assert_attribution(editor.evaluate(ATTRIBUTION), site_url, meta)
