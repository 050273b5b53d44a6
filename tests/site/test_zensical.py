"""Zensical as shipped: a bare `zensical build` (no PYTHONPATH, no Makefile) on bad data ends like
`python -m macros check` does, in the project's one-line messages, and leaves no partial site/."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, skip_unless_ci
from sandbox import copy_project, run_check, run_limited

pytestmark = pytest.mark.build

ZENSICAL = ROOT / ".venv" / "bin" / "zensical"


def bare_zensical_build(project: Path):
    if not ZENSICAL.exists():
        skip_unless_ci("zensical is not installed in .venv (requirements.lock pins it)")
    # PYTHONPATH empty: Zensical must find the project's `macros` on its own, as for a user.
    return run_limited([str(ZENSICAL), "build"], project, PYTHONPATH="")


def test_bad_data_ends_the_zensical_build_with_the_checks_line_and_no_site(tmp_path):
    project = copy_project(tmp_path / "project")
    with (project / "data" / "openssl" / "3.0.yaml").open("a", encoding="utf-8") as data:
        data.write("broken: [\n")
    [line] = run_check(project).stdout.splitlines()
    assert line.startswith("data/openssl/3.0.yaml:") and ": yaml-syntax: " in line

    build = bare_zensical_build(project)
    assert build.returncode == 1, build.stderr
    assert line in build.stderr.splitlines(), build.stderr
    assert "Traceback" not in build.stderr + build.stdout
    assert "RuntimeError" not in build.stderr
    assert not (project / "site").exists(), "a failed build must not leave a partial site behind"


def test_a_wrong_macro_call_ends_the_zensical_build_in_one_line(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "site" / "old").mkdir(parents=True)  # Zensical empties site/ first: nothing old survives
    page = project / "docs" / "protocols.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ tlskb_table("no-such-table") }}\n', encoding="utf-8")
    line_number = page.read_text(encoding="utf-8").splitlines().index('{{ tlskb_table("no-such-table") }}') + 1

    build = bare_zensical_build(project)
    assert build.returncode == 1, build.stderr
    expected = (f"docs/protocols.md:{line_number}:4: macro-call: tlskb_table('no-such-table'): "
                "unknown table 'no-such-table'; known: ")
    assert [line for line in build.stderr.splitlines() if line.startswith(expected)], build.stderr
    assert "Traceback" not in build.stderr + build.stdout
    assert not (project / "site").exists()



def test_the_site_builds_with_zensical_as_shipped(tmp_path, dataset):
    """The good case, bare as a user runs it: every page of docs/ is built, with its facts in it."""
    project = copy_project(tmp_path / "project")
    build = bare_zensical_build(project)
    assert build.returncode == 0, build.stderr[-2000:]
    pages = sorted(p.relative_to(project / "docs") for p in (project / "docs").rglob("*.md"))
    missing = [str(p) for p in pages
               if not (project / "site" / ("" if p.stem == "index" else p.with_suffix("")) / "index.html").exists()
               and p.name != "404.md"]
    assert pages and not missing, missing
    latest = dataset.pg("16").latest.version
    assert latest in (project / "site" / "postgresql" / "16" / "index.html").read_text(encoding="utf-8")
