"""What a reader sees of a built page's content, as lines that two builds can be compared by.

Only the page's <title> and its main content, Material's <article class="md-content__inner">:
navigation, header, footer, search and scripts are the theme engine's chrome and differ between
MkDocs and Zensical by design. Standard library only (html.parser): no HTML package is in the lock.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

CONTENT_CLASS = "md-content__inner"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Tags after which a reader sees a new line: each ends one text line, so a diff points at a line.
BLOCKS = HEADINGS | {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tr",
                     "td", "th", "caption", "pre", "blockquote", "details", "summary", "figure",
                     "figcaption", "section", "form", "fieldset", "legend", "label", "select",
                     "option", "button", "br", "hr"}
INVISIBLE = {"script", "style", "template"}


def normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass
class PageContent:
    title: str = ""
    headings: list[str] = field(default_factory=list)  # "h2 #id text"
    cells: list[str] = field(default_factory=list)  # "table 3 row 2: a | b | c"
    text: list[str] = field(default_factory=list)  # the visible text, one line per block
    found: bool = False  # the page has a content element at all

    def lines(self) -> list[str]:
        return ([f"title: {self.title}"] + [f"heading: {h}" for h in self.headings]
                + [f"cell: {c}" for c in self.cells] + [f"text: {t}" for t in self.text])


@dataclass
class _Table:
    number: int  # in the page's order of opening
    rows: list[list[str]] = field(default_factory=list)
    cell: list[str] | None = None  # the text of the open cell

    def lines(self) -> list[str]:
        return [f"table {self.number} row {i}: {' | '.join(row)}" for i, row in enumerate(self.rows, 1)]


class _ContentReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = PageContent()
        self.in_head = False
        self.in_title = False
        self.title: list[str] = []
        self.articles = 0  # open <article> elements, counted from the content one
        self.invisible = 0
        self.in_pre = 0
        self.line: list[str] = []
        self.heading: tuple[str, str, list[str]] | None = None
        self.tables: list[_Table] = []  # open tables, innermost last
        self.table_count = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "title":
            self.in_title = self.in_head  # <head>'s only: an inline SVG icon may carry a <title> too
        if not self.articles:
            if tag == "article" and CONTENT_CLASS in (attrs.get("class") or "").split():
                self.articles, self.page.found = 1, True
            return
        self.articles += tag == "article"
        self.invisible += tag in INVISIBLE
        if tag in BLOCKS:
            self._end_line()
        self.in_pre += tag == "pre"
        if tag in HEADINGS:
            self.heading = (tag, attrs.get("id") or "", [])
        if tag == "table":
            self.table_count += 1
            self.tables.append(_Table(self.table_count))
        if tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        if tag in ("td", "th") and self.tables:
            self.tables[-1].cell = []

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "title":
            self.in_title = False
        if not self.articles:
            return
        if tag in BLOCKS:
            self._end_line()
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1
        if tag in INVISIBLE and self.invisible:
            self.invisible -= 1
        if self.heading and tag == self.heading[0]:
            level, anchor, words = self.heading
            self.page.headings.append(f"{level} #{anchor} {normalise(''.join(words))}")
            self.heading = None
        if tag in ("td", "th") and self.tables and self.tables[-1].cell is not None:
            table = self.tables[-1]
            if table.rows:
                table.rows[-1].append(normalise("".join(table.cell)))
            table.cell = None
        if tag == "table" and self.tables:
            self.page.cells += self.tables.pop().lines()
        if tag == "article":
            self.articles -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if not self.articles or self.invisible:
            return
        self.line.append(data)
        if self.heading:
            self.heading[2].append(data)
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.append(data)

    def _end_line(self):
        text, self.line = "".join(self.line), []
        # In code blocks the line breaks are what the reader sees; elsewhere they are only source layout.
        for line in text.splitlines() if self.in_pre else [text]:
            if normalise(line):
                self.page.text.append(normalise(line))

    def close(self):
        super().close()
        self._end_line()
        self.page.title = normalise("".join(self.title))


def page_content(html: str) -> PageContent:
    reader = _ContentReader()
    reader.feed(html)
    reader.close()
    return reader.page


def first_difference(name: str, expected: list[str], actual: list[str], labels: tuple[str, str],
                     lines: int = 20) -> str:
    """The start of a unified diff of two pages' lines, headed by the page's name ("" when equal)."""
    diff = list(difflib.unified_diff(expected, actual, fromfile=f"{labels[0]}: {name}",
                                     tofile=f"{labels[1]}: {name}", lineterm="", n=1))
    if not diff:
        return ""
    more = f"\n... ({len(diff) - lines} more diff lines)" if len(diff) > lines else ""
    return "\n".join(diff[:lines]) + more


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
