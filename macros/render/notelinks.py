"""The two-way links between a table's cells and its numbered notes, and the table's legend.

A cell's note mark is an anchor with an id; the note lists a way back to every cell that cites it,
each named for a screen reader ("Back to PostgreSQL 12, TLS 1.0"), so 75 notes under a matrix
lead somewhere, not only from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.load.i18n import t
from macros.render.tables import Span, Table, merged_cells, span_headers


@dataclass(frozen=True)
class BackLink:
    anchor: str  # the id of the note mark in the cell
    text: str  # short visible text, e.g. "12" when every cell of the note is in one column
    label: str  # what a screen reader says: "Back to PostgreSQL 12, TLS 1.0"
    folds: tuple[str, ...] = ()  # the cell's fold markers (fold_markers): hidden whenever it is


EOL, FOLDED = "tlskb-eol", "tlskb-folded"


def fold_markers(table: Table, row: int, column: int) -> tuple[str, ...]:
    """The classes that hide a cell until "Show all" is ticked (docs/stylesheets/tlskb.css): EOL
    for a version past its end of life (the cell's row, or its column in the settings tables),
    at every width; FOLDED for a column a phone folds. table.html.j2 marks the cell by the same
    facts (a row's marker on its <tr>), and a way back to the cell carries the same markers, so
    the one CSS rule that hides the cell hides every "↩" to it."""
    markers = []
    if table.rows[row].ended or (table.column_ended and table.column_ended[column]):
        markers.append(EOL)
    if table.column_folded and table.column_folded[column]:
        markers.append(FOLDED)
    return tuple(markers)


def cited_hidden(links: list[BackLink]) -> str:
    """When every way back of a note is hidden, what hides them all: EOL (its cells wait behind
    "Show all" at any width), FOLDED (on a phone only), or "" (some cell is always shown). The
    note stays listed and says so, rather than standing there without a way back."""
    if all(EOL in link.folds for link in links):
        return EOL
    if all(link.folds for link in links):
        return FOLDED
    return ""


def cell_anchor(table: Table, row_index: int, column_index: int, observed: bool = False) -> str:
    return f"{table.id}-r{row_index}-c{column_index}" + ("-observed" if observed else "")


def _named(kind: str, name: str) -> str:
    return f"{kind} {name}" if kind else name


def _citations(table: Table):
    """(note, anchor, span) for every note mark, in reading order: a run of identical cells shown
    once (tables.merged_cells) carries one mark."""
    for row_spans in merged_cells(table):
        for span in row_spans:
            if span.cell.note is not None:
                yield span.cell.note, cell_anchor(table, span.row, span.column), span
            if span.cell.observed is not None:
                yield span.cell.observed.note, cell_anchor(table, span.row, span.column, observed=True), span


def back_links(table: Table, key) -> dict:
    """note key -> [BackLink], for the notes list under the table (key: macros.render.html.note_key)."""
    cited: dict = {}
    for note, anchor, span in _citations(table):
        cited.setdefault(key(note), []).append((anchor, span))
    return {note: [_back_link(table, anchor, span, places) for anchor, span in places]
            for note, places in cited.items()}


def _back_link(table: Table, anchor: str, span: Span, places) -> BackLink:
    """The visible text names only what tells the cells of one note apart; the spoken name says
    the whole place and contains the visible text (WCAG 2.5.3, label in name)."""
    row_name, column_name = span_headers(table, span)
    label = t("notes.back", row=_named(table.row_kind, row_name),
              column=_named(table.column_kind, column_name))
    one_column = len({(s.column, s.columns) for _, s in places}) == 1
    one_row = len({(s.row, s.rows) for _, s in places}) == 1
    if len(places) == 1:
        text = ""
    elif one_column:
        text = row_name
    elif one_row:
        text = column_name
    else:
        text = t("notes.place", row=row_name, column=column_name)
        label = t("notes.back", row=row_name, column=column_name)
    # A run never mixes hidden and shown versions (tables._same_fold), so its first cell speaks
    # for all of it.
    return BackLink(anchor, text, label, fold_markers(table, span.row, span.column))


def legend_statuses(table: Table) -> list[str]:
    """The statuses the table's cells use, in a fixed order: what its legend explains."""
    used = {cell.status for row in table.rows for cell in row.cells if cell.status}
    return [status for status in LEGEND_ORDER if status in used] + sorted(used - set(LEGEND_ORDER))


LEGEND_ORDER = ("on", "conditional", "off", "unsupported", "removed", "unknown", "present", "absent")
