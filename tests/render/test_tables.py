"""The tables and version pages: golden files, the facts the issue names, footnotes, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from site_markdown import to_site_html

from macros.load.tree import read_tree
from macros.model.dataset import build_dataset
from macros.render.html import render_fragment, render_table
from macros.render.pages import openssl_page, postgresql_page
from macros.render.tables import TABLE_IDS, as_of, build_table

TLS13_CONDITIONAL_MAJORS = ("12", "13", "14", "15", "16", "17")


# --- helpers: read a Table like a reader would ---

def cell(table, row_header: str, column: str):
    row = next(r for r in table.rows if r.header == row_header)
    return row.cells[table.columns.index(column)]


def column_of(table, protocol_name: str) -> str:
    """The column whose header starts with the protocol's name ("TLS 1.0 (TLSv1)")."""
    return next(c for c in table.columns if c == protocol_name or c.startswith(protocol_name + " ("))


def note_text(table_cell) -> str:
    return " ".join(text for _, text in table_cell.note.parts)


class Elements(HTMLParser):
    """Every start tag with its attributes, and every id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def named(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.tags if "id" in attrs]


# --- golden files ---

@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_table_golden(dataset, golden, table_id):
    golden(f"tables/{table_id}.html", render_table(build_table(dataset, table_id)))


def test_postgresql_13_page_golden(dataset, golden):
    golden("pages/postgresql-13.md", postgresql_page(dataset, "13"))


def test_openssl_3_0_page_golden(dataset, golden):
    golden("pages/openssl-3.0.md", openssl_page(dataset, "3.0"))


# --- the facts the seed got wrong ---

def test_postgresql_table_spells_tls_1_0_as_tlsv1(dataset):
    table = build_table(dataset, "postgresql-protocols")
    assert "TLS 1.0 (TLSv1)" in table.columns
    assert not any("TLSv1.0" in c for c in table.columns)
    assert "TLSv1.0" not in render_table(table)


def test_ssl_min_protocol_version_default(dataset):
    table = build_table(dataset, "postgresql-protocols")
    assert cell(table, "12", "ssl_min_protocol_version").text == "TLSv1"
    for major in ("13", "14", "15", "16", "17", "18"):
        assert cell(table, major, "ssl_min_protocol_version").text == "TLSv1.2", major


def test_ssl_min_protocol_version_absent_before_12(dataset):
    table = build_table(dataset, "postgresql-protocols")
    for major in ("9.4", "9.5", "9.6", "10", "11"):
        assert cell(table, major, "ssl_min_protocol_version").status == "absent", major


def test_ssl_max_protocol_version_default_is_empty(dataset):
    table = build_table(dataset, "postgresql-protocols")
    for major in ("12", "13", "14", "15", "16", "17", "18"):
        assert cell(table, major, "ssl_max_protocol_version").text == "(empty)", major


def test_postgresql_tls_1_3_needs_openssl_1_1_1(dataset):
    table = build_table(dataset, "postgresql-protocols")
    column = column_of(table, "TLS 1.3")
    for major in TLS13_CONDITIONAL_MAJORS:
        found = cell(table, major, column)
        assert found.status == "conditional", major
        assert "OpenSSL ≥ 1.1.1" in found.text, (major, found.text)
        condition = dataset.pg(major).cells["TLSv1.3"].condition
        assert condition.openssl == "1.1.1", major


def test_openssl_1_0_0_has_no_tls_1_1_or_1_2(dataset):
    table = build_table(dataset, "openssl-protocols")
    for protocol in ("TLS 1.1", "TLS 1.2"):
        assert cell(table, "1.0.0", column_of(table, protocol)).text == "Not supported"


def test_sslv3_on_by_default_through_1_0_2(dataset):
    table = build_table(dataset, "openssl-protocols")
    for series in ("0.9.8", "1.0.0", "1.0.1", "1.0.2"):
        assert cell(table, series, column_of(table, "SSL 3.0")).text == "On by default", series
    assert cell(table, "1.1.0", column_of(table, "SSL 3.0")).text == "Off by default"


def test_openssl_3_tls_1_0_and_1_1_off_with_security_level_0(dataset):
    table = build_table(dataset, "openssl-protocols")
    three = [s.series for s in dataset.openssl if s.series.startswith("3.")]
    assert len(three) >= 7
    for series in three:
        for protocol in ("TLS 1.0", "TLS 1.1"):
            found = cell(table, series, column_of(table, protocol))
            assert found.text == "Off by default", (series, protocol)
            assert re.search(r"security level (to )?0|@SECLEVEL=0", note_text(found)), (series, protocol)


def test_openssl_4_0_removed_sslv3(dataset):
    table = build_table(dataset, "openssl-protocols")
    assert cell(table, "4.0", column_of(table, "SSL 3.0")).text == "Removed"


@pytest.mark.parametrize("table_id", ("openssl-protocols", "postgresql-protocols"))
def test_end_of_life_rows_carry_the_mark(dataset, table_id):
    table = build_table(dataset, table_id)
    today = as_of(dataset)
    versions = {v.version: v for v in dataset.openssl + dataset.postgresql}
    ended = [r.header for r in table.rows if (versions[r.header].eol or "9999") <= today]
    assert ended, "the data has versions past their end of life"
    for row in table.rows:
        assert ("end of life" in row.marks) == (row.header in ended), row.header
    html = render_table(table)
    assert html.count('<span class="tlskb-mark">end of life</span>') == len(ended)


def test_known_end_of_life_versions(dataset):
    table = build_table(dataset, "postgresql-protocols")
    for major in ("9.4", "12", "13"):
        assert "end of life" in next(r for r in table.rows if r.header == major).marks
    assert "beta" in next(r for r in table.rows if r.header == "19").marks


# --- footnotes ---

def page_htmls(dataset):
    for table_id in TABLE_IDS:
        yield table_id, render_table(build_table(dataset, table_id))
    # Pages are Markdown (the guides use tabs and code blocks): read them as the site renders them.
    for major in dataset.postgresql:
        yield f"postgresql {major.major}", to_site_html(postgresql_page(dataset, major.major))
    for series in dataset.openssl:
        yield f"openssl {series.series}", to_site_html(openssl_page(dataset, series.series))


def test_footnotes_are_unique_and_every_reference_exists(dataset):
    checked = 0
    for name, html in page_htmls(dataset):
        elements = Elements(html)
        ids = elements.ids()
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
        note_ids = [i for i in ids if "-note-" in i]
        for table_id in {i.split("-note-")[0] for i in note_ids}:
            numbers = [int(i.split("-note-")[1]) for i in note_ids if i.startswith(table_id + "-note-")]
            assert numbers == list(range(1, len(numbers) + 1)), f"{name}: notes of {table_id} not 1..n"
        references = [a["href"][1:] for a in elements.named("a") if a.get("href", "").startswith("#")]
        missing = sorted(set(references) - set(ids))
        assert not missing, f"{name}: references without a note: {missing}"
        unused = sorted(set(note_ids) - set(references))
        assert not unused, f"{name}: notes nothing refers to: {unused}"
        checked += len(references)
    assert checked > 100


def test_same_note_shares_one_number(dataset):
    table = build_table(dataset, "postgresql-protocols")
    html = render_table(table)
    # SSL 2.0 and SSL 3.0 of 13 carry the same note and sources.
    first = cell(table, "13", "SSL 2.0").note
    assert first == cell(table, "13", "SSL 3.0").note
    links = re.findall(r'<td class="tlskb-unsupported[^"]*">Not supported<sup><a id="[^"]+" href="#([^"]+)"', html)
    assert len(links) > len(set(links))


# --- escaping: text from data files never becomes markup ---

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[x](javascript:alert(1))",
    '[y](https://example.com/"onmouseover="alert)',
    "a | b | c",
    "{{ 7*7 }} {% if true %}",
    "`<b>code</b>`",
)
TEXT_KEYS = {"note", "enable", "title", "quote", "description", "blocks", "default_note", "values_note"}


def poison(value, counter):
    """Replace every free-text field with a hostile payload (all payloads, in turn)."""
    if isinstance(value, dict):
        return {k: (PAYLOADS[next(counter) % len(PAYLOADS)] + " end" if k in TEXT_KEYS and isinstance(v, str)
                    else poison(v, counter)) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v, counter) for v in value]
    return value


@pytest.fixture
def hostile_dataset(data_copy):
    # Built directly: `python -m macros check` would refuse the non-https link, but rendering
    # must be safe even for text no rule looks at.
    import itertools
    tree, problems = read_tree(data_copy)
    assert problems == []
    counter = itertools.count()
    for loaded in tree.files():
        loaded.data = poison(loaded.data, counter)
    return build_dataset(tree)


def test_hostile_text_renders_inert(hostile_dataset):
    outputs = dict(page_htmls(hostile_dataset))
    outputs["protocols"] = render_fragment("protocols.html.j2", protocols=hostile_dataset.protocols)
    everything = "\n".join(outputs.values())
    # The payloads did reach the output (escaped), so the checks below are not vacuous.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in everything
    assert "[x](javascript:alert(1))" in everything
    assert "{{ 7*7 }} {% if true %}" in everything
    for name, html in outputs.items():
        elements = Elements(html)
        tags = {tag for tag, _ in elements.tags}
        assert not tags & {"script", "img", "iframe", "object", "embed", "b"}, name
        for tag, attrs in elements.tags:
            assert not [a for a in attrs if a.startswith("on")], (name, tag, attrs)
            for attribute in ("href", "src"):
                value = (attrs.get(attribute) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (name, tag, attrs)


def test_hostile_titles_stay_inside_their_attribute(hostile_dataset):
    # Setting descriptions become title="..." on row headers.
    html = render_table(build_table(hostile_dataset, "server-settings"))
    titles = [attrs["title"] for attrs in Elements(html).named("th") if "title" in attrs]
    assert any('"><img src=x onerror=alert(1)>' in t for t in titles)


def test_https_links_in_notes_become_links_and_others_do_not():
    from macros.render.html import inline_html
    html = str(inline_html("see [the docs](https://example.com/a) and [bad](javascript:alert(1)) `x<y`"))
    links = Elements(html).named("a")
    assert [a["href"] for a in links] == ["https://example.com/a"]
    assert "[bad](javascript:alert(1))" in html
    assert "<code>x&lt;y</code>" in html


# ---------------------------------------------------------------- issue 12: said once, said exactly

def test_inherited_build_cells_point_to_the_entry_instead_of_repeating_its_note(dataset):
    table = build_table(dataset, "postgresql-openssl-build")
    for major in dataset.postgresql:
        notes = {m.openssl: m.note["en"] for m in major.milestones if m.note}
        for series in dataset.openssl:
            support = dataset.build_support(major, series.series)
            if support.reason != "inherited":
                continue
            shown = " ".join(text for _, text in cell(table, major.major, series.series).note.parts)
            assert shown == f"Same as OpenSSL {support.milestone.openssl} in this row: see the note there."
            assert notes.get(support.milestone.openssl, "\0") not in shown


def test_otherwise_follows_the_condition_and_inferred_marks_the_condition_only(dataset):
    table = build_table(dataset, "postgresql-protocols")
    assert cell(table, "10", column_of(table, "TLS 1.0")).text == (
        "On with OpenSSL < 3.0 (inferred), otherwise off by default")
    assert cell(table, "12", column_of(table, "TLS 1.0")).text == "On with OpenSSL < 3.0, otherwise off by default"


def test_the_postgresql_matrix_intro_says_which_columns_a_phone_folds(dataset):
    """The page's prose names the setting columns; a phone shows them only after "Show all", so the
    paragraph that names them says so, with the label the table prints and every folded column."""
    from conftest import ROOT

    from macros.load.i18n import t
    table = build_table(dataset, "postgresql-protocols")
    folded = [column for column, fold in zip(table.columns, table.column_folded) if fold]
    intro = (ROOT / "docs" / "postgresql" / "index.md").read_text(encoding="utf-8").split("{{")[0]
    naming = [paragraph for paragraph in intro.split("\n\n") if "ssl_min_protocol_version" in paragraph]
    assert naming and folded
    for paragraph in naming:
        text = " ".join(paragraph.split())
        assert f"**{t('table.show_all')}**" in text, text
        assert all(column in text for column in folded), (folded, text)
