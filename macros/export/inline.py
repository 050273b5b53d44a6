"""Text as segments (plain text, `code`, [links](https://...)) for the formats to escape.

A note may carry only `code` and [text](https://...) links; macros.render.notemarkup splits them, so a
note says the same on the site and in every export. Each format renders the plain parts with its
own escaping, so text from the data can never turn into markup.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from macros.export.context import ExportContext
from macros.load.i18n import t
from macros.render.html import note_key, source_label
from macros.render.notemarkup import Segment, segments
from macros.render.tables import Note, Table, TableCell, TableRow


def linked(text: str, url: str | None) -> Segment:
    """A link when there is somewhere to go (see ExportContext.link), plain text otherwise."""
    return Segment("link", text, url) if url else Segment("text", text)


def column_heads(table: Table, context: ExportContext) -> list[Segment]:
    links = table.column_links or (None,) * len(table.columns)
    return [linked(name, context.link(path)) for name, path in zip(table.columns, links)]


def row_head(row: TableRow, context: ExportContext) -> Segment:
    """As on the site: a version links to its page; a setting name is code."""
    return linked(row.header, context.link(row.link)) if row.link else Segment("code", row.header)


def one_line(text: str) -> str:
    """Newlines and runs of spaces as one space, as HTML shows them; the ends are kept."""
    return re.sub(r"\s+", " ", text)


def safe_url(url: str) -> str:
    """Percent-encode what would end or break a link in some wiki syntax ( ) [ ] { } | < > ...

    Everything else, including existing %XX escapes, stays as written.
    """
    return quote(url, safe="/:?#@&=;,$%*+-._")


def attribution(table: Table, context: ExportContext) -> tuple[Segment, ...]:
    """ "Source: <link to the table's page>, data version 2026-11-29+3f2a9c1b7d4e." """
    label = t("export.attribution_link", site=context.site_name, title=table.title)
    # The sentence's word order belongs to the locale; split it around the link.
    before, after = t("export.attribution", link="\0", version=context.data_version.label).split("\0")
    return (Segment("text", before), linked(label, context.link(context.page)), Segment("text", after))


def note_items(note: Note) -> list[tuple[str, tuple[Segment, ...]]]:
    """A note's sentences as (label, text) pairs, as the site lists them."""
    return [(label, segments(text)) for label, text in note.parts]


def source_links(note: Note) -> tuple[Segment, ...]:
    return tuple(Segment("link", source_label(s), s.href) for s in note.sources)


def note_number(numbers: dict, cell: TableCell) -> int | None:
    return numbers[note_key(cell.note)] if cell.note is not None else None


def observed_number(numbers: dict, cell: TableCell) -> int | None:
    """The footnote of a cell's "observed" mark (a real handshake covered it), if any."""
    observed = cell.observed
    return numbers[note_key(observed.note)] if observed is not None and observed.note is not None else None
