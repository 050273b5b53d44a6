"""Notes that lead back to their cells, the legend, "show all" and wrapping, in the site's table HTML."""

from __future__ import annotations

import re

import pytest

from macros.render.html import breakable_html, render_table
from macros.render.tables import TABLE_IDS, build_table


def note_items(html: str, table_id: str) -> dict[str, str]:
    return dict(re.findall(rf'<li id="{table_id}-note-(\d+)">(.*?)</li>', html, flags=re.S))


def test_every_note_mark_has_an_anchor_and_every_note_leads_back_to_each_of_its_cells(dataset):
    table = build_table(dataset, "postgresql-protocols")
    html = render_table(table)
    marks = re.findall(r'<a id="([^"]+)" href="#postgresql-protocols-note-(\d+)" aria-label="Note \2">\2</a>', html)
    assert marks and len({anchor for anchor, _ in marks}) == len(marks)  # ids are unique
    items = note_items(html, "postgresql-protocols")
    for anchor, number in marks:
        assert f'href="#{anchor}"' in items[number], (anchor, number)
    backs = sum(len(re.findall(r'<a href="#postgresql-protocols-r', item)) for item in items.values())
    assert backs == len(marks)  # one way back per mark, no more


def test_ways_back_are_named_for_a_screen_reader(dataset):
    html = render_table(build_table(dataset, "postgresql-protocols"))
    assert re.search(r'aria-label="Back to PostgreSQL 12, TLS 1\.0 \(TLSv1\)">↩', html)


def test_visible_text_of_a_way_back_is_part_of_its_name(dataset):
    # WCAG 2.5.3: what a speech-input user reads out must be in the accessible name.
    html = render_table(build_table(dataset, "server-settings"))
    for label, text in re.findall(r'aria-label="([^"]+)">↩(?:&nbsp;)?([^<]*)</a>', html):
        assert text in label


def test_legend_names_every_status_the_table_uses(dataset):
    table = build_table(dataset, "postgresql-openssl-build")
    html = render_table(table)
    legend = re.search(r'<p class="tlskb-legend">(.*?)</p>', html, flags=re.S).group(1)
    for status in {cell.status for row in table.rows for cell in row.cells if cell.status}:
        assert f'class="tlskb-key tlskb-{status}"' in legend


def test_end_of_life_rows_are_marked_for_show_all_and_counted(dataset):
    table = build_table(dataset, "postgresql-protocols")
    html = render_table(table)
    ended = [row for row in table.rows if row.ended]
    assert ended and len(re.findall(r'<tr class="tlskb-eol">', html)) == len(ended)
    assert f"(+{len(ended)} past end of life)" in html
    assert '<input type="checkbox" class="tlskb-show-all"' in html  # works without script


def test_settings_tables_mark_end_of_life_majors_as_columns(dataset):
    table = build_table(dataset, "server-settings")
    assert any(table.column_ended) and not all(table.column_ended)
    html = render_table(table)
    assert html.count('<th scope="col" class="tlskb-eol">') == sum(table.column_ended)


def test_scroll_wrapper_is_a_labelled_focusable_region(dataset):
    html = render_table(build_table(dataset, "openssl-protocols"))
    assert '<div class="tlskb-scroll" role="region" aria-label="OpenSSL series × protocol versions" tabindex="0">' in html


def test_long_values_may_wrap_after_colons_and_commas_only():
    assert str(breakable_html("HIGH:MEDIUM:+3DES:!aNULL")) == "HIGH:<wbr>MEDIUM:<wbr>+3DES:<wbr>!aNULL"
    assert str(breakable_html("a, b <c>")) == "a, b &lt;c&gt;"


FOLDS = {"tlskb-eol", "tlskb-folded"}  # the classes "Show all" (and a phone) hide by


def cell_folds(html: str) -> dict[str, set[str]]:
    """note mark anchor -> the fold classes that hide its cell: its row's and its own."""
    folds: dict[str, set[str]] = {}
    for row_class, row in re.findall(r'<tr(?: class="([^"]*)")?>(.*?)</tr>', html, flags=re.DOTALL):
        for cell_class, cell in re.findall(r'<td[^>]*?(?: class="([^"]*)")?>(.*?)</td>', row, flags=re.DOTALL):
            for anchor in re.findall(r'<a id="([^"]+)" href="#', cell):
                folds[anchor] = (set(row_class.split()) | set(cell_class.split())) & FOLDS
    return folds


def back_link_folds(html: str) -> dict[str, set[str]]:
    return {anchor: set(classes.split()) & FOLDS
            for anchor, classes in re.findall(r'<a href="#([^"]+)"(?: class="([^"]*)")? aria-label="Back to', html)}


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_a_way_back_carries_the_fold_markers_of_its_cell(dataset, table_id):
    # One CSS rule then hides a folded cell and every "↩" to it (docs/stylesheets/tlskb.css).
    html = render_table(build_table(dataset, table_id))
    cells, backs = cell_folds(html), back_link_folds(html)
    assert backs and set(backs) == set(cells)
    assert {anchor: folds for anchor, folds in backs.items() if folds != cells[anchor]} == {}


def test_the_openssl_matrix_folds_the_ways_back_to_its_ssl_columns(dataset):
    backs = back_link_folds(render_table(build_table(dataset, "openssl-protocols")))
    assert sum("tlskb-folded" in folds for folds in backs.values()) >= 20


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_notes_cited_by_the_default_view_are_numbered_first_in_reading_order(dataset, table_id):
    # Then the notes only folded rows (or end-of-life columns) cite; the "✓ observed" notes after
    # the others of their part, as html.number_notes says why.
    html = render_table(build_table(dataset, table_id))
    cells = cell_folds(html)
    marks = re.findall(rf'<a id="([^"]+)" href="#{table_id}-note-(\d+)"', html)  # in reading order
    order = sorted(marks, key=lambda mark: ("tlskb-eol" in cells[mark[0]], mark[0].endswith("-observed")))
    numbers = list(dict.fromkeys(int(number) for _, number in order))
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_postgresql_matrix_opens_its_notes_with_the_current_majors(dataset):
    table = build_table(dataset, "postgresql-protocols")
    html = render_table(table)
    current = next(r for r, row in enumerate(table.rows) if not row.ended)
    first_mark = re.search(rf'<a id="postgresql-protocols-r{current}-c\d+" href="#postgresql-protocols-note-(\d+)"', html)
    assert first_mark[1] == "1"


def test_a_note_cited_only_by_folded_cells_says_so(dataset):
    # Listed still (a reader who opens "Show all" finds it), but not as a note with no way back.
    html = render_table(build_table(dataset, "postgresql-protocols"))
    items = note_items(html, "postgresql-protocols")
    ended_only = [item for item in items.values()
                  if 'class="tlskb-eol' in item and re.search(r'<a href="#[^"]+" aria-label', item) is None
                  and "tlskb-folded" not in item]
    assert ended_only
    for item in ended_only:
        assert '<span class="tlskb-cited-hidden tlskb-eol-only">cited only by cells behind “Show all”</span>' in item
    shown = [item for item in items.values() if re.search(r'<a href="#[^"]+" aria-label', item)]
    assert shown and not any("tlskb-cited-hidden" in item for item in shown)
    phone_only = [item for item in items.values() if "tlskb-folded-only" in item]
    assert phone_only and all("tlskb-eol-only" not in item for item in phone_only)
