"""`python -m macros new`: a stranger adds a version by following CONTRIBUTING.md alone.

Each test works in a private copy of the project (mkdocs.yml, docs/, macros/, data/), runs the
command as a contributor would, and fills the placeholders the way the template's comments say.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from sandbox import copy_project

import macros.tools.scaffold as scaffold
from macros.check.runner import check_data
from macros.export.siteconfig import read_config
from macros.tools.scaffold import (
    KINDS,
    ScaffoldError,
    nav_with,
    plan,
    protocol_ids,
    render_data_file,
)

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
TEMPLATE_BLOCK = re.compile(r"<!-- template: (?P<name>[^>]+) -->\n```yaml\n(?P<body>.*?)```\n", re.S)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True,
                            timeout=600)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def new(root: Path, kind: str, version: str) -> subprocess.CompletedProcess:
    return run(root, "-m", "macros", "new", kind, version)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for part in ("data", "docs", "mkdocs.yml") for p in sorted((root / part).rglob("*"))
            if p.is_file()} | {"mkdocs.yml": (root / "mkdocs.yml").read_bytes()}


# --- filling in, as the template's comments tell a contributor to --------------------------

# What a newer version does with each protocol, with the `enable:` that "off" needs.
CELLS = {"SSLv2": ("unsupported", None), "SSLv3": ("unsupported", None),
         "TLSv1": ('"off"', "Set `ssl_min_protocol_version = 'TLSv1'` and lower the OpenSSL security level."),
         "TLSv1.1": ('"off"', "Set `ssl_min_protocol_version = 'TLSv1.1'` and lower the OpenSSL security level."),
         "TLSv1.2": ('"on"', None), "TLSv1.3": ('"on"', None)}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each `"FILL-IN: ..."` by its value: by key name, cell statuses by protocol, and
    source URLs by the example URL the placeholder gives."""
    lines, protocol = [], None
    for line in text.splitlines():
        cell = re.match(r"^  (\S+):$", line)
        if cell:
            protocol = cell.group(1)
        placeholder = re.match(r'^(?P<lead>\s*(?:- )?)(?P<key>\w+): "FILL-IN: (?P<hint>[^"]*)"$', line)
        if placeholder:
            lead, key, hint = placeholder["lead"], placeholder["key"], placeholder["hint"]
            if key == "status" and protocol in CELLS:
                status, enable = CELLS[protocol]
                line = f"{lead}status: {status}"
                if enable:
                    line += f"\n{' ' * len(lead)}enable: {enable}"
            elif key == "url":
                line = f"{lead}url: {hint if hint.startswith('https://') else values['url']}"
            else:
                line = f"{lead}{key}: {values[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


POSTGRESQL_VALUES = {"reviewed": '"2026-11-29"', "series": '"1.1.1"', "documented": "true",
                     "url": "https://www.postgresql.org/docs/20/release-20.html"}
OPENSSL_VALUES = {"released": '"2027-04-07"', "eol": '"2028-05"', "lts": "false",
                  "reviewed": '"2026-11-29"', "version": '"4.2.0"', "date": '"2027-04-07"',
                  "ref": "openssl-4.2.0", "value": "2"}


def fill_file(path: Path, values: dict[str, str]) -> None:
    path.write_text(fill(path.read_text(encoding="utf-8"), values), encoding="utf-8")


def placeholder_count(path: Path) -> int:
    """Placeholders in values (the header comment mentions the marker too)."""
    return sum('"FILL-IN:' in line for line in path.read_text(encoding="utf-8").splitlines()
               if not line.lstrip().startswith("#"))


def problems_of(root: Path) -> list[str]:
    _, problems = check_data(root / "data")
    return [str(p) for p in problems]


# --- the whole path: new, fill in, check, build, describe ---------------------------------

