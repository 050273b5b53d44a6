"""Each export format on a small made-up table: golden files, structure, and escaping of hostile text."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest

from macros.export import (
    asciidoc,
    confluence,
    confluence_wiki,
    csv_file,
    embed_page,
    html_fragment,
    json_api,
    markdown,
    mediawiki,
)
from macros.export.context import ExportContext
from macros.export.formats import FORMATS, SNIPPETS
from macros.export.inline import one_line
from macros.export.style import STATUS_BACKGROUND
from macros.export.version import DataVersion
from macros.model.common import Source
from macros.render.notemarkup import segments
from macros.render.tables import Note, Observed, Table, TableCell, TableRow

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = ExportContext("Example KB", DataVersion("2026-01-02", "ab" * 32), root="https://kb.example.org/",
                        page="openssl/#sample")
RELATIVE = ExportContext("Example KB", DataVersion("2026-01-02", "ab" * 32), root="", page="openssl/#sample")

# Markup of every format this text could be mistaken for.
HOSTILE = ("a|b || !c !! <b>d</b> &amp; \"e\" 'f' ''g'' '''h''' {{i}} {|j [[k]] [l] __m__ ~~~~ *n* "
           "_o_ `p` $q$ \\r\\ #s ^t^ --u (C) ... pass:[v] link:w[x] +y+ {z} -{ }- \\\\two ]")
# Wiki markup alone, without the < > & that would trigger escaping on their own.
WIKI = "x|y {{t}} [[l]] ''i'' '''b''' __NOTOC__ ~~~~ !! -{ }- *s* _e_ +p+ {a}"


def source(title: str, url: str = "https://example.org/doc") -> Source:
    return Source(url=url, title={"en": title})


def sample_table() -> Table:
    """What the real tables contain: links, marks, code headers, statuses, shared and labelled notes."""
    shared = Note((("", "Shared by two cells."),), (source("Release notes"),))
    enable = Note((("How to enable:", "Set `ssl_min_protocol_version` to `TLSv1`."),
                   ("", "See [the manual](https://example.org/manual?a=1&b=2) for details.")),
                  (source("Manual", "https://example.org/manual"), source("Code", "https://example.org/code")))
    rows = (
        TableRow("1.0.2", "openssl/1.0.2/", ("end of life",),
                 (TableCell("On by default", "on", shared), TableCell("Not supported", "unsupported", None))),
        TableRow("3.0", "openssl/3.0/", ("LTS",),
                 (TableCell("Off by default", "off", enable),
                  TableCell("With OpenSSL ≥ 1.1.1", "conditional", shared,
                            Observed("✓ observed", Note((("Observed:", "PostgreSQL 15.1 with OpenSSL 3.0.2."),), ()),
                                     "observed/")))),
        TableRow("ssl_ciphers", None, (), (TableCell("—", "absent", None), TableCell("", None, None)),
                 title="Allowed cipher suites."),
    )
    return Table("sample", "Sample × protocols", "OpenSSL", ("TLS 1.0 (TLSv1)", "TLS 1.3"), rows, "2026-01-02",
                 column_links=("postgresql/13/", None))


def hostile_table() -> Table:
    """Hostile text in every place a table has text: title, corner, columns, headers, marks, cells, notes."""
    note = Note(((HOSTILE, HOSTILE + " `code|{{x}}` [a|b [link]](https://example.org/a_(b)|c?x='1'&y=2)"),),
                (source(HOSTILE, "https://example.org/p_a_t_h?q=[1]&r={2}|3"),))
    cells = (TableCell(HOSTILE, "on", note), TableCell("line one\nline two <br> | x", "off", None),
             TableCell("=1+2", "conditional", None), TableCell(WIKI, "removed", None))
    rows = (TableRow(HOSTILE, "openssl/3.0/", (HOSTILE,), cells),
            TableRow("name|with`tick", None, (), cells, title=HOSTILE))
    return Table("hostile", HOSTILE, HOSTILE, (HOSTILE, "-2", "@x", WIKI), rows, "2026-01-02",
                 column_links=("postgresql/13/", None, None, None))


GOLDEN_NAMES = {"markdown": "md", "html": "html", "confluence": "confluence.xml",
                "confluence-wiki": "confluence-wiki.txt", "mediawiki": "mediawiki.txt",
                "asciidoc": "adoc", "iframe": "iframe.html", "csv": "csv", "json": "json", "embed": "embed.html"}


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_golden(golden, format_name):
    text = FORMATS[format_name](sample_table(), CONTEXT)
    if format_name == "csv":
        # The golden fixture reads text with universal newlines; the CRLF ends are checked here.
        assert text.count("\r\n") == 1 + 3 * 2  # (a bare \n separates two sources inside a quoted cell)
        text = text.replace("\r\n", "\n")
    golden(f"export/sample.{GOLDEN_NAMES[format_name]}", text)


@pytest.mark.parametrize("format_name", sorted(SNIPPETS))
def test_golden_without_site_url(golden, format_name):
    """No site_url: snippets carry no links, since a root-relative link leads nowhere in a wiki."""
    text = FORMATS[format_name](sample_table(), RELATIVE)
    golden(f"export/sample-relative.{GOLDEN_NAMES[format_name]}", text)
    if format_name != "iframe":
        assert "openssl/3.0/" not in text and "https://kb.example.org" not in text


def test_every_format_has_a_golden_name():
    assert set(GOLDEN_NAMES) == set(FORMATS)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_same_input_same_bytes(format_name):
    assert FORMATS[format_name](hostile_table(), CONTEXT) == FORMATS[format_name](hostile_table(), CONTEXT)


@pytest.mark.parametrize("format_name", sorted(set(SNIPPETS) - {"iframe"}) + ["embed"])
def test_attribution_names_the_data_version_and_links_back(format_name):
    text = FORMATS[format_name](sample_table(), CONTEXT)
    version = "2026-01-02+abababababab"
    assert (confluence_wiki.escape(version) if format_name == "confluence-wiki" else version) in text
    assert "https://kb.example.org/openssl/#sample" in text


# --- HTML-like formats: parse them and read the cells back -------------------------------------------

class CellReader(HTMLParser):
    """Rows of (tag, text) cells; text inside <sup> (note numbers) is left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, str]]] = []
        self.cell: list[str] | None = None
        self.tag = ""
        self.in_sup = 0
        self.list_items: list[str] = []
        self.item: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell, self.tag = [], tag
        elif tag == "sup":
            self.in_sup += 1
        elif tag == "li":
            self.item = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((self.tag, one_line("".join(self.cell)).strip()))
            self.cell = None
        elif tag == "sup":
            self.in_sup -= 1
        elif tag == "li" and self.item is not None:
            self.list_items.append(one_line("".join(self.item)).strip())
            self.item = None

    def handle_data(self, data):
        if self.cell is not None and not self.in_sup:
            self.cell.append(data)
        if self.item is not None:
            self.item.append(data)


