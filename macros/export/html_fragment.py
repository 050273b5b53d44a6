"""An HTML fragment with inline styles: pastes cleanly into Confluence's editor, a CMS or an email.

Rendered by macros.render.html's autoescaping environment, with its `inline` and `sources` filters: the
same escaping and the same note markup as the site's own table.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from macros.export import style
from macros.export.context import ExportContext
from macros.export.inline import attribution, note_number, observed_number, safe_url
from macros.render.html import environment, number_notes
from macros.render.notemarkup import Segment
from macros.render.tables import Table


def segments_html(found: tuple[Segment, ...]) -> Markup:
    parts = []
    for segment in found:
        if segment.kind == "link":
            parts.append(Markup('<a href="{}">{}</a>').format(safe_url(segment.url), segment.text))
        elif segment.kind == "code":
            parts.append(Markup("<code>{}</code>").format(segment.text))
        else:
            parts.append(escape(segment.text))
    return Markup("").join(parts)


def render(table: Table, context: ExportContext) -> str:
    numbers, notes = number_notes(table)
    return environment().get_template("export_fragment.html.j2").render(
        table=table, notes=notes, number=lambda cell: note_number(numbers, cell),
        observed_number=lambda cell: observed_number(numbers, cell),
        href=context.link, style=style, attribution=segments_html(attribution(table, context)))
