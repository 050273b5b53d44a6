"""The real MkDocs build: every page there, nothing unrendered, offline, and a loud clean failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import DATA_DIR, ROOT
from sandbox import copy_project

pytestmark = [pytest.mark.build]

# Adding a macro is a change to what every page may call: update this set on purpose.
EXPECTED_MACROS = {"tlskb_table", "tlskb_postgresql_page", "tlskb_openssl_page", "tlskb_protocols",
                   "tlskb_as_of", "tlskb_repo_link", "tlskb_observations", "tlskb_platforms", "tlskb_table_files",
                   "tlskb_setup_page", "tlskb_platform_defaults"}


def run(command: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(cwd), **extra)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def mkdocs_build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], project, **env)


@pytest.fixture
def site(shared_site):
    """The session's one `make site` (tests/conftest.py), which these tests only read."""
    return shared_site / "site"


def expected_pages() -> list[str]:
    pages = ["", "openssl/", "postgresql/", "build-support/", "settings/", "protocols/"]
    pages += [f"postgresql/{p.stem}/" for p in sorted((DATA_DIR / "postgresql").glob("*.yaml"))]
    pages += [f"openssl/{p.stem}/" for p in sorted((DATA_DIR / "openssl").glob("*.yaml"))]
    return pages


def html_files(site: Path) -> list[Path]:
    files = sorted(site.rglob("*.html"))
    assert files
    return files


def test_every_page_is_built(site):
    missing = [page for page in expected_pages() if not (site / page / "index.html").is_file()]
    assert not missing


def test_version_pages_show_their_version(site):
    for page in expected_pages()[6:]:
        product, version = page.strip("/").split("/")
        name = {"postgresql": "PostgreSQL", "openssl": "OpenSSL"}[product]
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert re.search(rf"<h1[^>]*>{re.escape(f'{name} {version}')}(<a |</h1>)", html), page
        assert f"data/{product}/{version}.yaml" in html, page


def without_code(html: str) -> str:
    # Guides may show other tools' templates ({{ }}) in code blocks; that is content, not a leftover.
    return re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)


def test_no_macro_leftovers(site):
    for path in html_files(site):
        html = path.read_text(encoding="utf-8")
        assert "Macro Rendering Error" not in html, path
        text = without_code(html)
        assert "{{" not in text and "{%" not in text, path


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append((tag, attrs["src"]))
        if tag == "link" and attrs.get("href"):
            self.urls.append((tag, attrs["href"]))


def test_site_works_offline(site):
    for path in html_files(site):
        parser = Assets()
        parser.feed(path.read_text(encoding="utf-8"))
        external = [u for u in parser.urls if re.match(r"^(https?:)?//", u[1])]
        assert not external, f"{path}: loads {external}"
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), css
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, css


def test_broken_data_fails_the_build_like_the_check(tmp_path):
    """A real MkDocs process, stopped by define_env before any page: the engine's output carries the
    check's exact line and no site is left."""
    project = copy_project(tmp_path / "project")
    path = project / "data" / "openssl" / "3.0.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'eol: "2026-09-07"\n' in text
    path.write_text(text.replace('eol: "2026-09-07"\n', 'eol: "2020-09-07"\n'), encoding="utf-8")

    check = run([sys.executable, "-m", "macros", "check"], project)
    assert check.returncode == 1
    [line] = check.stdout.splitlines()
    assert line.startswith("data/openssl/3.0.yaml:4:6: date-order: ")

    site = project / "site"
    build = mkdocs_build(project, site)
    output = build.stdout + build.stderr
    assert build.returncode != 0
    assert line in output.splitlines(), output
    assert "Traceback" not in output
    assert not site.exists(), "a failed build must not leave a site behind"