@pytest.mark.build
def test_a_new_postgresql_beta_goes_from_new_to_a_built_page_and_a_diff(project):
    """A full build of its own: only building the scaffolded major shows that `new` plus filling in
    gives a page MkDocs accepts in strict mode (nav entry, page stub, data file together)."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base"],
                   cwd=project, check=True)

    result = new(project, "postgresql", "20")
    assert result.returncode == 0, result.stderr
    assert "created data/postgresql/20.yaml" in result.stdout
    data_file = project / "data/postgresql/20.yaml"
    page = project / "docs/postgresql/20.md"
    assert page.read_text(encoding="utf-8") == (ROOT / "docs/postgresql/19.md").read_text(
        encoding="utf-8").replace("19", "20")
    nav = read_config(project / "mkdocs.yml")["nav"]
    versions = next(group["PostgreSQL versions"] for group in nav if "PostgreSQL versions" in group)
    assert list(versions[-2:]) == [{"19": "postgresql/19.md"}, {"20": "postgresql/20.md"}]

    # Unfilled: the check refuses, naming every placeholder and nothing else, in one run.
    check = run(project, "-m", "macros", "check")
    assert check.returncode == 1
    reported = check.stdout.splitlines()
    assert len(reported) == placeholder_count(data_file) > 10
    assert all(": placeholder: " in line and line.startswith("data/postgresql/20.yaml:") for line in reported)

    fill_file(data_file, POSTGRESQL_VALUES)
    check = run(project, "-m", "macros", "check")
    assert check.returncode == 0, check.stdout

    site = project / "site"
    build = run(project, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site))
    assert build.returncode == 0, build.stdout + build.stderr
    html = (site / "postgresql/20/index.html").read_text(encoding="utf-8")
    assert "PostgreSQL 20" in html and "Data file: data/postgresql/20.yaml" in html
    assert ">20<" in (site / "postgresql/index.html").read_text(encoding="utf-8")

    diff = run(project, "-m", "macros", "diff")
    assert diff.returncode == 0, diff.stderr
    assert "- Added **PostgreSQL** `20`: `status`: `beta`;" in diff.stdout
    assert "- New row `20`: `SSL 2.0`: `Not supported`;" in diff.stdout


def test_a_new_openssl_series_passes_the_check_once_filled_in(project):
    result = new(project, "openssl", "4.2")
    assert result.returncode == 0, result.stderr
    assert (project / "docs/openssl/4.2.md").read_text(encoding="utf-8").endswith('{{ tlskb_openssl_page("4.2") }}\n')
    assert problems_of(project) and all(": placeholder: " in p for p in problems_of(project))
    fill_file(project / "data/openssl/4.2.yaml", OPENSSL_VALUES)
    assert problems_of(project) == []


def test_placeholders_are_reported_in_the_same_run_as_schema_errors(project):
    assert new(project, "openssl", "4.2").returncode == 0
    path = project / "data/openssl/4.2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('series: "4.2"', 'series: 4.2'), encoding="utf-8")
    problems = problems_of(project)
    assert any(": schema: series: expected a string" in p for p in problems)
    assert sum(": placeholder: " in p for p in problems) == placeholder_count(path) > 10


def test_a_half_filled_file_still_fails(project):
    assert new(project, "postgresql", "20").returncode == 0
    path = project / "data/postgresql/20.yaml"
    text = fill(path.read_text(encoding="utf-8"), POSTGRESQL_VALUES)
    path.write_text(text.replace("status: unsupported", 'status: "FILL-IN: on or off"', 1), encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in problems_of(project)] == [
        'placeholder: replace the placeholder "FILL-IN: on or off" with the real value']


# --- refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind, version, message", [
    ("postgresql", "19", "PostgreSQL 19 already exists: edit data/postgresql/19.yaml"),
    ("openssl", "4.1", "OpenSSL 4.1 already exists: edit data/openssl/4.1.yaml"),
    ("postgresql", "20.1", "'20.1' is not a PostgreSQL major version"),
    ("postgresql", "8.4", "'8.4' is not a PostgreSQL major version"),
    ("postgresql", "twenty", "'twenty' is not a PostgreSQL major version"),
    ("openssl", "3.0.19", "'3.0.19' is not an OpenSSL release series"),
    ("openssl", "1.0.2u", "'1.0.2u' is not an OpenSSL release series"),
    ("openssl", "3.06", "write '3.6', not '3.06'"),
])
def test_refusals_say_why_and_write_nothing(project, kind, version, message):
    before = snapshot(project)
    result = new(project, kind, version)
    assert result.returncode == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert snapshot(project) == before


def test_outside_the_repository_it_says_where_to_run_it(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "macros", "new", "postgresql", "20"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "run this from the repository's top folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_stray_page_stub_is_refused(project):
    (project / "docs/postgresql/20.md").write_text("stray\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="docs/postgresql/20.md already exists"):
        plan(project, "postgresql", "20")


def test_a_failed_write_leaves_no_half_created_version(project, monkeypatch):
    before = snapshot(project)
    every_path = sorted(p.relative_to(project) for p in project.rglob("*"))
    real_replace = os.replace

    def failing(source, target):
        # The last of the three writes fails after its temporary file was written.
        if Path(target).name == "mkdocs.yml":
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(ScaffoldError, match="nothing was changed"):
        scaffold.create(project, "postgresql", "20")
    assert snapshot(project) == before
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == every_path  # no temporary file


# --- nav order ------------------------------------------------------------------------------

NAV = """nav:
  - Home: index.md
  - PostgreSQL versions:
      - "9.4": postgresql/9.4.md
      - "9.6": postgresql/9.6.md
      - "10": postgresql/10.md
  - OpenSSL versions:
      - "3.2": openssl/3.2.md
      - "3.9": openssl/3.9.md
  - Contribute: contribute.md
