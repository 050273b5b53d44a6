"""Confluence storage format: the XHTML Confluence keeps pages in (REST API, source editor).

Well-formed XML: every text is escaped by the autoescaping environment and every element closed.
Status colours use Confluence's own cell attribute, data-highlight-colour.
"""

from __future__ import annotations

from macros.export.context import ExportContext
from macros.export.html_fragment import segments_html
from macros.export.inline import attribution, note_number, observed_number
from macros.export.style import STATUS_BACKGROUND
from macros.render.html import environment, number_notes
from macros.render.tables import Table


def render(table: Table, context: ExportContext) -> str:
    numbers, notes = number_notes(table)
    return environment().get_template("export_confluence.xml.j2").render(
        table=table, notes=notes, number=lambda cell: note_number(numbers, cell),
        observed_number=lambda cell: observed_number(numbers, cell),
        href=context.link, colours=STATUS_BACKGROUND,
        attribution=segments_html(attribution(table, context)))
