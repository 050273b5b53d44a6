"""Confluence wiki markup: what Confluence's Insert > Markup dialog (and Jira) accepts.

A table of `||heading||` and `|cell|` lines, a numbered list of notes, the attribution. Wiki
markup has no cell colours, so the status lives in the words alone (as it does on the site).

Escaping: every character that starts markup (* _ ? - + ^ ~ | [ ] { } ! # and the ( ) of
emoticons such as (i) or (/)) gets a backslash, which the renderer drops. The backslash itself
and & are written as character references (a bare "\\\\" is a line break, "&x;" an entity), and so
is the : or ; of a :D or ;P emoticon (the other emoticons end in an escaped parenthesis).
"""

from __future__ import annotations

from macros.export.context import ExportContext
from macros.export.inline import (
    attribution,
    column_heads,
    linked,
    note_items,
    note_number,
    observed_number,
    one_line,
    row_head,
    safe_url,
    source_links,
)
from macros.load.i18n import t
from macros.render.html import number_notes
from macros.render.notemarkup import Segment
from macros.render.tables import Table, TableCell, TableRow

SPECIAL = frozenset("*_?-+^~|[]{}!#()")
REFERENCES = {"\\": "&#92;", "&": "&amp;"}
_EMOTICON_END = frozenset("PpDd")


def _escape_char(c: str, following: str) -> str:
    if c in REFERENCES:
        return REFERENCES[c]
    if c in ":;" and following in _EMOTICON_END:
        return f"&#{ord(c)};"
    return "\\" + c if c in SPECIAL else c


def escape(text: str) -> str:
    text = one_line(text)
    return "".join(_escape_char(c, text[i + 1:i + 2]) for i, c in enumerate(text))


def cell_text(text: str) -> str:
    """An empty cell needs a space: `||` would start a heading cell."""
    return text if text.strip() else " "


def inline(found: tuple[Segment, ...]) -> str:
    parts = []
    for segment in found:
        if segment.kind == "link":
            parts.append(f"[{escape(segment.text)}|{safe_url(segment.url)}]")
        elif segment.kind == "code":
            parts.append("{{" + escape(segment.text) + "}}" if segment.text.strip() else escape(segment.text))
        else:
            parts.append(escape(segment.text))
    return "".join(parts)


def _marker(number: int | None) -> str:
    return f"^{number}^" if number else ""


def _row_header(row: TableRow, context: ExportContext) -> str:
    return inline((row_head(row, context),)) + "".join(f" \\({escape(mark)}\\)" for mark in row.marks)


def _cell(cell: TableCell, numbers: dict, context: ExportContext) -> str:
    text = escape(cell.text) + _marker(note_number(numbers, cell))
    if cell.observed:
        mark = linked(cell.observed.text, context.link(cell.observed.link))
        text += " " + inline((mark,)) + _marker(observed_number(numbers, cell))
    return cell_text(text)


def render(table: Table, context: ExportContext) -> str:
    numbers, notes = number_notes(table)
    heads = [escape(table.corner)] + [inline((head,)) for head in column_heads(table, context)]
    lines = [f"*{escape(table.title)}*", "", "||" + "||".join(cell_text(h) for h in heads) + "||"]
    for row in table.rows:
        cells = [_cell(cell, numbers, context) for cell in row.cells]
        lines.append("||" + cell_text(_row_header(row, context)) + "|" + "|".join(cells) + "|")
    if notes:
        lines += ["", f"*{escape(t('notes_heading'))}*"]
        for note in notes:
            words = [(f"*{escape(label)}* " if label else "") + inline(text) for label, text in note_items(note)]
            if note.sources:
                words.append(escape(t("sources")) + " " + "; ".join(inline((s,)) for s in source_links(note)))
            lines.append("# " + " ".join(words))
    lines += ["", inline(attribution(table, context))]
    return "\n".join(lines) + "\n"