def test_broken_yaml_fails_the_build_like_the_check(tmp_path):
    """As above for a YAML syntax-level error (the loader's line:col, not a rule's)."""
    project = copy_project(tmp_path / "project")
    (project / "data" / "postgresql" / "13.yaml").write_bytes(b"major: \"13\"\nmajor: \"13\"\n")
    check = run([sys.executable, "-m", "macros", "check"], project)
    [line] = check.stdout.splitlines()
    assert line.startswith("data/postgresql/13.yaml:2:1: yaml-duplicate-key: ")
    build = mkdocs_build(project, project / "site")
    output = build.stdout + build.stderr
    assert build.returncode != 0
    assert line in output.splitlines(), output
    assert "Traceback" not in output
    assert not (project / "site").exists()


def test_a_wrong_macro_call_in_a_page_fails_in_one_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "protocols.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ tlskb_table("no-such-table") }}\n', encoding="utf-8")
    line_number = page.read_text(encoding="utf-8").splitlines().index('{{ tlskb_table("no-such-table") }}') + 1
    build = mkdocs_build(project, project / "site")
    output = build.stdout + build.stderr
    assert build.returncode != 0
    expected = (f"docs/protocols.md:{line_number}:4: macro-call: tlskb_table('no-such-table'): "
                "unknown table 'no-such-table'; known: ")
    assert expected in output, output
    assert "Traceback" not in output and "Macro Rendering Error" not in output
    assert not (project / "site").exists()


def test_a_misspelt_macro_in_a_page_fails_in_one_line(tmp_path):
    """Jinja's own error (the name is no macro), not one of ours: the same one line."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "protocols.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ tlskb_tabel("x") }}\n', encoding="utf-8")
    line_number = len(page.read_text(encoding="utf-8").splitlines())
    build = mkdocs_build(project, project / "site")
    output = build.stdout + build.stderr
    assert build.returncode != 0
    assert (f"docs/protocols.md:{line_number}:4: macro-call: 'tlskb_tabel' is undefined; "
            "did you mean tlskb_table") in output, output
    assert "Traceback" not in output and "Macro Rendering Error" not in output


def test_the_404_page_links_below_the_site_urls_path(tmp_path):
    """GitHub Pages serves 404.html at any depth: its links must be rooted at the site's path."""
    project = copy_project(tmp_path / "project")
    export = run([sys.executable, "-m", "macros", "export", "--all"], project, TLSKB_SITE_URL="https://tls.example.org/kb/")
    assert export.returncode == 0, export.stdout + export.stderr
    build = mkdocs_build(project, project / "site", TLSKB_SITE_URL="https://tls.example.org/kb/")
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    page = (project / "site" / "404.html").read_text(encoding="utf-8")
    local = [url for url in re.findall(r'(?:href|src)="([^"]*)"', page)
             if not url.startswith(("https://", "http://", "#", "mailto:"))]
    assert local and [url for url in local if not url.startswith("/kb/")] == [], local
    assert any(url.startswith("/kb/postgresql/") for url in local)


# --- define_env: the only hook the engine calls ---

class FakeEnv:
    """The part of mkdocs-macros' env that define_env may use, and nothing more."""

    def __init__(self, project_dir: Path, page_url: str, conf: dict | None = None):
        self.project_dir = str(project_dir)
        self.page = SimpleNamespace(url=page_url)
        self.conf = conf or {}
        self.macros: dict = {}

    def macro(self, function, name):
        assert name not in self.macros, f"{name} registered twice"
        self.macros[name] = function


def test_define_env_registers_exactly_the_page_macros():
    from macros import define_env
    env = FakeEnv(ROOT, "postgresql/13/")
    define_env(env)
    assert set(env.macros) == EXPECTED_MACROS


def test_registered_macros_render_with_links_relative_to_the_page():
    from macros import define_env
    env = FakeEnv(ROOT, "postgresql/13/")
    define_env(env)
    html = env.macros["tlskb_table"]("openssl-protocols")
    assert 'href="../../openssl/3.0/"' in html
    assert "<h1" not in html and "# OpenSSL 3.0" in env.macros["tlskb_openssl_page"]("3.0")
    assert env.macros["tlskb_postgresql_page"]("13").startswith("# PostgreSQL 13\n")
    assert "<table" in env.macros["tlskb_protocols"]()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", env.macros["tlskb_as_of"]())


