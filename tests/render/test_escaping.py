"""Markup in the data never comes out live: every free-text field, every output.

A copy of data/ is poisoned: every free-text field (notes, descriptions, enable texts, source
titles and quotes, setting values, protocol names and specifications, source URLs and paths) gets
a payload of script, style, iframe, img, event handlers, javascript: URLs, attribute breakouts
and wiki/Markdown/AsciiDoc/Jinja syntax. The poisoned data is valid (it passes the check), so it
reaches every output: the site's macros, every export format, the JSON API, CSV. Each output is
then read the way its consumer reads it (HTML parsed with html.parser; Markdown rendered first;
wiki formats checked for their escape mechanism; CSV cells for formulas) and must show the
payload only as text. Every payload construct carries the token below, so a finding can be told
from the site's own markup (Material's scripts, the embed page's resize script).
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import DATA_DIR, ROOT
from site_markdown import to_site_html

from macros.load.yamlfile import load_file
from macros.model.common import Source
from macros.render.html import inline_html, sources_html

TOKEN = "tlskbpwn"
PAYLOAD = (f'<script>{TOKEN}(1)</script><img src=x onerror={TOKEN}(2)>'
           f'<iframe src="javascript:{TOKEN}(3)"></iframe><style>/*{TOKEN}*/</style>'
           f'<a href="javascript:{TOKEN}(4)" onclick="{TOKEN}(5)">a</a><svg onload={TOKEN}(6)>'
           f'" onmouseover="{TOKEN}(7)\' onfocus=\'{TOKEN}(8) </textarea></title></nowiki>'
           f'{{{{ {TOKEN} }}}} {{% raw %}} [[Category:{TOKEN}]] {{{{SITENAME}}}} +++<b>{TOKEN}</b>+++ '
           f'pass:[<u>{TOKEN}</u>] link:javascript:{TOKEN}(9)[x] <!-- {TOKEN} --> *b* _i_ | ~~s~~ $x$'
           # Blank lines and fences: a raw HTML block or a code fence of its own in line-based formats.
           f'\n\n<script>{TOKEN}(12)</script>\n\n```\n</code></pre><img src=x onerror={TOKEN}(13)>\n```\n~~~\n')
MEDIUM_PAYLOAD = f'<script>{TOKEN}(1)</script><img src=x onerror={TOKEN}(2)>" onmouseover="{TOKEN}(7)\' {{{{ {TOKEN} }}}}'
SHORT_PAYLOAD = f'<b onclick={TOKEN}()>"\'```'  # for fields of at most 40-64 characters
URL_SUFFIX = f'?q={TOKEN}"><script>{TOKEN}(10)</script>'  # the URL schema allows any non-space
PATH_SUFFIX = f'"><img/src=x/onerror={TOKEN}(11)>'
# Keys whose string (or {en: ..., es: ...}) value is prose shown to readers.
TEXT_KEYS = {"note", "enable", "title", "quote", "description", "default_note", "values_note",
             "blocks", "effect", "specification", "deprecated_by"}
MAX_CHARS = {"specification": 200, "deprecated_by": 200}  # plain strings, shorter than text (2000)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "frameset", "img", "object", "embed", "svg",
                  "math", "form", "input", "button", "textarea", "select", "link", "meta", "base",
                  "template", "video", "audio", "source", "a"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background",
                  "poster", "srcset"}
TEXT_ATTRIBUTES = {"title", "alt", "aria-label"}  # escaped text in these is a tooltip, not code


# --- poisoning the data ---------------------------------------------------------------------

def _poison_text(value, prefix: str, key: str):
    if isinstance(value, dict):
        return {language: _poison_text(text, prefix, key) for language, text in value.items()}
    limit = MAX_CHARS.get(key, 2000)
    payload = PAYLOAD if limit >= 2000 else MEDIUM_PAYLOAD
    return f"{prefix}{payload} {value}"[:limit]


def _poison_values(setting: dict, prefix: str, observed: set[str]) -> None:
    """Setting defaults and accepted values, keeping the default among the values."""
    if setting.get("name", "").endswith("protocol_version"):
        return  # these must stay protocol names (rule protocol-values); PAYLOAD reaches their notes
    if setting.get("name") == "sslmode":
        return  # each value needs its words in the locale (rule guide-requirements); notes still get PAYLOAD
    # A default a real server reported (data/observations) must stay what it reported.
    keep = setting.get("name") in observed
    for rng in setting.get("versions", ()):
        swap = {v: (f"{prefix}{SHORT_PAYLOAD}{v}"[:64] if v and not (keep and v == rng.get("default")) else v)
                for v in rng.get("values") or ()}
        if rng.get("default") and rng["default"] not in swap:
            swap[rng["default"]] = rng["default"] if keep else f"{prefix}{SHORT_PAYLOAD}{rng['default']}"[:64]
        if "values" in rng:
            rng["values"] = [swap[v] for v in rng["values"]]
        if rng.get("default"):
            rng["default"] = swap[rng["default"]]


def _poison(value, prefix: str, observed: set[str], key: str | None = None, in_protocols: bool = False):
    if isinstance(value, list):
        return [_poison(item, prefix, observed, key, in_protocols) for item in value]
    if not isinstance(value, dict):
        if key in TEXT_KEYS and isinstance(value, str):
            return _poison_text(value, prefix, key)
        if key == "url" and isinstance(value, str):
            return value + URL_SUFFIX
        if key == "path" and isinstance(value, str):
            return value + PATH_SUFFIX
        if key == "short_name" and isinstance(value, str):  # platforms.yaml: a heading on the setup page
            return f"{SHORT_PAYLOAD}{value}"[:30]
        if key == "name" and in_protocols and isinstance(value, str):
            return f"{SHORT_PAYLOAD}{value}"[:40]
        return value
    if key in TEXT_KEYS and set(value) <= {"en", "es"}:
        return _poison_text(value, prefix, key)
    result = {k: _poison(v, prefix, observed, k, in_protocols) for k, v in value.items()}
    if "versions" in result and "name" in result:
        _poison_values(result, prefix, observed)
    return result


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def poison_data(data_dir: Path, prefix: str) -> None:
    """Rewrite every data file with the payload in each free-text field (same first line)."""
    observed = {key for path in data_dir.glob("observations/*.yaml") for key in _keys(load_file(path).data)}
    for path in sorted(data_dir.rglob("*.yaml")):
        loaded = load_file(path)
        poisoned = _poison(loaded.data, prefix, observed, in_protocols=path.name == "protocols.yaml")
        first_line = loaded.text.split("\n", 1)[0]
        path.write_text(first_line + "\n" + yaml.safe_dump(poisoned, sort_keys=False, allow_unicode=True,
                                                           width=1_000_000), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned_dir(tmp_path_factory):
    """A poisoned copy of data/ for each payload prefix (payloads start with = + - @ for CSV)."""
    @functools.cache
    def make(prefix: str) -> Path:
        data_dir = tmp_path_factory.mktemp("poisoned") / "data"
        shutil.copytree(DATA_DIR, data_dir)
        poison_data(data_dir, prefix)
        return data_dir
    return make


@pytest.fixture(scope="module")
def poisoned(poisoned_dir):
    from macros.check.runner import check_data
    from macros.core.problems import errors_in

    @functools.cache
    def load(prefix: str = "="):
        dataset, problems = check_data(poisoned_dir(prefix))
        # The payload has to be valid data, or it would never reach an output.
        assert dataset is not None and not errors_in(problems), "\n".join(map(str, problems[:20]))
        return dataset
    return load


# --- reading outputs the way their consumers do ---------------------------------------------

class LiveMarkup(HTMLParser):
    """Collects markup from the payload that a browser would run or load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.open: list[str] = []  # dangerous elements we are inside

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag in ("script", "style", "iframe", "textarea", "template"):
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open and TOKEN in data:
            self.found.append(f"payload inside <{self.open[-1]}>: {data[:80]!r}")

    def handle_comment(self, data):
        if TOKEN in data:
            self.found.append(f"payload became an HTML comment: {data[:80]!r}")

    def _check(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>: an event handler")
            if name in URL_ATTRIBUTES and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.found.append(f"<{tag} {name}={value[:60]!r}>: a script URL")
            if TOKEN in name or (TOKEN in value and name not in TEXT_ATTRIBUTES
                                 and not (name == "href" and value.startswith("https://"))):
                self.found.append(f"<{tag} {name}={value[:60]!r}>: payload in an attribute")
        if tag in DANGEROUS_TAGS and any(TOKEN in (v or "") for n, v in attrs if n not in TEXT_ATTRIBUTES
                                         and not (n == "href" and (v or "").startswith("https://"))):
            self.found.append(f"<{tag}> made by the payload")


def live_html(text: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(text)
    parser.close()
    return parser.found


def live_markdown(text: str) -> list[str]:
    # GitHub, GitLab and MkDocs all pass raw HTML through; python-markdown with the site's own
    # extensions stands in for them (and is exactly what the site's pages go through).
    return live_html(to_site_html(text))


def live_mediawiki(text: str) -> list[str]:
    """Payload text must sit inside <nowiki>, with no < or > left to close it early."""
    found = []
    for inner in re.findall(r"<nowiki>(.*?)</nowiki>", text, flags=re.S):
        if "<" in inner or ">" in inner:
            found.append(f"raw < or > inside nowiki: {inner[:80]!r}")
    outside = re.sub(r"<nowiki>.*?</nowiki>|\[https://\S+ ", "", text, flags=re.S)  # link targets: https
    if TOKEN in outside:
        found.append(f"payload outside <nowiki>: {outside[outside.index(TOKEN) - 40:][:100]!r}")
    return found


def live_asciidoc(text: str) -> list[str]:
    """Payload text must sit inside pass:c[...], whose ] are escaped (c: < > & become entities)."""
    outside = re.sub(r"link:\+\+https://[^+\s]*\+\+|pass:c\[(?:\\.|[^\]\\])*\]", "", text)  # https targets
    return [f"payload outside pass:c[]: {outside[outside.index(TOKEN) - 40:][:100]!r}"] if TOKEN in outside else []


def live_confluence_wiki(text: str) -> list[str]:
    """Every markup character escaped: none of { } ! (macros such as {html}, images) may remain,
    and [ ] only in our own [label|https://...] links."""
    plain = re.sub(r"\\.|&#\d+;|&amp;", "x", text)
    plain = re.sub(r"\{\{|\}\}", "", plain)  # our {{code}} spans (their content is escaped)
    plain = re.sub(r"\[[^\[\]|{}]*\|https://[^\]\s|]*\]", "", plain)
    return [f"live wiki markup {c!r}: {plain[plain.index(c) - 40:][:100]!r}" for c in "{}![]" if c in plain]


def live_csv(text: str) -> list[str]:
    found = []
    for row in csv.reader(io.StringIO(text, newline="")):
        found += [f"formula cell: {cell[:60]!r}" for cell in row if cell.startswith(FORMULA_STARTS)]
    return found


def live_json(text: str) -> list[str]:
    json.loads(text)  # JSON carries the text as data; it only has to stay valid JSON
    return []


CHECKERS = {"markdown": live_markdown, "html": live_html, "confluence": live_html,
            "confluence-wiki": live_confluence_wiki,
            "mediawiki": live_mediawiki, "asciidoc": live_asciidoc, "iframe": live_html,
            "csv": live_csv, "json": live_json, "embed": live_html}


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize("format_name", sorted(CHECKERS))
def test_each_checker_catches_the_raw_payload(format_name):
    """The checkers are the test: each must see the payload when nothing escaped it."""
    if format_name == "json":
        with pytest.raises(ValueError):
            live_json(f'{{"note": "{PAYLOAD}"}}')
        return
    raw = {"csv": f"a,b\r\n={PAYLOAD},x\r\n"}.get(format_name, f"<p>{PAYLOAD}</p>")
    assert CHECKERS[format_name](raw)


def test_html_checker_finds_each_construct():
    found = " ".join(live_html(PAYLOAD))
    for what in ("inside <script>", "<img onerror=", "a script URL", "inside <style>", "<a onclick=",
                 "<svg onload=", "HTML comment"):
        assert what in found, (what, found)
    assert live_html(f'<td title="x" onmouseover="{TOKEN}(7)">')  # an attribute breakout
    assert not live_html(f'<td title="{html.escape(PAYLOAD)}">{html.escape(PAYLOAD)}</td>')  # only text


@pytest.mark.parametrize("text", [
    "[click](javascript:alert(1))", "[click](data:text/html,x)", "[click](http://example.org/)",
    '<a href="javascript:alert(1)">x</a>', "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    '[x](https://example.org/"onmouseover="alert(1))', "`<script>`", "[a`b](https://x.org/`c) `d`",
    f"[{TOKEN}](https://example.org/?a=1&b=2)",
])
def test_inline_markup_allows_only_code_and_https_links(text):
    out = str(inline_html(text))
    assert not live_html(out), out
    for href in re.findall(r'href="([^"]*)"', out):
        assert href.startswith("https://"), out


def test_inline_markup_keeps_the_whitelist():
    assert str(inline_html("Use `ssl = on`; see [the docs](https://www.postgresql.org/docs/).")) == (
        'Use <code>ssl = on</code>; see <a href="https://www.postgresql.org/docs/">the docs</a>.')


def test_source_links_escape_title_and_address():
    source = Source(url=f"https://example.org/{URL_SUFFIX}", title={"en": PAYLOAD})
    out = str(sources_html([source]))
    assert not live_html(out), out
    assert out.count("<a ") == 1


def test_poisoned_data_passes_the_check(poisoned):
    dataset = poisoned()
    assert dataset.openssl and dataset.postgresql and dataset.settings


class FakeEnv:
    """What define_env hands the macros: a page (for relative links) and the site config."""

    def __init__(self, project_dir: Path, page_url: str):
        self.project_dir = str(project_dir)
        self.page = SimpleNamespace(url=page_url)
        self.conf = {"site_name": "TLS KB", "extra": {"data_repo_url": "https://example.org/repo"}}
        self.variables = {"config": self.conf}
        self.macros: dict = {}

    def macro(self, function, name):
        self.macros[name] = function


def macro_calls() -> list[tuple[str, str, str]]:
    """(page url, macro name, arguments) for every macro call written in docs/."""
    calls = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        url = page.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
        url = "" if url == "index/" else url.removesuffix("index/")
        for name, arguments in re.findall(r"\{\{\s*(tlskb_\w+)\((.*?)\)\s*\}\}", page.read_text(encoding="utf-8")):
            calls.append((url, name, arguments))
    assert len(calls) > 20
    return calls


@pytest.mark.slow  # every macro call of every page, on poisoned data
def test_site_macros_show_the_payload_as_text(poisoned, poisoned_dir):
    import ast

    from macros.site import register
    poisoned()  # fails first, and clearly, if the poisoned data does not pass the check
    reached = 0
    for url, name, arguments in macro_calls():
        env = FakeEnv(poisoned_dir("=").parent, url)
        register(env, poisoned_dir("="))
        args = ast.literal_eval(f"({arguments},)") if arguments.strip() else ()
        output = env.macros[name](*args)
        # Macros return Markdown (with HTML blocks): read it as the page will.
        assert not live_markdown(output), (url, name, live_markdown(output)[:5])
        reached += TOKEN in output
    assert reached >= 25, "the payload should reach every table and version page"


@pytest.mark.slow  # every setup guide, on poisoned data
def test_setup_guides_show_the_payload_as_text(poisoned):
    from macros.render import guide_page
    data = poisoned()
    reached = 0
    for major in data.postgresql:
        output = guide_page.guide_markdown(data, major.major)
        assert not live_markdown(output), (major.major, live_markdown(output)[:5])
        reached += TOKEN in output
    assert reached, "the payload never reached a setup guide"


def export_formats() -> list[str]:
    from macros.export.formats import FORMATS
    return sorted(FORMATS)


def export_context():
    from macros.export.context import ExportContext
    from macros.export.version import DataVersion
    return ExportContext("TLS KB", DataVersion("2026-11-29", "0" * 64), root="https://tlskb.example.org/")


@pytest.mark.parametrize("format_name", export_formats())
def test_every_export_format_shows_the_payload_as_text(format_name, poisoned):
    from macros.export.formats import FORMATS
    from macros.export.options import export_table
    from macros.render.tables import TABLE_IDS
    data = poisoned()
    reached = 0
    for table_id in TABLE_IDS:
        output = FORMATS[format_name](export_table(data, table_id), export_context().for_table(table_id))
        found = CHECKERS[format_name](output)
        assert not found, (format_name, table_id, found[:5])
        reached += TOKEN in output
    if format_name != "iframe":  # the iframe snippet carries no text from the data
        assert reached, f"the payload never reached the {format_name} output"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_cells_never_start_a_formula(prefix, poisoned):
    from macros.export.csv_file import render
    from macros.export.options import export_table
    from macros.render.tables import TABLE_IDS
    data = poisoned(prefix)
    neutralised = 0
    for table_id in TABLE_IDS:
        output = render(export_table(data, table_id), export_context().for_table(table_id))
        assert not live_csv(output), (table_id, live_csv(output)[:5])
        neutralised += sum(cell.startswith("'" + prefix) for row in csv.reader(io.StringIO(output, newline=""))
                           for cell in row)
    assert neutralised, f"no cell started with {prefix!r}: the payload never reached a cell start"


def strings_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, str):
        yield value


def test_json_api_carries_the_payload_as_data(poisoned):
    from macros.export import json_api
    files = json_api.api_files(poisoned(), export_context())
    carried = 0
    for name, text in files.items():
        document = json.loads(text)  # valid JSON whatever the text holds
        carried += sum(PAYLOAD in s for s in strings_in(document))
    # The API gives the data back as written (consumers escape for their own output).
    assert carried, "the payload never reached the JSON API"


@pytest.mark.build
def test_built_site_shows_the_payload_as_text(tmp_path):
    """End to end: `make site` on poisoned data, then every file of the site read as a browser would.

    A full build of its own: only the real engine (Markdown, the theme, search) on poisoned data shows
    that no layer after the macros turns the escaped text back into markup."""
    from sandbox import copy_project, run_make
    project = copy_project(tmp_path / "project")
    poison_data(project / "data", "=")
    result = run_make(project, "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    site = project / "site"
    readers = {".html": live_html, ".json": live_json, ".csv": live_csv}
    reached = []
    for path in sorted(site.rglob("*")):
        if path.suffix in readers:
            text = path.read_text(encoding="utf-8")
            found = readers[path.suffix](text)
            assert not found, (path.relative_to(site), found[:5])
            if TOKEN in text:
                reached.append(path.relative_to(site).as_posix())
    assert "settings/index.html" in reached and "postgresql/13/index.html" in reached, reached
