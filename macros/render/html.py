"""HTML rendering with the project's own Jinja environment: autoescaped, strict, trimmed.

mkdocs-macros' environment escapes nothing, so tables and pages are rendered here and handed to
it as finished text. Text from data files is always escaped; the only markup a note may carry is
`code` and [links](https://...), rebuilt here from the escaped text.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from macros.load.i18n import localize, t
from macros.model.common import Source
from macros.render.notelinks import (
    EOL,
    back_links,
    cell_anchor,
    cited_hidden,
    fold_markers,
    legend_statuses,
)
from macros.render.notemarkup import segments
from macros.render.tables import Note, Table, merged_cells, span_headers

TEMPLATES = Path(__file__).parent / "templates"


Linker = Callable[[str], str]  # site path ("postgresql/13/") -> href for the current page


def same_path(path: str) -> str:
    return path


@functools.cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["t"] = t
    env.filters["inline"] = inline_html
    env.filters["plain_inline"] = functools.partial(inline_html, soft_breaks=False)
    env.filters["localize"] = localize
    env.filters["sources"] = sources_html
    env.filters["plain_sources"] = functools.partial(sources_html, soft_breaks=False)
    env.filters["breakable"] = breakable_html
    env.filters["soft_breaks"] = soft_breaks_html
    env.filters["column_heading"] = column_heading_html
    return env


def inline_html(text: str, soft_breaks: bool = True) -> Markup:
    """Escape free text, keeping only `code` spans and https links as markup. On the site, code may
    wrap at its natural seams (soft_breaks_html); a file for another tool (the `plain_inline` filter:
    an HTML fragment, Confluence storage XML) gets the code as it is."""
    parts = []
    for segment in segments(text):
        if segment.kind == "code":
            code = soft_breaks_html(segment.text) if soft_breaks else segment.text
            parts.append(Markup("<code>{}</code>").format(code))
        elif segment.kind == "link":
            parts.append(Markup('<a href="{}">{}</a>').format(segment.url, segment.text))
        else:
            parts.append(escape(segment.text))
    return Markup("").join(parts)


def soft_breaks_html(text: str) -> Markup:
    """Code or a setting name that may wrap after `_ / \\ : = @` ("ssl_passphrase_<wbr>command",
    "handshake_<wbr>failure"), where a reader sees a natural seam, never inside a word; the
    stylesheet keeps table cells from breaking anywhere else (Material lets them break at any
    letter, which shrank columns mid-word)."""
    return Markup(_SOFT_BREAK.sub(r"\1<wbr>", str(escape(text))))


_SOFT_BREAK = re.compile(r"([_/\\:=@])(?=[^\s_/\\:=@])")


def breakable_html(text: str) -> Markup:
    """Cell text that may wrap after a colon or a comma ("HIGH:<wbr>MEDIUM:<wbr>…"), so a long value
    does not widen its column; words themselves never break."""
    return Markup(_BREAK_AFTER.sub(r"\1<wbr>", str(escape(text))))


_BREAK_AFTER = re.compile(r"([:,])(?=\S)")


def column_heading_html(text: str) -> Markup:
    """A protocol column's heading with the name PostgreSQL's settings use on a line of its own
    ("TLS 1.1" over "(TLSv1.1)"), in a span a narrow screen sets smaller: the bold spelling was
    what kept the phone's matrix wider than the phone. Any other heading is an identifier."""
    found = _ALIAS.fullmatch(str(text))
    if not found:
        return soft_breaks_html(text)
    return Markup('{} <span class="tlskb-alias">{}</span>').format(found[1], found[2])


_ALIAS = re.compile(r"(.+) (\([^()]+\))")


def source_label(source: Source) -> str:
    return localize(source.title) or source.reference


# A full commit id in a label shows as its first 12 digits, as git abbreviates it; the link keeps it whole.
_FULL_COMMIT = re.compile(r"\b([0-9a-f]{12})[0-9a-f]{28}\b")