@pytest.mark.parametrize("name, args, message", [
    ("tlskb_table", ("nope",), "docs: macro-call: tlskb_table('nope'): unknown table 'nope'; known: "),
    ("tlskb_postgresql_page", ("7.4",), "docs: macro-call: tlskb_postgresql_page('7.4'): no data file for PostgreSQL 7.4"),
    ("tlskb_as_of", ("extra",), "docs: macro-call: tlskb_as_of('extra'): "),
])
def test_a_failing_macro_raises_one_line_naming_the_macro(name, args, message):
    from macros import define_env
    from macros.render.engine import MacroCallError
    env = FakeEnv(ROOT, "settings/")
    define_env(env)
    with pytest.raises(MacroCallError) as caught:
        env.macros[name](*args)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_define_env_with_broken_data_raises_the_build_failure(tmp_path, data_copy):
    from macros import define_env
    from macros.render.engine import BuildFailure
    (data_copy / "openssl" / "3.0.yaml").write_text("", encoding="utf-8")
    with pytest.raises(BuildFailure) as caught:
        define_env(FakeEnv(data_copy.parent, ""))
    assert f"{data_copy}/openssl/3.0.yaml:1:1: yaml-empty: " in str(caught.value)


def test_define_env_with_a_site_url_that_is_not_http_raises_the_build_failure(data_copy):
    from macros import define_env
    from macros.render.engine import BuildFailure
    with pytest.raises(BuildFailure, match="site_url must start with https:// or http://"):
        define_env(FakeEnv(data_copy.parent, "", {"site_url": "ftp://example.org/"}))


def test_define_env_with_a_bad_pinned_date_raises_the_build_failure(data_copy, monkeypatch):
    from macros import define_env
    from macros.render.engine import BuildFailure
    monkeypatch.setenv("TLSKB_TODAY", "soon")
    with pytest.raises(BuildFailure) as caught:
        define_env(FakeEnv(data_copy.parent, ""))
    assert str(caught.value) == "TLSKB_TODAY='soon' is not a date (YYYY-MM-DD)"  # once, not per rule


def test_define_env_once_per_page_reads_and_hashes_the_data_once(data_copy, monkeypatch):
    # Zensical calls define_env for every page; the data and its hash are computed once per change.
    from macros import define_env
    from macros import site
    from macros.export import site_block
    hashed = []

    def counting(data_dir):
        hashed.append(data_dir)
        return "0" * 64
    monkeypatch.setattr(site_block, "data_sha256", counting)
    conf = {"site_name": "KB", "site_url": "https://example.org/kb/"}
    for page in ("", "postgresql/13/", "openssl/3.0/"):
        define_env(FakeEnv(data_copy.parent, page, conf))
    assert len(hashed) == 1
    define_env(FakeEnv(data_copy.parent, "", dict(conf, site_url="https://example.org/other/")))
    assert len(hashed) == 2  # another site_url is another context
    os.utime(data_copy / "protocols.yaml", ns=(1, 1))
    define_env(FakeEnv(data_copy.parent, "", conf))
    assert len(hashed) == 3  # a changed data file is read again
    assert site.dataset_for(data_copy, conf)[1].root == "https://example.org/kb/"


def search_index(site: Path) -> dict:
    import json
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_platform_tabs_are_searchable_once(site, dataset):
    """The platform tabs and the words before them repeat on every version page; search indexes
    them on the home page only, so a search for OPENSSLDIR does not list 13 version pages first."""
    docs = search_index(site)["docs"]
    config_files = [platform.config_file for platform in dataset.platforms.platforms]
    found = {doc["location"].split("#")[0] for doc in docs
             if all(name in doc["text"] for name in config_files)}
    assert found == {""}, found
    repeated = {doc["location"].split("#")[0] for doc in docs if "OPENSSLDIR" in doc["text"]}
    assert not any(page.startswith("postgresql/") for page in repeated), sorted(repeated)
    assert "" in repeated  # the home page's copy is still found