def read_cells(text: str) -> CellReader:
    reader = CellReader()
    reader.feed(text)
    reader.close()
    return reader


def shown(text: str) -> str:
    """What a reader should see: the text with runs of white space as one space."""
    return one_line(text).strip()


def check_hostile_cells(reader: CellReader) -> None:
    table = hostile_table()
    assert len(reader.rows) == len(table.rows) + 1
    assert all(len(row) == len(table.columns) + 1 for row in reader.rows)
    assert [text for _, text in reader.rows[0]] == [shown(HOSTILE), shown(HOSTILE), "-2", "@x", WIKI]
    first, second = reader.rows[1], reader.rows[2]
    assert first[0][1].startswith(shown(HOSTILE)) and first[0][1].count(shown(HOSTILE)) == 2  # header + mark
    assert [text for _, text in first[1:]] == [shown(HOSTILE), "line one line two <br> | x", "=1+2", WIKI]
    assert second[0][1] == "name|with`tick"


@pytest.mark.parametrize("render", [html_fragment.render, embed_page.render], ids=["html", "embed"])
def test_html_keeps_hostile_text_as_text(render):
    text = render(hostile_table(), CONTEXT)
    reader = read_cells(text)
    check_hostile_cells(reader)
    assert "<b>d</b>" not in text and "&lt;b&gt;d&lt;/b&gt;" in text
    # The note: its own code span and link become markup, the rest stays text.
    assert '<code>code|{{x}}</code>' in text
    assert '<a href="https://example.org/a_(b)|c?x=' not in text  # the link pattern refuses ( and '
    assert shown(HOSTILE) in reader.list_items[0]


def test_confluence_is_well_formed_xml_with_the_right_cells():
    text = confluence.render(hostile_table(), CONTEXT)
    root = ElementTree.fromstring(f"<root>{text}</root>")  # raises on anything not well-formed
    rows = root.findall("./table/tbody/tr")
    assert len(rows) == 3 and all(len(list(r)) == 5 for r in rows)
    check_hostile_cells(read_cells(text))
    colours = [td.get("data-highlight-colour") for td in rows[1].findall("td")]
    assert colours == [STATUS_BACKGROUND[s] for s in ("on", "off", "conditional", "removed")]