"""


def nav_versions(text: str, group: str) -> list[str]:
    nav = yaml.safe_load(text)["nav"]
    return [next(iter(entry)) for entry in next(g[group] for g in nav if isinstance(g, dict) and group in g)]


@pytest.mark.parametrize("kind, version, expected", [
    ("postgresql", "9.5", ["9.4", "9.5", "9.6", "10"]),
    ("postgresql", "11", ["9.4", "9.6", "10", "11"]),
    ("openssl", "3.10", ["3.2", "3.9", "3.10"]),  # after 3.9, although "3.10" < "3.2" as text
    ("openssl", "3.1", ["3.1", "3.2", "3.9"]),
])
def test_nav_entries_go_in_version_order(kind, version, expected):
    group = KINDS[kind].nav_section
    text = nav_with(NAV, KINDS[kind], version)
    assert nav_versions(text, group) == expected
    assert nav_versions(text, "OpenSSL versions" if kind == "postgresql" else "PostgreSQL versions") == (
        ["3.2", "3.9"] if kind == "postgresql" else ["9.4", "9.6", "10"])
    assert text.endswith("  - Contribute: contribute.md\n")


def test_nav_without_the_group_is_refused():
    with pytest.raises(ScaffoldError, match="no nav group 'OpenSSL versions:'"):
        nav_with("nav:\n  - Home: index.md\n", KINDS["openssl"], "4.2")


# --- CONTRIBUTING.md shows the templates the command writes -------------------------------

def contributing_blocks() -> dict[str, str]:
    return {m["name"]: m["body"] for m in TEMPLATE_BLOCK.finditer(CONTRIBUTING.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("kind, version", [("postgresql", "20"), ("openssl", "4.2")])
def test_contributing_shows_the_template_new_writes(kind, version):
    shown = contributing_blocks()[f"{kind} {version}"]
    written = render_data_file(KINDS[kind], version, protocol_ids(ROOT / "data"))
    assert shown == written, (f"CONTRIBUTING.md is out of date: paste the output of "
                              f"`python -m macros new --print {kind} {version}` into its block")


def test_contributing_setting_template_passes_once_filled_in(data_copy):
    template = contributing_blocks()["setting"]
    values = {"name": "ssl_example_setting", "description": "An example.", "added": '"12"',
              "from": '"12"', "default": '""', "apply": "reload"}
    server = data_copy / "settings/server.yaml"
    original = server.read_text(encoding="utf-8")
    server.write_text(original + template, encoding="utf-8")
    _, problems = check_data(data_copy)
    assert problems and {p.rule for p in problems} == {"placeholder"}
    server.write_text(original + fill(template, values), encoding="utf-8")
    _, problems = check_data(data_copy)
    assert [str(p) for p in problems] == []


def test_nav_edit_tolerates_tags_only_mkdocs_resolves():
    text = ("markdown_extensions:\n  - pymdownx.emoji:\n"
            "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n" + NAV)
    ten = '      - "10": postgresql/10.md\n'
    assert nav_with(text, KINDS["postgresql"], "11") == text.replace(ten, ten + '      - "11": postgresql/11.md\n')
