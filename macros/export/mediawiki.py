"""MediaWiki markup: a wikitable with one cell per line, a numbered list of notes, the attribution.

Text with any character wikitext could read as markup is put in <nowiki> with < > & written as
character references, which MediaWiki shows as the characters themselves.
"""

from __future__ import annotations

import html
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
from macros.export.style import STATUS_BACKGROUND
from macros.load.i18n import t
from macros.render.html import number_notes
from macros.render.notemarkup import Segment
from macros.render.tables import Table, TableCell, TableRow

# Single characters that start markup ([[link]], {{template}}, | cell separators, <tags>, &refs)
# and sequences that do (!! header cells, ~~~ signatures, __MAGIC__ words). An apostrophe
# counts alone: next to our own ''' bold it would change the quote count.
_SPECIAL = re.compile(r"[\[\]{}|<>&']|!!|~~~|__")


def escape(text: str) -> str:
    text = one_line(text)
    if not _SPECIAL.search(text):
        return text
    return f"<nowiki>{html.escape(text, quote=False)}</nowiki>"


def code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def inline(found: tuple[Segment, ...]) -> str:
    parts = []
    for segment in found:
        if segment.kind == "link":
            parts.append(f"[{safe_url(segment.url)} {escape(segment.text)}]")
        elif segment.kind == "code":
            parts.append(code(segment.text))
        else:
            parts.append(escape(segment.text))
    return "".join(parts)


def _row_header(row: TableRow, context: ExportContext) -> str:
    return inline((row_head(row, context),)) + "".join(f" ({escape(mark)})" for mark in row.marks)


def _marker(number: int | None) -> str:
    return f"<sup>{number}</sup>" if number else ""


def _cell(cell: TableCell, numbers: dict, context: ExportContext) -> str:
    text = escape(cell.text) + _marker(note_number(numbers, cell))
    if cell.observed:
        mark = linked(cell.observed.text, context.link(cell.observed.link))
        text += "<br />" + inline((mark,)) + _marker(observed_number(numbers, cell))
    return text


def render(table: Table, context: ExportContext) -> str:
    numbers, notes = number_notes(table)
    lines = ['{| class="wikitable"', f"|+ {escape(table.title)}", "|-", f"! {escape(table.corner)}"]
    lines += ["! " + inline((head,)) for head in column_heads(table, context)]
    for row in table.rows:
        lines += ["|-", f"! {_row_header(row, context)}"]
        for cell in row.cells:
            colour = STATUS_BACKGROUND.get(cell.status)
            attributes = f'style="background:{colour}" | ' if colour else ""
            lines.append(f"| {attributes}{_cell(cell, numbers, context)}")
    lines.append("|}")
    if notes:
        lines += ["", f"'''{escape(t('notes_heading'))}'''"]
        for note in notes:
            words = [(f"'''{escape(label)}''' " if label else "") + inline(text) for label, text in note_items(note)]
            if note.sources:
                words.append(escape(t("sources")) + " " + "; ".join(inline((s,)) for s in source_links(note)))
            lines.append("# " + " ".join(words))
    lines += ["", f"<small>{inline(attribution(table, context))}</small>"]
    return "\n".join(lines) + "\n"
