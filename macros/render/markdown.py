"""Markdown rendering, for pages that need Markdown itself: content tabs and fenced code.

The setup guides and the platform tabs are Markdown (Material's tabs and code blocks only
exist there), so they cannot go through the HTML environment of macros/render/html.py. This
environment escapes every printed value for Markdown unless it is `Md` (already Markdown):
a template that forgets a filter prints too little markup, never a data file's markup.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from macros.load.i18n import localize, t
from macros.render.html import source_label
from macros.render.notemarkup import segments

TEMPLATES = Path(__file__).parent / "templates"

# Python-Markdown's backslash escapes; a backslash before any other character would print.
_ESCAPED = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


class Md(str):
    """Text that is already Markdown: printed as it is."""


def _one_line(text) -> str:
    # Inline text must not start a Markdown block: a line break could open a fence (~~~), a
    # heading underline (===), a table or an indented code block.
    return _LINE_BREAK.sub(" ", str(text))


def escape(text) -> Md:
    """Plain text -> Markdown that shows exactly that text, on one line."""
    text = "".join(_HTML.get(c, c) for c in _one_line(text))
    text = _ESCAPED.sub(r"\\\1", text)
    # "=" has no backslash escape; at the start of a line, "===" would open a content tab.
    return Md("&#61;" + text[1:] if text.startswith("=") else text)


def code(text) -> Md:
    """An inline code span, with a fence longer than any backtick run inside."""
    text = _one_line(text)
    ticks = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Md(f"{ticks}{pad}{text}{pad}{ticks}")


def inline(text) -> Md:
    """Free text from a data file: escaped, with `code` and [links](https://...) kept."""
    out = []
    for segment in segments(str(text)):
        if segment.kind == "code":
            out.append(code(segment.text))
        elif segment.kind == "link":
            out.append(f"[{escape(segment.text)}]({_href(segment.url)})")
        else:
            out.append(escape(segment.text))
    return Md("".join(out))


def fence(text, language: str = "text", title: str | None = None) -> Md:
    """A fenced code block; the content is printed verbatim."""
    text = str(text).rstrip("\n")
    ticks = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    attributes = f' title="{title}"' if title else ""
    return Md(f"{ticks}{language}{attributes}\n{text}\n{ticks}\n")


def sources(items) -> Md:
    """Markdown links to sources, separated by semicolons."""
    return Md("; ".join(f"[{escape(source_label(s))}]({_href(s.href)})" for s in items))


def _href(url: str) -> str:
    # Percent-encode what could end the Markdown link or the HTML attribute early: parentheses,
    # quotes, angle brackets, backslashes, backticks, spaces. Existing %XX escapes stay.
    return quote(url, safe=":/?#[]@!$&*+,;=%~-._")


def tab_title(text) -> Md:
    """The quoted title of a content tab (=== "..."): no raw double quote may end it early."""
    return Md(escape(text).replace('"', "&quot;"))


def words(key: str, **params) -> Md:
    """A sentence from the locale file (Markdown written by us), with escaped parameters."""
    return Md(t(key, **{name: value if isinstance(value, Md) else escape(value)
                        for name, value in params.items()}))


def _finalize(value):
    return value if isinstance(value, Md) else escape("" if value is None else value)


@functools.cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=False, finalize=_finalize, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["t"] = words
    env.filters.update(code=code, inline=inline, fence=fence, sources=sources,
                       text=lambda value: inline(localize(value)), tab_title=tab_title,
                       # Only for text the template rendered itself (a macro's caller()): its
                       # values went through this environment's escaping already.
                       rendered=Md)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
