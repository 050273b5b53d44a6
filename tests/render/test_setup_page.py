"""The "Your setup" page's HTML: every choice offered, words from the locale, data escaped, and
the links that preselect a version."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import ROOT

from macros.load.i18n import section
from macros.model.resolver import ANSWER_FLOORS
from macros.render.pages import postgresql_page
from macros.render.setup_page import default_major, script_json, setup_link, setup_page

SCRIPT = ROOT / "docs" / "javascripts" / "setup.js"


def options(html: str, select_id: str) -> list[str]:
    body = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)[1]
    return re.findall(r'<option value="([^"]*)"', body)


def test_every_choice_is_offered(dataset):
    html = setup_page(dataset)
    assert options(html, "tlskb-setup-pg") == [m.major for m in dataset.postgresql]
    assert sorted(options(html, "tlskb-setup-platform")) == sorted(r.id for r in dataset.releases)
    assert options(html, "tlskb-setup-platform")[0] == "upstream"
    assert options(html, "tlskb-setup-openssl") == [s.series for s in dataset.openssl]
    assert options(html, "tlskb-setup-min") == [""] + [f for f in ANSWER_FLOORS if f]
    assert options(html, "tlskb-setup-profile") == [""] + [p.id for p in dataset.profiles]


def test_the_newest_released_major_is_preselected(dataset):
    html = setup_page(dataset)
    assert f'<option value="{default_major(dataset)}" selected>' in html
    assert dataset.pg(default_major(dataset)).status != "beta"


def test_a_platform_that_implies_its_series_says_so(dataset):
    html = setup_page(dataset)
    for release in dataset.releases:
        assert f'<option value="{release.id}" data-openssl="{release.openssl or ""}"' in html


def test_without_javascript_the_page_says_where_the_answers_are(dataset):
    html = setup_page(dataset, lambda path: "../" + path)
    fallback = html.split('id="tlskb-setup-nojs"')[1].split("</div>")[0]
    assert '<a href="../postgresql/16/">16</a>' in fallback
    assert "python -m macros answer --postgresql" in fallback
    assert 'href="../api/v1/answers/index.json"' in fallback
    assert '<form class="tlskb-setup-form" id="tlskb-setup-form"' in html and "hidden>" in html


def test_script_json_cannot_close_its_script_element():
    text = script_json({"x": "</script><img src=x onerror=alert(1)> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(str(text)) == {"x": "</script><img src=x onerror=alert(1)> & more"}


def test_every_word_the_script_prints_is_in_the_locale():
    script = SCRIPT.read_text(encoding="utf-8")
    used = set(re.findall(r'say\("([a-z_]+)"', script))
    used |= set(re.findall(r'\["[^"]+", "([a-z_]+)"\]', script))  # CONFIG: [answer key, word]
    words = section("setup.script")
    assert used and used <= set(words), used - set(words)
    # state["default"], check.expect and the possible flag pick these words at run time
    assert {"accepted", "refused", "possible", "impossible"} <= set(words)


def test_the_script_never_writes_html():
    script = SCRIPT.read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


def test_version_page_links_to_the_setup_page_with_its_major(dataset):
    page = postgresql_page(dataset, "16", lambda path: "../../" + path)
    assert '<a href="../../setup/?pg=16">' in page


def test_setup_link_keeps_the_choice_in_the_query():
    assert setup_link(lambda path: "../" + path, platform="upstream", openssl="3.0") == \
        "../setup/?platform=upstream&openssl=3.0"
    assert setup_link(lambda path: path) == "setup/"


def test_the_page_is_in_the_nav_near_the_top():
    nav = Path(ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n")[1].splitlines()
    assert nav[1].strip() == "- Your setup: setup.md"


def test_every_version_row_of_the_matrices_links_to_the_setup_page(dataset):
    from macros.render.html import render_table
    from macros.render.tables import build_table
    for table_id, versions, query in (
            ("postgresql-protocols", [m.major for m in dataset.postgresql], "pg={}"),
            ("postgresql-openssl-build", [m.major for m in dataset.postgresql], "pg={}"),
            ("openssl-protocols", [s.series for s in dataset.openssl], "platform=upstream&amp;openssl={}")):
        html = render_table(build_table(dataset, table_id), lambda path: "../" + path)
        for version in versions:
            assert f'href="../setup/?{query.format(version)}"' in html, (table_id, version)


# --- the platform sections under the form (macros/render/platform_defaults.py) ---

def platform_sections(dataset) -> dict[str, str]:
    """{section id: its Markdown, heading line included}."""
    from macros.render.platform_defaults import platform_defaults
    text = platform_defaults(dataset, lambda path: "../" + path)
    return {found[1]: found[0] for found in re.finditer(r"^### .*\{#([\w.-]+)\}\n(?:(?!^#).*\n?)*", text, re.MULTILINE)}


def test_one_section_per_platform_release_in_data_order(dataset):
    from macros.load.i18n import t
    from macros.render.platform_defaults import platform_defaults
    assert list(platform_sections(dataset)) == [f"platform-{r.id}" for r in dataset.releases]
    assert platform_defaults(dataset).startswith(f"## {t('setup.platforms.heading')}\n")


def test_a_heading_holds_the_name_people_type(dataset):
    from macros.render.markdown import escape
    sections = platform_sections(dataset)
    rhel = sections["platform-rhel-9"].splitlines()[0]
    assert rhel == f"### {escape('Red Hat Enterprise Linux 9 (RHEL 9)')} {{#platform-rhel-9}}"
    debian = sections["platform-debian-12"].splitlines()[0]
    assert debian == f"### {escape(dataset.release('debian-12').name)} {{#platform-debian-12}}"
    for release in dataset.releases:
        heading = sections[f"platform-{release.id}"].splitlines()[0]
        assert escape(release.name) in heading
        if release.short_name and release.short_name not in release.name:
            assert escape(f"({release.short_name})") in heading


def test_each_section_says_what_the_platform_sets_with_sources_and_links_to_its_answer(dataset):
    from macros.core.versions import pg_major_key
    sections = platform_sections(dataset)
    rhel9 = sections["platform-rhel-9"]
    assert "<dd>TLS 1.2, set by the system-wide crypto policy — No shipped policy" in rhel9
    assert "TLS 1.0, TLS 1.1, by SHA-1 signatures (<code>rh-allow-sha1-signatures = no</code>)" in rhel9
    assert 'href="https://docs.redhat.com/' in rhel9
    for release in dataset.releases:
        packaged = [m for m in release.postgresql if dataset.pg(m)]
        major = max(packaged, key=pg_major_key) if packaged else default_major(dataset)
        assert f'href="../setup/?pg={major}&amp;platform={release.id}"' in sections[f"platform-{release.id}"]
    # an inferred fact says so, next to its note
    assert "<dd>13 (inferred) — Debian ships one PostgreSQL major" in sections["platform-debian-11"]