# A version number in prose: 16.4, 1.1.1, 127.0.0.1; not 1.1.1w (an OpenSSL letter release).
VERSION = re.compile(r"(?<![\w.])\d+(?:\.\d+)+(?!\w|\.\w)")


def index_words(doc: dict, separator: re.Pattern) -> set[str]:
    """The words the theme's search indexes for a document: its text without tags, split by the
    index's own separator (the search worker does the same), lowercased."""
    text = re.sub(r"<[^>]+>", " ", doc["text"])
    return {word.lower() for word in separator.split(text) if word}


def test_version_numbers_are_indexed_whole(site, dataset):
    """"16.4" is one word in the index: not split at the dot, and not glued to the punctuation
    around it ("(16.4)," would not be found by a search for 16.4)."""
    index = search_index(site)
    separator = re.compile(index["config"]["separator"])
    checked, broken = 0, set()
    for doc in index["docs"]:
        words = index_words(doc, separator)
        for version in VERSION.findall(re.sub(r"<[^>]+>", " ", doc["text"])):
            checked += 1
            if version not in words:
                broken.add((version, doc["location"]))
    assert checked > 1000  # version numbers are there to be checked
    assert not broken, sorted(broken)[:10]
    latest = dataset.pg("16").latest.version
    page = [doc for doc in index["docs"] if doc["location"] == "postgresql/16/"]
    assert latest in index_words(page[0], separator)



# --- a wrong call that never reaches our macros: Jinja's own errors, in the same one line ---

def jinja_error(source: str):
    import jinja2
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)  # on_undefined: strict
    try:
        environment.from_string(source).render(tlskb_table=lambda name: name)
    except jinja2.TemplateError as error:
        return error
    raise AssertionError("the template rendered")


def page_at(path: Path, src_path: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_path=src_path, abs_src_path=str(path)))


def test_a_misspelt_macro_gives_one_line_with_the_file_line_and_a_suggestion(tmp_path):
    from macros.render.engine import template_error_line
    body = "# Settings\n\nText.\n\n{{ tlskb_tabel(\"x\") }}\n"
    source = tmp_path / "settings.md"
    source.write_text("---\ntitle: Settings\n---\n" + body, encoding="utf-8")  # front matter: 3 lines
    line = template_error_line(jinja_error(body), body, page_at(source, "settings.md"),
                               ["tlskb_table", "tlskb_as_of"])
    assert line.startswith("docs/settings.md:8:4: macro-call: 'tlskb_tabel' is undefined; did you mean tlskb_table")


def test_broken_template_syntax_gives_one_line(tmp_path):
    from macros.render.engine import template_error_line
    body = "Text.\n{{ tlskb_table(\"x\" }}\n"
    source = tmp_path / "page.md"
    source.write_text(body, encoding="utf-8")
    line = template_error_line(jinja_error(body), body, page_at(source, "page.md"))
    assert line.startswith("docs/page.md:2:1: macro-call: unexpected '}'") and "\n" not in line


def test_mkdocs_macros_prints_jinja_errors_in_the_projects_line():
    from jinja2 import TemplateSyntaxError, UndefinedError
    from mkdocs_macros.errors import format_error
    from macros.render.engine import report_macro_errors_in_one_line
    report_macro_errors_in_one_line(["tlskb_table"])
    page = page_at(Path("/nonexistent.md"), "x.md")
    for error in (UndefinedError("'tlskb_tabel' is undefined"), TemplateSyntaxError("unexpected '}'", 1)):
        printed = format_error(error, "{{ tlskb_tabel() }}", page)
        assert printed.startswith("docs/x.md:1:") and "Traceback" not in printed, printed
