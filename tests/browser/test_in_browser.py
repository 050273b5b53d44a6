"""The built site in a real browser (chromium): accessibility (axe-core) and the tables' layout.

axe: no serious or critical violation on the pages a reader starts from, at a 1280 px desktop and
a 390 px phone. Moderate and minor findings are not failures here (axe reports some on the theme's
own markup), but every serious one is. Layout: the matrices fit their box at 1280 px or say that
they scroll; the scroll box is a labelled, focusable region; the header row stays in view.

One module on purpose: the session fixtures (one build, one server, one browser) are imported
here once (a second module importing them would start a second Playwright).
"""

from __future__ import annotations

import pytest

from macros.render.tables import ended
from browsing import (BROWSER_GROUP, VIEWPORTS, axe_violations, browser, built_site, describe,  # noqa: F401 - fixtures
                      open_page, serious_or_worse, site_url)

pytestmark = [pytest.mark.browser, BROWSER_GROUP]

PAGES = ["", "openssl/", "postgresql/", "settings/", "build-support/", "postgresql/17/", "api/",
         "embed/postgresql-protocols/"]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(open_page, path, viewport):
    page = open_page(path, viewport)
    serious = serious_or_worse(axe_violations(page))
    assert not serious, f"/{path} at {viewport}:\n{describe(serious)}"


# "Your setup" draws its answer after load (docs/javascripts/setup.js), so it is checked with one
# shown: a floor the defaults refuse, whose recipe and verify commands are longer than a line.
SETUP_ANSWER = "setup/?pg=15&platform=debian-12&min=TLSv1"

# Every box in the answer that scrolls (the theme makes a <pre>'s <code> the one that does).
SCROLLING_IN_ANSWER = """() => [...document.querySelectorAll('#tlskb-setup-answer *')]
    .filter(box => ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
                   && box.scrollWidth > box.clientWidth + 1)
    .map(box => ({tag: box.tagName, role: box.getAttribute('role'), tabindex: box.getAttribute('tabindex'),
                  label: box.getAttribute('aria-label') || '', text: box.textContent.slice(0, 40)}))"""


def open_setup_answer(opener, viewport: str):
    page = opener(SETUP_ANSWER, viewport)
    page.wait_for_selector("#tlskb-setup-answer [data-config='verify'] code")
    return page


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_no_serious_accessibility_violations_on_the_setup_answer(open_page, viewport):
    page = open_setup_answer(open_page, viewport)
    assert page.evaluate(SCROLLING_IN_ANSWER), "the answer has no box that scrolls: pick a setup with long lines"
    serious = serious_or_worse(axe_violations(page))
    assert not serious, f"/{SETUP_ANSWER} at {viewport}:\n{describe(serious)}"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_box_that_scrolls_in_the_setup_answer_is_a_labelled_focusable_region(open_page, viewport):
    boxes = open_setup_answer(open_page, viewport).evaluate(SCROLLING_IN_ANSWER)
    assert boxes
    for box in boxes:
        assert (box["role"], box["tabindex"]) == ("region", "0"), box
        assert box["label"].strip(), box
    assert len({box["label"] for box in boxes}) == len(boxes), boxes  # a region's name tells it apart


# --- layout ---

MATRIX_PAGES = ["openssl/", "postgresql/", "build-support/", "settings/"]

# Per scroll wrapper: how wide its table is, how wide its box, and what it tells a reader.
WRAPPERS = """() => [...document.querySelectorAll('.tlskb-scroll')].map(wrapper => {
    const hint = wrapper.parentElement.querySelector('.tlskb-scroll-hint');
    const hintBox = hint ? hint.getBoundingClientRect() : null;
    return {id: wrapper.parentElement.id, scrollWidth: wrapper.scrollWidth, width: wrapper.clientWidth,
            role: wrapper.getAttribute('role'), label: wrapper.getAttribute('aria-label') || '',
            tabindex: wrapper.getAttribute('tabindex'),
            hintVisible: !!hint && getComputedStyle(hint).display !== 'none' && hintBox.width > 0};
})"""


def overflows(wrapper: dict) -> bool:
    return wrapper["scrollWidth"] > wrapper["width"] + 1  # a sub-pixel rounding is not an overflow


