"""CSV: one line per cell of the table (a version × a protocol, a setting × a major, ...).

RFC 4180 through the csv module (CRLF line ends, quotes only where needed), UTF-8 without a byte
order mark. A cell that a spreadsheet would run as a formula gets a leading apostrophe.
Named csv_file because a module called csv would shadow the standard library's in this package.
"""

from __future__ import annotations

import csv
import io

from macros.export.context import ExportContext
from macros.render.html import source_label
from macros.render.tables import Note, Table

HEADER = ("row", "row_marks", "column", "status", "text", "condition", "note", "sources", "observed")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Excel, LibreOffice and Sheets run a cell starting with = + - @ (or tab, CR) as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def note_text(note: Note | None) -> str:
    if note is None:
        return ""
    return " ".join(f"{label} {text}" if label else text for label, text in note.parts)


def sources_text(note: Note | None) -> str:
    """One source a line: "title <url>"."""
    if note is None:
        return ""
    return "\n".join(f"{source_label(s)} <{s.href}>" for s in note.sources)


def render(table: Table, context: ExportContext) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in table.rows:
        for column, cell in zip(table.columns, row.cells):
            condition = cell.text if cell.status == "conditional" else ""
            observed = note_text(cell.observed.note) if cell.observed else ""
            values = (row.header, "; ".join(row.marks), column, cell.status or "", cell.text, condition,
                      note_text(cell.note), sources_text(cell.note), observed)
            writer.writerow([neutralise(v) for v in values])
    return buffer.getvalue()
