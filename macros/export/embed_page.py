"""The standalone page an iframe shows (/embed/<table>/), and the snippet that embeds it.

No site chrome, no stylesheet, no external script: the HTML fragment in a bare page, plus a few
lines of inline script that tell the parent page its height (postMessage) so the iframe can fit.
"""

from __future__ import annotations

from markupsafe import Markup

from macros.export import html_fragment
from macros.export.context import ExportContext
from macros.load.i18n import DEFAULT_LANGUAGE
from macros.render.html import environment
from macros.render.tables import Table

MESSAGE_TYPE = "tlskb-embed-height"


def path(table_id: str, variant: str = "all") -> str:
    """embed/<table>/ for the whole table, embed/<table>/<variant>/ for the others."""
    return f"embed/{table_id}/" if variant == "all" else f"embed/{table_id}/{variant}/"


def page_root(table_id: str, variant: str = "all") -> str:
    """From the embed page back to the site root, for links when there is no site_url."""
    return "../" * path(table_id, variant).count("/")


def render(table: Table, context: ExportContext) -> str:
    """The page itself; relative links lead from its place in the site."""
    if not context.root:
        context = context.with_root(page_root(table.id, context.variant))
    return environment().get_template("embed_page.html.j2").render(
        table=table, language=DEFAULT_LANGUAGE, message_type=MESSAGE_TYPE,
        fragment=Markup(html_fragment.render(table, context)))


def render_iframe(table: Table, context: ExportContext) -> str:
    """The `iframe` format: what to paste where HTML with a script is allowed."""
    return environment().get_template("embed_iframe.html.j2").render(
        table=table, src=context.url(path(table.id, context.variant)), message_type=MESSAGE_TYPE)