@pytest.mark.parametrize("path", MATRIX_PAGES)
def test_every_table_wrapper_is_a_labelled_focusable_region(open_page, path):
    wrappers = open_page(path, "phone").evaluate(WRAPPERS)
    assert wrappers, f"/{path} has no table"
    for wrapper in wrappers:
        assert (wrapper["role"], wrapper["tabindex"]) == ("region", "0"), wrapper
        assert wrapper["label"].strip(), wrapper


@pytest.mark.parametrize("path", MATRIX_PAGES)
def test_matrices_fit_their_box_at_1280_px_or_say_they_scroll(open_page, path):
    for wrapper in open_page(path, "desktop").evaluate(WRAPPERS):
        assert not overflows(wrapper) or wrapper["hintVisible"], \
            f"/{path}: table {wrapper['id']} is {wrapper['scrollWidth']} px in a {wrapper['width']} px box, with no scroll hint"


@pytest.mark.parametrize("path", MATRIX_PAGES)
def test_a_table_that_scrolls_on_a_phone_shows_the_hint(open_page, path):
    for wrapper in open_page(path, "phone").evaluate(WRAPPERS):
        if overflows(wrapper):
            assert wrapper["hintVisible"], f"/{path}: table {wrapper['id']} scrolls with no visible hint"


# The box of one table: its width and the widths of what it holds, and which rows are shown.
BOX = """(id) => { const wrapper = document.querySelector('#' + id + ' .tlskb-scroll');
    const shown = el => getComputedStyle(el).display !== 'none';
    return {scrollWidth: wrapper.scrollWidth, width: wrapper.clientWidth,
            rows: [...wrapper.querySelectorAll('tbody tr')].filter(shown).map(tr => tr.querySelector('th a').textContent),
            columns: [...wrapper.querySelectorAll('thead th')].filter(shown).map(th => th.textContent)}; }"""


def test_current_postgresql_majors_fit_a_phone_without_sideways_scrolling(open_page, dataset):
    box = open_page("postgresql/", "phone").evaluate(BOX, "postgresql-protocols")
    current = [m.major for m in dataset.postgresql if not ended(m, dataset.as_of)]
    assert box["rows"] == current  # the end-of-life majors wait behind "show all"
    assert [c for c in box["columns"] if c.startswith("TLS")] == \
        ["TLS 1.0 (TLSv1)", "TLS 1.1 (TLSv1.1)", "TLS 1.2 (TLSv1.2)", "TLS 1.3 (TLSv1.3)"]
    assert box["scrollWidth"] <= box["width"], box


def test_a_version_pages_observed_outcomes_fit_at_1280_px_with_no_setting_broken_inside_a_word(open_page):
    """The summary of what real servers did (pages.py, observation_summary.html.j2): no sideways
    scrolling at 1280 px, and the settings column wide enough for its longest word unbroken."""
    box = open_page("postgresql/15/", "desktop").evaluate("""() => {
        const table = document.querySelector('table.tlskb-observed-summary');
        const cell = table.querySelector('tbody th[scope=row] code').parentElement;
        const words = [...table.querySelectorAll('tbody th[scope=row] code')].flatMap(c => c.textContent.split(' '));
        const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
        const probe = document.createElement('code');  // the longest word, on one line, in the same font
        probe.style.whiteSpace = 'nowrap';
        probe.textContent = longest;
        cell.appendChild(probe);
        const wordWidth = probe.getBoundingClientRect().width;
        probe.remove();
        const style = getComputedStyle(cell);
        return {scrollWidth: table.closest('.tlskb-scroll').scrollWidth, width: table.closest('.tlskb-scroll').clientWidth,
                builds: table.querySelectorAll('tbody th[scope=rowgroup] a').length, longest, wordWidth,
                cellWidth: cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)}; }""")
    assert box["builds"] >= 2 and box["longest"] == "ssl_min_protocol_version", box
    assert box["scrollWidth"] <= box["width"], box
    assert box["wordWidth"] <= box["cellWidth"] + 0.5, box


@pytest.mark.parametrize("table_id", ["server-settings", "libpq-parameters", "hba-options"])
def test_settings_tables_fit_at_1280_px(open_page, table_id):
    box = open_page("settings/", "desktop").evaluate(BOX.replace("th a", "th"), table_id)
    assert box["scrollWidth"] <= box["width"], box