def sources_html(sources, soft_breaks: bool = True) -> Markup:
    """Linked source titles; on the site they may wrap after `_ / :` (see inline_html)."""
    labels = [_FULL_COMMIT.sub(r"\1", source_label(s)) for s in sources]
    links = [Markup('<a href="{}">{}</a>').format(s.href, soft_breaks_html(label) if soft_breaks else label)
             for s, label in zip(sources, labels)]
    return Markup("; ").join(links)


def note_key(note: Note):
    return (note.parts, tuple((s.href, source_label(s)) for s in note.sources))


def number_notes(table: Table, default_view_first: bool = False) -> tuple[dict, list[Note]]:
    """Footnote numbers by first appearance in reading order; cells with the same note share a number.

    The notes of "✓ observed" marks come after the others, so adding an observation does not
    renumber the notes readers already cite.

    default_view_first (the site's table): the notes that the cells shown before "Show all" cite
    come first, so the list under a matrix opens with the notes of the current majors rather than
    with notes of rows the reader does not see; then the notes only end-of-life cells cite. What a
    phone alone folds (SSL 2.0/3.0, the setting columns) is shown at the default 1280 px view, so
    it keeps its place. The exports (macros/export/) show every row and column with no "Show all",
    so they keep plain reading order: their numbers, the JSON API's "note" among them, do not
    change when a major reaches its end of life.
    """
    cells = [(r, c, cell) for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells)]
    marks = [(r, c, cell.note, False) for r, c, cell in cells if cell.note is not None]
    marks += [(r, c, cell.observed.note, True) for r, c, cell in cells
              if cell.observed and cell.observed.note is not None]

    def part(mark) -> tuple[bool, bool]:
        r, c, _, observed = mark
        folded = default_view_first and EOL in fold_markers(table, r, c)
        return folded, observed

    numbers: dict = {}
    ordered: list[Note] = []
    for _, _, note, _ in sorted(marks, key=part):  # stable: reading order within each part
        if note_key(note) not in numbers:
            numbers[note_key(note)] = len(ordered) + 1
            ordered.append(note)
    return numbers, ordered


def render_table(table: Table, link: Linker = same_path, embed=None) -> str:
    """embed: the "Embed / download" block's content (macros.export.site_block), or None."""
    numbers, notes = number_notes(table, default_view_first=True)
    backs = back_links(table, note_key)
    html = environment().get_template("table.html.j2").render(
        table=table, notes=notes, number=lambda note: numbers[note_key(note)], link=link, embed=embed,
        back_links=lambda note: backs[note_key(note)], cited_hidden=cited_hidden, anchor=functools.partial(cell_anchor, table),
        legend=legend_statuses(table), hidden_rows=sum(row.ended for row in table.rows),
        hidden_columns=sum(table.column_ended), spans=merged_cells(table),
        span_range=functools.partial(span_range, table),
        folded=[c for c, folded in zip(table.columns, table.column_folded) if folded])
    return _no_blank_lines(html)


def span_range(table: Table, span) -> str:
    """What a merged cell covers, said before its text to a screen reader ("PostgreSQL 15–17:"):
    a cell spanning columns is not announced with every header it sits under."""
    if span.rows == span.columns == 1:
        return ""
    row_name, column_name = span_headers(table, span)
    kind, name = (table.row_kind, row_name) if span.rows > 1 else (table.column_kind, column_name)
    return f"{kind} {name}:" if kind else f"{name}:"


def render_fragment(template: str, **context) -> str:
    return _no_blank_lines(environment().get_template(template).render(**context))


def _no_blank_lines(html: str) -> str:
    # A blank line would end Markdown's raw-HTML block and let it reinterpret the rest. A line of
    # data text starting with ``` or ~~~ would open a code fence (superfences reads fences even
    # inside HTML blocks) and swallow the page: its first mark becomes a character reference.
    lines = (_FENCE_START.sub(lambda m: f"{m[1]}&#{ord(m[2])};", line)
             for line in html.splitlines() if line.strip())
    return "\n".join(lines) + "\n"


_FENCE_START = re.compile(r"^(\s*)([`~])(?=\2\2)")