def test_markdown_renders_back_to_the_same_text():
    """Python-Markdown (with tables) reads the snippet; the cells hold the hostile text unchanged."""
    text = markdown.render(hostile_table(), CONTEXT)
    rendered = python_markdown.markdown(text, extensions=["tables"])
    reader = read_cells(rendered)
    check_hostile_cells_markdown(reader)
    assert shown(HOSTILE) in reader.list_items[0]


def check_hostile_cells_markdown(reader: CellReader) -> None:
    # Markdown has no <sup>: the note number is written "[1]" after the cell text.
    table = hostile_table()
    assert len(reader.rows) == len(table.rows) + 1
    assert all(len(row) == len(table.columns) + 1 for row in reader.rows)
    assert [text for _, text in reader.rows[0]] == [shown(HOSTILE), shown(HOSTILE), "-2", "@x", WIKI]
    assert [text for _, text in reader.rows[1][1:]] == [shown(HOSTILE) + " [1]", "line one line two <br> | x", "=1+2",
                                                       WIKI]
    assert reader.rows[1][0][1] == f"{shown(HOSTILE)} ({shown(HOSTILE)})"
    assert reader.rows[2][0][1] == "name|with`tick"


def test_markdown_table_lines_have_one_cell_per_column():
    text = markdown.render(hostile_table(), CONTEXT)
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(lines) == 2 + len(hostile_table().rows)
    for line in lines:
        assert len(re.findall(r"(?<!\\)\|", line)) == len(hostile_table().columns) + 2


# --- MediaWiki and AsciiDoc: no parser here, so read the structure by their own rules ----------------

def mediawiki_text(content: str) -> str:
    """What MediaWiki shows for a cell written by our rules: <nowiki> parts literally, refs decoded."""
    content = re.sub(r"<sup>\d+</sup>$", "", content)
    parts = re.split(r"<nowiki>(.*?)</nowiki>", content)
    for outside in parts[0::2]:
        assert not re.search(r"[\[\]{}|<>&']|!!|~~~|__", outside), f"markup outside <nowiki>: {outside!r}"
    return "".join(html.unescape(p) if i % 2 else p for i, p in enumerate(parts))


def test_mediawiki_structure_and_escaping():
    text = mediawiki.render(hostile_table(), CONTEXT)
    lines = text.splitlines()
    start, end = lines.index('{| class="wikitable"'), lines.index("|}")
    body = lines[start + 1:end]
    assert body[0].startswith("|+ ") and mediawiki_text(body[0][3:]) == shown(HOSTILE)
    rows = [[]]
    for line in body[1:]:
        if line == "|-":
            rows.append([])
        else:
            assert line.startswith(("! ", "| ")), line
            rows[-1].append(line[2:])
    rows = [r for r in rows if r]
    assert len(rows) == 3 and all(len(r) == 5 for r in rows)
    assert mediawiki_text(rows[0][1].split(" ", 1)[1][:-1]) == shown(HOSTILE)  # [url label]
    cell = rows[1][1]
    assert cell.startswith(f'style="background:{STATUS_BACKGROUND["on"]}" | ')
    assert mediawiki_text(cell.split(" | ", 1)[1]) == shown(HOSTILE)
    assert mediawiki_text(rows[1][2].split(" | ", 1)[1]) == "line one line two <br> | x"
    assert mediawiki_text(rows[0][4]) == WIKI and mediawiki_text(rows[1][4].split(" | ", 1)[1]) == WIKI
    assert all("<nowiki>" not in line or "</nowiki>" in line for line in lines)


def confluence_wiki_text(content: str) -> str:
    """What Confluence shows for text written by our rules: backslash escapes and references undone."""
    content = re.sub(r"\^\d+\^$", "", content)
    # Every markup character must be escaped: none may stand alone.
    bare = re.sub(r"\\.|&#\d+;|&amp;", "", content)
    assert not (set(bare) & confluence_wiki.SPECIAL), f"unescaped markup in {content!r}"
    assert "\\" not in bare, f"bare backslash in {content!r}"
    return html.unescape(re.sub(r"\\(.)", r"\1", content))


