"""GitHub-flavoured Markdown: a pipe table, numbered notes under it, and the attribution.

Plain text is escaped character by character: backslash escapes for Markdown's own punctuation,
and character references for < > & ~ $ (HTML, strikethrough, GitHub math), which every
Markdown flavour reads the same way.
"""

from __future__ import annotations

import re

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

_ESCAPES = {c: "\\" + c for c in "\\`*_{}[]#|"} | {
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;", "$": "&#36;"}


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in one_line(text))


def code(text: str, in_table: bool) -> str:
    text = one_line(text)
    if in_table and "|" in text:
        # GFM wants \| inside a code span in a table, other flavours print the backslash:
        # plain escaped text reads right everywhere.
        return escape(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def inline(found: tuple[Segment, ...], in_table: bool = False) -> str:
    parts = []
    for segment in found:
        if segment.kind == "link":
            parts.append(f"[{escape(segment.text)}]({safe_url(segment.url)})")
        elif segment.kind == "code":
            parts.append(code(segment.text, in_table))
        else:
            parts.append(escape(segment.text))
    return "".join(parts)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _row_header(row: TableRow, context: ExportContext) -> str:
    return inline((row_head(row, context),), True) + "".join(f" ({escape(mark)})" for mark in row.marks)


def _marker(number: int | None) -> str:
    return f" \\[{number}\\]" if number else ""


def _cell(cell: TableCell, numbers: dict, context: ExportContext) -> str:
    text = escape(cell.text) + _marker(note_number(numbers, cell))
    if cell.observed:
        mark = linked(cell.observed.text, context.link(cell.observed.link))
        text += " " + inline((mark,), True) + _marker(observed_number(numbers, cell))
    return text


def render(table: Table, context: ExportContext) -> str:
    numbers, notes = number_notes(table)
    columns = [inline((head,), True) for head in column_heads(table, context)]
    lines = [f"**{escape(table.title)}**", "",
             _line([escape(table.corner)] + columns), _line(["---"] * (len(columns) + 1))]
    for row in table.rows:
        cells = [_cell(cell, numbers, context) for cell in row.cells]
        lines.append(_line([_row_header(row, context)] + cells))
    if notes:
        lines += ["", f"**{escape(t('notes_heading'))}**", ""]
        for number, note in enumerate(notes, start=1):
            words = [(f"**{escape(label)}** " if label else "") + inline(text) for label, text in note_items(note)]
            if note.sources:
                words.append(escape(t("sources")) + " " + "; ".join(inline((s,)) for s in source_links(note)))
            lines.append(f"{number}. " + " ".join(words))
    lines += ["", inline(attribution(table, context))]
    return "\n".join(lines) + "\n"
