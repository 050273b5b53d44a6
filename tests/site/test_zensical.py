"""Zensical as shipped: a bare `zensical build` (no PYTHONPATH, no Makefile) on bad data ends like
`python -m macros check` does, in the project's one-line messages, and leaves no partial site/.
The good case (the site builds, and reads as MkDocs' does) is in test_zensical_parity.py."""

from __future__ import annotations

import pytest
from sandbox import bare_zensical_build, copy_project, run_check

pytestmark = pytest.mark.build


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
