"""The matrices at 1280 px and 390 px: within their box, or in a scroll region that says so."""

from __future__ import annotations

import pytest

from browsing import browser, built_site, open_page, site_url  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

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


@pytest.mark.parametrize("path", ["postgresql/", "openssl/"])
def test_header_row_stays_in_view_when_scrolling_down(open_page, path):
    page = open_page(path, "phone")
    header = page.locator(".tlskb-table thead th").first
    page.locator(".tlskb-table tbody tr").last.scroll_into_view_if_needed()
    box = header.bounding_box()
    assert box is not None and 0 <= box["y"] < 844, f"/{path}: header row scrolled out of view ({box})"