def test_show_all_brings_back_what_a_phone_folds_without_javascript(browser, site_url):
    # SSL 2.0/3.0 and the two setting columns are folded on a phone, not lost: the checkbox is read
    # by CSS alone.
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "postgresql/", wait_until="load")
        before = page.evaluate(BOX, "postgresql-protocols")
        page.locator("label[for='postgresql-protocols-show-all']").click()
        after = page.evaluate(BOX, "postgresql-protocols")
    finally:
        context.close()
    folded = ["SSL 2.0", "SSL 3.0", "ssl_min_protocol_version", "ssl_max_protocol_version"]
    assert not set(folded) & set(before["columns"])
    assert set(folded) <= set(after["columns"]) and len(after["rows"]) > len(before["rows"])


# How many lines each "✓ observed" mark shown in a table takes (an inline element split by a line
# break has one box per line).
OBSERVED_MARK_LINES = """() => [...document.querySelectorAll('.tlskb-table .tlskb-observed')]
    .map(mark => mark.getClientRects().length).filter(lines => lines > 0)"""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", ["postgresql/", "openssl/"])
def test_the_observed_mark_never_breaks(open_page, path, viewport):
    lines = open_page(path, viewport).evaluate(OBSERVED_MARK_LINES)
    assert lines, f"/{path} shows no observed mark at {viewport}"
    broken = sum(count > 1 for count in lines)
    assert not broken, f"/{path} at {viewport}: {broken} of {len(lines)} '✓ observed' marks break across lines"


# The wrapper is at most 80 % of the window high: scrolling down inside it keeps the header row on top.
STICKY = """() => {
    const wrapper = document.querySelector('.tlskb-table .tlskb-scroll');
    wrapper.scrollIntoView();
    wrapper.scrollTop = wrapper.scrollHeight;
    const header = wrapper.querySelector('thead th').getBoundingClientRect();
    return {scrolled: wrapper.scrollTop, top: wrapper.getBoundingClientRect().top, header: header.top,
            fitsWindow: wrapper.getBoundingClientRect().height <= window.innerHeight};
}"""


# Tables taller than their box at that width (shorter ones have nothing to scroll).
@pytest.mark.parametrize(("path", "viewport"), [("openssl/", "desktop"), ("openssl/", "phone"),
                                                ("settings/", "phone")])
def test_header_row_stays_on_top_when_scrolling_down(open_page, path, viewport):
    state = open_page(path, viewport).evaluate(STICKY)
    assert state["fitsWindow"], state
    assert state["scrolled"] > 0, f"/{path}: the table did not scroll inside its box ({state})"
    assert abs(state["header"] - state["top"]) <= 2, f"/{path}: header row left the top of its box ({state})"


# --- search index (the same build) ---

def test_platform_tabs_are_indexed_on_the_home_page_only(built_site):
    import json
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # A path that only the platform tabs print (data/platforms.yaml, Red Hat family).
    pages = {doc["location"].split("#")[0] for doc in index["docs"] if "/etc/pki/tls" in doc["text"]}
    assert pages == {""}, pages


