"""Notes that lead back to their cells, the legend, "show all" and wrapping, in the site's table HTML."""

from __future__ import annotations

import re

from macros.render.html import breakable_html, render_table
from macros.render.tables import build_table


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