def confluence_wiki_cells(line: str) -> list[str]:
    """A table line split on the | that separate cells (|| and | both do): not escaped, not in a [link|url]."""
    cells, current, depth, i = [], "", 0, 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            current, i = current + line[i:i + 2], i + 2
            continue
        depth += {"[": 1, "]": -1}.get(c, 0)
        if c == "|" and depth == 0:
            cells.append(current)
            current = ""
            while line[i + 1:i + 2] == "|":
                i += 1
        else:
            current += c
        i += 1
    assert current == "" and depth == 0, line
    return cells[1:]


def test_confluence_wiki_structure_and_escaping():
    text = confluence_wiki.render(hostile_table(), CONTEXT)
    lines = text.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 3
    assert table[0].startswith("||") and table[0].endswith("||") and table[1].startswith("||[")
    rows = [confluence_wiki_cells(line) for line in table]
    assert all(len(r) == 5 for r in rows), rows
    assert confluence_wiki_text(rows[0][0]) == shown(HOSTILE)
    assert confluence_wiki_text(rows[0][4]) == WIKI
    assert rows[0][1].startswith("[") and rows[0][1].endswith("|https://kb.example.org/postgresql/13/]")
    assert confluence_wiki_text(rows[0][1][1:-len("|https://kb.example.org/postgresql/13/]")]) == shown(HOSTILE)
    assert [confluence_wiki_text(c) for c in rows[1][1:]] == [
        shown(HOSTILE), "line one line two <br> | x", "=1+2", WIKI]
    assert confluence_wiki_text(rows[2][0][2:-2]) == "name|with`tick"  # {{monospace}}
    assert lines[0] == f"*{confluence_wiki.escape(HOSTILE)}*"


@pytest.mark.parametrize("text, expected", [
    ("On by default", "On by default"), ("a|b", "a\\|b"), ("{{x}}", "\\{\\{x\\}\\}"),
    ("C:\\dir", "C:&#92;dir"), ("a \\\\ b", "a &#92;&#92; b"), ("R&D", "R&amp;D"), ("(i)", "\\(i\\)"),
    ("smile :D ;P", "smile &#58;D &#59;P"), ("How to enable:", "How to enable:"), ("", "")])
def test_confluence_wiki_escape(text, expected):
    assert confluence_wiki.escape(text) == expected


def asciidoc_text(content: str) -> str:
    """What Asciidoctor shows for a cell written by our rules: pass:c[...] literally."""
    content = re.sub(r"\^\d+\^$", "", content)
    match = re.fullmatch(r"pass:c\[(.*[^\\])\]", content)
    if match is None:
        assert asciidoc._BARE.fullmatch(content), f"unescaped text: {content!r}"
        return content
    return match.group(1).replace("\\]", "]").replace("\\|", "|").rstrip()


def test_asciidoc_structure_and_escaping():
    text = asciidoc.render(hostile_table(), CONTEXT)
    lines = text.splitlines()
    start, end = lines.index("|==="), len(lines) - 1 - lines[::-1].index("|===")
    assert lines[start - 1] == '[cols="1h,4*",options="header"]'
    cells = [line for line in lines[start + 1:end] if line]
    assert all(line.startswith("|") for line in cells)
    # The table parser splits on every | not preceded by a backslash: one per cell.
    assert sum(len(re.findall(r"(?<!\\)\|", line)) for line in cells) == 3 * 5
    assert asciidoc_text(cells[0][1:]) == shown(HOSTILE)
    assert asciidoc_text(cells[4][1:]) == WIKI
    assert asciidoc_text(cells[6][1:]) == shown(HOSTILE)
    assert asciidoc_text(cells[7][1:]) == "line one line two <br> | x"
    assert asciidoc_text(cells[8][1:]) == "=1+2"
    assert asciidoc_text(cells[9][1:]) == WIKI
    assert lines[0] == f".pass:c[{shown(HOSTILE).replace(']', chr(92) + ']')}]"


def test_asciidoc_escape_edge_cases():
    assert asciidoc.escape("On by default") == "On by default"
    assert asciidoc.escape("With OpenSSL ≥ 1.1.1, from 13.5 (inferred)") == "With OpenSSL ≥ 1.1.1, from 13.5 (inferred)"
    assert asciidoc.escape("a -- b").startswith("pass:c[")  # would become an em dash
    assert asciidoc.escape("(C) x").startswith("pass:c[")  # would become ©
    assert asciidoc.escape("ends with \\") == "pass:c[ends with \\ ]"
    assert asciidoc.escape("x|y", in_table=True) == "pass:c[x\\|y]"
    assert asciidoc.escape("x|y") == "pass:c[x|y]"