# Every line break inside a word of a cell of the tables the macros draw: where a word of three or more characters goes on
# the next line after a letter or digit (a break after _ / \ : = @ - , . ( ) ; is a seam, not a cut).
MID_WORD_BREAKS = r"""() => { const found = [];
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const parent = node.parentElement;
    if (!parent.closest('.tlskb-scroll td, .tlskb-scroll th') || !parent.getClientRects().length) continue;
    for (const word of node.data.matchAll(/\S{3,}/g)) {
      const top = i => { const range = document.createRange(); range.setStart(node, word.index + i);
        range.setEnd(node, word.index + i + 1); const box = [...range.getClientRects()].find(r => r.width > 0);
        return box ? box.top : null; };
      let previous = top(0);
      for (let i = 1; i < word[0].length; i++) {
        const line = top(i);
        if (line !== null && previous !== null && line > previous + 2 && !'-_/\\,.(:;=)@'.includes(word[0][i - 1]))
          found.push(word[0].slice(0, i) + '|' + word[0].slice(i));
        if (line !== null) previous = line;
      } } }
  return found; }"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("path", ["postgresql/17/", "openssl/3.0/", "observed/", "settings/"])
def test_no_word_in_a_table_cell_breaks_between_two_letters(open_page, path, viewport):
    """Material's word-break: break-word let the browser cut "handsha|ke_failure" and
    "ssl_prefer_server_ci|phers" to narrow a column; words now wrap at spaces and at the <wbr>
    after _ / \\ : = @ (macros/render/html.py soft_breaks_html), and tables scroll in their box."""
    breaks = open_page(path, viewport).evaluate(MID_WORD_BREAKS)
    assert breaks == [], f"/{path} at {viewport}: {len(breaks)} words cut, e.g. {breaks[:5]}"


# Every "↩" a reader can see under a table's notes, with whether the cell it leads to is shown
# (an element hidden by display: none, its own or an ancestor's, has no client rects).
BACK_LINKS = """() => [...document.querySelectorAll('.tlskb-table .tlskb-back a')]
    .filter(back => back.getClientRects().length > 0)
    .map(back => ({href: back.getAttribute('href'), label: back.getAttribute('aria-label'),
                   target: (document.getElementById(back.getAttribute('href').slice(1)) || back).getClientRects().length > 0
                           && !!document.getElementById(back.getAttribute('href').slice(1))}))"""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", ["postgresql/", "openssl/", "build-support/", "settings/"])
def test_every_visible_way_back_leads_to_a_visible_cell(open_page, path, viewport):
    # A "↩" to a cell folded away (an end-of-life row behind "Show all", a column a phone folds)
    # would scroll nowhere: it is hidden whenever its cell is.
    backs = open_page(path, viewport).evaluate(BACK_LINKS)
    assert backs, f"/{path} at {viewport} shows no way back"
    dead = [back["label"] for back in backs if not back["target"]]
    assert not dead, f"/{path} at {viewport}: {len(dead)} visible ways back lead to hidden cells, e.g. {dead[:3]}"


def test_print_shows_every_row_and_every_way_back(open_page):
    # Paper has no "Show all": every version and every "↩" print, and no "cited only by…" line.
    page = open_page("postgresql/", "phone")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => { const table = document.getElementById('postgresql-protocols');
        const visible = el => el.getClientRects().length > 0;
        return {rows: [...table.querySelectorAll('tbody tr')].filter(visible).length,
                allRows: table.querySelectorAll('tbody tr').length,
                endedRows: table.querySelectorAll('tbody tr.tlskb-eol').length,
                backs: [...table.querySelectorAll('.tlskb-back a')].filter(visible).length,
                allBacks: table.querySelectorAll('.tlskb-back a').length,
                notices: [...table.querySelectorAll('.tlskb-cited-hidden')].filter(visible).length}; }""")
    assert shown["endedRows"] and shown["rows"] == shown["allRows"], shown
    assert shown["backs"] == shown["allBacks"] and shown["notices"] == 0, shown


# --- no sideways scrolling of the whole page on a phone ---

def site_pages(built_site) -> list[str]:
    """Every page of the built site that the theme draws, as a path from the site root. The embed
    pages (embed/) are left out: each is one bare table for an iframe, as wide as its table."""
    pages = [index.parent.relative_to(built_site).as_posix() + "/" for index in built_site.rglob("index.html")]
    return sorted("" if page == "./" else page for page in pages if not page.startswith("embed/"))


def test_no_page_scrolls_sideways_as_a_whole_on_a_phone(open_page, built_site, site_url):
    """A wide table scrolls in its own box (.tlskb-scroll); the page itself never does."""
    pages = site_pages(built_site)
    assert {"", "build-support/", "observed/", "postgresql/17/"} <= set(pages), pages
    page = open_page("", "phone")
    too_wide = {}
    for path in [*pages, "404.html"]:
        page.goto(site_url + path, wait_until="load")
        scroll_width, window_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > window_width:
            too_wide["/" + path] = f"{scroll_width - window_width} px"
    assert not too_wide, f"at {VIEWPORTS['phone']['width']} px these pages scroll sideways by: {too_wide}"
