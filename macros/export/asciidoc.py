"""AsciiDoc (Asciidoctor): a table with one cell per line, a numbered list of notes, the attribution.

AsciiDoc has markup in almost every punctuation mark (*bold*, _italic_, {attribute}, +pass+,
`mono`, -- and (C) replacements, macros such as link:). Text made only of letters, digits and a
few harmless marks is written as is; anything else goes through pass:c[...], which shows the text
literally with only < > & escaped for HTML.
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

# Letters (any script), digits, spaces and marks with no meaning in AsciiDoc...
_BARE = re.compile(r"(?:[^\W_]|[ ,.;:/!?%()≥≤×—-])*")
# ...unless they form a typographic replacement or an autolink.
_REPLACED = ("..", "--", "->", "(C)", "(R)", "(TM)", "://")


def escape(text: str, in_table: bool = False) -> str:
    text = one_line(text)
    if _BARE.fullmatch(text) and not any(r in text for r in _REPLACED):
        return text
    body = text.replace("]", "\\]")
    if in_table:
        body = body.replace("|", "\\|")  # the table parser splits cells before passthroughs
    if body.endswith("\\"):
        body += " "  # a final backslash would escape the closing bracket
    return f"pass:c[{body}]"


def link(url: str, label: str, in_table: bool = False) -> str:
    # ++...++ keeps _ * # ~ in the address from being read as formatting; a + would end it early.
    target = safe_url(url).replace("+", "%2B")
    if in_table:
        target = target.replace("|", "%7C")
    return f"link:++{target}++[{escape(label, in_table)}]"


def inline(found: tuple[Segment, ...], in_table: bool = False) -> str:
    parts = []
    for segment in found:
        if segment.kind == "link":
            parts.append(link(segment.url, segment.text, in_table))
        elif segment.kind == "code":
            parts.append(f"``{escape(segment.text, in_table)}``")
        else:
            parts.append(escape(segment.text, in_table))
    return "".join(parts)


def _row_header(row: TableRow, context: ExportContext) -> str:
    return inline((row_head(row, context),), True) + "".join(f" {escape(f'({mark})', True)}" for mark in row.marks)


def _marker(number: int | None) -> str:
    return f"^{number}^" if number else ""


def _cell(cell: TableCell, numbers: dict, context: ExportContext) -> str:
    text = escape(cell.text, True) + _marker(note_number(numbers, cell))
    if cell.observed:
        mark = linked(cell.observed.text, context.link(cell.observed.link))
        text += " " + inline((mark,), True) + _marker(observed_number(numbers, cell))
    return text


def render(table: Table, context: ExportContext) -> str:
    numbers, notes = number_notes(table)
    lines = [f".{escape(table.title.strip())}", f'[cols="1h,{len(table.columns)}*",options="header"]', "|===",
             f"|{escape(table.corner, True)}"]
    lines += ["|" + inline((head,), True) for head in column_heads(table, context)]
    for row in table.rows:
        lines += ["", f"|{_row_header(row, context)}"]
        lines += [f"|{_cell(cell, numbers, context)}" for cell in row.cells]
    lines.append("|===")
    if notes:
        lines += ["", f".{escape(t('notes_heading').strip())}"]
        for note in notes:
            words = [(f"**{escape(label)}** " if label else "") + inline(text) for label, text in note_items(note)]
            if note.sources:
                words.append(escape(t("sources")) + " " + "; ".join(inline((s,)) for s in source_links(note)))
            lines.append(". " + " ".join(words))
    lines += ["", inline(attribution(table, context))]
    return "\n".join(lines) + "\n"
