"""Runs of identical cells shown once ("15–17: HIGH:MEDIUM:+3DES:!aNULL"), only where the reader
loses nothing: the same text, status, note and sources, never across "show all" or a phone's fold.
The site merges; the exports keep one cell per version."""

from __future__ import annotations

import re

import pytest

from macros.model.common import Source
from macros.render.html import render_table
from macros.render.tables import (
    TABLE_IDS,
    Note,
    Span,
    Table,
    TableCell,
    TableRow,
    build_table,
    merged_cells,
    span_headers,
)


def note(text: str, sources=()) -> Note:
    return Note((("", text),), tuple(sources))


def settings_like(cells: list[TableCell], ended=None, folded=None) -> Table:
    """One setting row across majors 13..13+n, versions along the columns like the settings table."""
    majors = tuple(str(13 + i) for i in range(len(cells)))
    return Table("t", "T", "Setting", majors, (TableRow("ssl_ciphers", None, (), tuple(cells)),), "2026-01-01",
                 column_ended=tuple(ended or (False,) * len(cells)),
                 column_folded=tuple(folded or (False,) * len(cells)),
                 row_kind="", column_kind="PostgreSQL", versions_along="columns")


def widths(table: Table) -> list[int]:
    return [span.columns for span in merged_cells(table)[0]]


def test_identical_neighbours_become_one_cell():
    same = TableCell("HIGH:MEDIUM", "present", note("cipher list"))
    table = settings_like([same, same, same])
    assert merged_cells(table) == ((Span(same, 0, 0, columns=3),),)
    assert span_headers(table, merged_cells(table)[0][0]) == ("ssl_ciphers", "13–15")


def test_a_run_broken_by_a_differing_note_does_not_merge():
    first, other = note("needs a restart"), note("a reload is enough")
    cells = [TableCell("HIGH:MEDIUM", "present", first), TableCell("HIGH:MEDIUM", "present", first),
             TableCell("HIGH:MEDIUM", "present", other), TableCell("HIGH:MEDIUM", "present", first)]
    assert widths(settings_like(cells)) == [2, 1, 1]


def test_a_run_broken_by_differing_sources_does_not_merge():
    a = (Source(url="https://www.postgresql.org/docs/15/", title={"en": "PostgreSQL 15 documentation"}),)
    b = (Source(url="https://www.postgresql.org/docs/16/", title={"en": "PostgreSQL 16 documentation"}),)
    cells = [TableCell("on", "present", note("same words", a)), TableCell("on", "present", note("same words", b))]
    assert widths(settings_like(cells)) == [1, 1]


def test_a_run_never_crosses_show_all_or_the_phone_fold():
    same = TableCell("(empty)", "present", note("no file"))
    assert widths(settings_like([same] * 4, ended=(True, True, False, False))) == [2, 2]
    assert widths(settings_like([same] * 4, folded=(True, False, False, False))) == [1, 3]


def test_rows_merge_down_a_column_only_within_end_of_life_or_current():
    same = TableCell("TLSv1.2", "present", note("default"))
    rows = tuple(TableRow(major, None, (), (same,), ended=major in ("13", "14")) for major in ("13", "14", "15", "16"))
    table = Table("t", "T", "PostgreSQL", ("ssl_min_protocol_version",), rows, "2026-01-01",
                  row_kind="PostgreSQL", versions_along="rows")
    spans = merged_cells(table)
    assert [[(s.row, s.rows) for s in row] for row in spans] == [[(0, 2)], [], [(2, 2)], []]
    assert span_headers(table, spans[2][0]) == ("15–16", "ssl_min_protocol_version")


def test_a_table_without_a_version_axis_is_never_merged():
    same = TableCell("Yes", "on", note("builds"))
    table = Table("t", "T", "OpenSSL", ("PostgreSQL 13",),
                  tuple(TableRow(s, None, (), (same,)) for s in ("3.0", "3.1")), "2026-01-01")
    assert [len(row) for row in merged_cells(table)] == [1, 1]


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_every_cell_is_shown_exactly_once_and_a_span_covers_only_its_equals(dataset, table_id):
    table = build_table(dataset, table_id)
    covered = {}
    for row_spans in merged_cells(table):
        for span in row_spans:
            for r in range(span.row, span.row + span.rows):
                for c in range(span.column, span.column + span.columns):
                    assert (r, c) not in covered, (table_id, r, c)
                    covered[(r, c)] = span
                    assert table.rows[r].cells[c] == span.cell, (table_id, r, c)
                    assert table.rows[r].ended == table.rows[span.row].ended
    assert len(covered) == len(table.rows) * len(table.columns)


def test_the_cipher_default_is_said_once_per_note_in_the_settings_table(dataset):
    # The example: HIGH:MEDIUM:+3DES:!aNULL in 13 cells. Runs: 9.4–9.6 (restart), 10–14 and
    # 15–17 (one note, split at the end-of-life boundary), 18–19 (a different note).
    table = build_table(dataset, "server-settings")
    row = next(i for i, r in enumerate(table.rows) if r.header == "ssl_ciphers")
    spans = merged_cells(table)[row]
    assert [span_headers(table, s)[1] for s in spans] == ["9.4–9.6", "10–14", "15–17", "18–19"]
    html = render_table(table)
    assert html.count(">HIGH:<wbr>MEDIUM:<wbr>+3DES:<wbr>!aNULL<") == 4
    assert re.search(r'<td colspan="3" class="tlskb-present"><span class="tlskb-range">PostgreSQL 15–17: </span>'
                     r'HIGH:<wbr>MEDIUM', html)


def test_a_merged_cell_has_one_way_back_named_for_its_range(dataset):
    html = render_table(build_table(dataset, "server-settings"))
    assert 'aria-label="Back to ssl_ciphers, PostgreSQL 15–17">↩&nbsp;15–17</a>' in html
