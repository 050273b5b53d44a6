"""The "Your setup" page in a real browser: pick, see the resolver's answer, copy, permalink round trip.

The expected answers come from resolve() directly, so the page, the published JSON and the CLI
(tests/export/test_answers.py) are held to the same answer.
"""

from __future__ import annotations

import pytest
from browsing import BROWSER_GROUP, browser, built_site, open_page, site_url  # noqa: F401 - fixtures

from macros.model.resolver import resolve
from macros.model.resolver_types import Setup

pytestmark = [pytest.mark.browser, BROWSER_GROUP]

ANSWER_ROWS = "#tlskb-setup-answer tr[data-protocol]"
SHOWN = """() => [...document.querySelectorAll('#tlskb-setup-answer tr[data-protocol]')].map(row =>
    [row.dataset.protocol, row.cells[0].textContent, row.cells[1].textContent])"""
SELECTION = """() => Object.fromEntries(['pg', 'platform', 'openssl', 'min', 'profile'].map(
    name => [name, document.getElementById('tlskb-setup-' + name).value]))"""


def pick(page, **choice: str) -> None:
    """Choose in the form's order (platform before series), then wait for the answer's table."""
    for name in ("pg", "platform", "openssl", "min", "profile"):
        if name in choice:
            page.select_option(f"#tlskb-setup-{name}", choice[name])
    page.wait_for_selector(ANSWER_ROWS)


def shown_defaults(page) -> dict[str, str]:
    return {protocol: default.split(" (")[0] for protocol, _, default in page.evaluate(SHOWN)}


def expected_defaults(answer: dict) -> dict[str, str]:
    return {protocol: state["default"].capitalize() for protocol, state in answer["protocols"].items()}


def test_picking_a_setup_shows_the_resolvers_answer(open_page, dataset):
    page = open_page("setup/")
    pick(page, pg="15", platform="debian-12", min="TLSv1")
    answer = resolve(dataset, Setup("15", platform="debian-12", min_protocol="TLSv1")).to_json()
    assert shown_defaults(page) == expected_defaults(answer)
    conf = page.locator('[data-config="postgresql.conf"] code').text_content()
    assert conf == "\n".join(answer["config"]["postgresql.conf"]) and conf
    assert page.locator(".tlskb-setup-warnings li").count() == len(answer["warnings"])
    assert page.locator("#tlskb-setup-nojs").is_hidden()


def test_a_profile_clears_the_oldest_protocol_and_changes_the_answer(open_page, dataset):
    page = open_page("setup/")
    pick(page, pg="16", platform="upstream", openssl="3.0", min="TLSv1.1")
    pick(page, profile="modern")
    assert page.evaluate(SELECTION)["min"] == ""
    answer = resolve(dataset, Setup("16", openssl="3.0", profile="modern")).to_json()
    page.wait_for_function("() => document.querySelector('[data-config]') !== null")
    assert page.locator('[data-config="postgresql.conf"] code').text_content() == \
        "\n".join(answer["config"]["postgresql.conf"])


AFTER = """() => [...document.querySelectorAll('#tlskb-setup-answer tr[data-protocol]')].map(row =>
    [row.dataset.protocol, row.cells[2].textContent])"""


def test_a_change_shows_what_the_server_does_after_it(open_page, dataset):
    """The column the lab proves on real servers (tests/lab/test_lab_answers.py): the answer's `after`."""
    page = open_page("setup/")
    pick(page, pg="11", platform="upstream", openssl="1.1.1", profile="intermediate")
    answer = resolve(dataset, Setup("11", openssl="1.1.1", profile="intermediate")).to_json()
    page.wait_for_function("() => document.querySelector('[data-config]') !== null")
    words = {"accepted": "Accepted", "refused": "Refused", "not-known": "Not known"}
    assert dict(page.evaluate(AFTER)) == {p: words[o] for p, o in answer["after"].items()}
    assert answer["after"]["TLSv1.1"] == "refused" != answer["protocols"]["TLSv1.1"]["default"]
    assert page.get_by_role("columnheader", name="After the changes below").count() == 1


def test_copy_button_puts_the_lines_on_the_clipboard(browser, site_url, dataset):  
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(site_url + "setup/?pg=15&platform=debian-12&min=TLSv1", wait_until="load")
        page.wait_for_selector(ANSWER_ROWS)
        page.locator('[data-config="pg_hba.conf"] button').click()
        page.wait_for_function("() => document.querySelector('[data-config=\"pg_hba.conf\"] button')"
                               ".textContent !== 'Copy'")
        copied = page.evaluate("() => navigator.clipboard.readText()")
    finally:
        context.close()
    answer = resolve(dataset, Setup("15", platform="debian-12", min_protocol="TLSv1")).to_json()
    assert copied == "\n".join(answer["config"]["pg_hba.conf"]) + "\n"


def test_permalink_restores_the_choice_and_the_answer(open_page):
    page = open_page("setup/")
    pick(page, pg="14", platform="rhel-10", openssl="3.5", profile="intermediate")
    permalink = page.locator("#tlskb-setup-permalink").get_attribute("href")
    assert "pg=14" in permalink and "profile=intermediate" in permalink
    chosen, shown = page.evaluate(SELECTION), page.evaluate(SHOWN)
    again = open_page(permalink.split("/", 3)[3])  # the same URL, opened fresh
    again.wait_for_selector(ANSWER_ROWS)
    assert again.evaluate(SELECTION) == chosen
    assert again.evaluate(SHOWN) == shown


def test_version_page_link_preselects_its_major(open_page):
    page = open_page("postgresql/13/")
    page.locator(".tlskb-setup-link a").click()
    page.wait_for_selector(ANSWER_ROWS)
    assert page.evaluate(SELECTION)["pg"] == "13"
    assert "pg=13" in page.url


def test_a_combination_that_does_not_build_says_why(open_page):
    page = open_page("setup/?pg=18&platform=upstream&openssl=1.0.2")
    page.wait_for_selector(".tlskb-setup-error")
    assert "does not build" in page.locator(".tlskb-setup-error").text_content()


def test_matrix_row_link_preselects_its_openssl_series(open_page):
    page = open_page("openssl/")
    page.locator('#openssl-protocols a.tlskb-setup-link[aria-label="Your setup with OpenSSL 3.0"]').click()
    page.wait_for_selector(ANSWER_ROWS)
    chosen = page.evaluate(SELECTION)
    assert (chosen["platform"], chosen["openssl"]) == ("upstream", "3.0")