# --- CSV and JSON ------------------------------------------------------------------------------------

def test_csv_round_trips_and_neutralises_formulas():
    text = csv_file.render(hostile_table(), CONTEXT)
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "").replace("line one\nline two", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(csv_file.HEADER)
    assert len(rows) == 1 + len(hostile_table().rows) * len(hostile_table().columns)
    by_column = {(r[0], r[2]): r for r in rows[1:]}
    first = by_column[(HOSTILE, HOSTILE)]
    assert first[4] == HOSTILE and first[3] == "on" and first[6].startswith(HOSTILE)
    assert first[7] == f"{HOSTILE} <https://example.org/p_a_t_h?q=[1]&r={{2}}|3>"
    assert by_column[(HOSTILE, "'-2")][4] == "line one\nline two <br> | x"
    conditional = by_column[(HOSTILE, "'@x")]
    assert conditional[4] == "'=1+2" and conditional[5] == "'=1+2"  # text and condition


@pytest.mark.parametrize("value, expected", [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"),
                                             ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
                                             ("On by default", "On by default"), ("—", "—"), ("a=b", "a=b")])
def test_neutralise(value, expected):
    assert csv_file.neutralise(value) == expected


def test_json_keeps_text_exactly():
    document = json.loads(json_api.render(hostile_table(), CONTEXT))
    assert document["title"] == HOSTILE
    assert document["rows"][0]["cells"][0] == {"column": HOSTILE, "text": HOSTILE, "status": "on", "note": 1,
                                               "observed": None}
    assert document["rows"][0]["cells"][1]["text"] == "line one\nline two <br> | x"
    assert document["notes"][0]["sources"][0]["label"] == HOSTILE


# --- shared pieces ----------------------------------------------------------------------------------

def test_segments_follow_the_site_note_grammar():
    found = segments("Use `a|b` and [the docs](https://example.org/x) \n not [x](http://insecure) or `")
    assert [(s.kind, s.text, s.url) for s in found] == [
        ("text", "Use ", ""), ("code", "a|b", ""), ("text", " and ", ""),
        ("link", "the docs", "https://example.org/x"), ("text", " not [x](http://insecure) or `", "")]


def test_status_colours_match_the_site_stylesheet():
    css = (ROOT / "docs/stylesheets/tlskb.css").read_text(encoding="utf-8")
    light = css.split("[data-md-color-scheme")[0]
    for status, colour in STATUS_BACKGROUND.items():
        rule = re.search(rf"\.tlskb-{status}\b[^{{]*\{{([^}}]*)\}}", light)
        assert rule and f"background: {colour}" in rule.group(1), f"tlskb.css disagrees about {status}"


def test_embed_page_is_standalone():
    page = embed_page.render(sample_table(), RELATIVE)
    assert page.startswith("<!DOCTYPE html>")
    assert "<link" not in page and "src=" not in page  # no stylesheet, no external script
    assert 'href="../../openssl/3.0/"' in page  # relative links lead from /embed/<table>/
    assert '"tlskb-embed-height"' in page and "postMessage" in page
    assert '<base target="_blank">' in page
    footnote_links = re.findall(r'<a href="#[^"]*"[^>]*>', page)
    assert len(footnote_links) == 4 and all('target="_self"' in a for a in footnote_links)  # stay in the frame


# --- runs of identical cells ---------------------------------------------------------------------------

def repeating_table() -> Table:
    """Versions along the columns with one value repeated: the site shows it once (colspan)."""
    same = TableCell("HIGH:MEDIUM", "present", Note((("", "cipher list"),), (source("Docs"),)))
    return Table("sample", "Sample", "Setting", ("15", "16", "17"),
                 (TableRow("ssl_ciphers", None, (), (same, same, same)),), "2026-01-02",
                 column_kind="PostgreSQL", versions_along="columns")


@pytest.mark.parametrize("format_name", ["csv", "json", "markdown", "html", "confluence", "confluence-wiki",
                                         "mediawiki", "asciidoc", "embed"])
def test_exports_keep_one_cell_per_version(format_name):
    # Machines and wiki tables read the exports cell by cell: no colspan, no range, every version.
    text = FORMATS[format_name](repeating_table(), CONTEXT)
    assert "colspan" not in text.lower() and "15–17" not in text
    assert text.count("HIGH:MEDIUM") >= 3, text
