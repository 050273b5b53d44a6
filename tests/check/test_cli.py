"""`python -m macros check` as a user runs it: exit codes, the line format, and never a traceback."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys

import pytest
from conftest import ROOT

LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): "
                  r"(?P<rule>[a-z0-9]+(?:-[a-z0-9]+)*): (?P<message>\S.*)$")


def run_check(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "macros", "check", *map(str, args)], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def problem_lines(result) -> list[dict]:
    lines = result.stdout.splitlines()
    for line in lines:
        assert LINE.match(line), f"not `path:line:col: rule: message`: {line!r}"
    return [LINE.match(line).groupdict() for line in lines]


def test_clean_data_exits_0_and_prints_no_problem():
    result = run_check()
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "data OK" in result.stderr


def test_problems_exit_1_with_one_line_each(data_copy):
    path = data_copy / "openssl" / "3.0.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('eol: "2026-09-07"', 'eol: "2020-09-07"'),
                    encoding="utf-8")
    result = run_check(data_copy)
    assert result.returncode == 1
    [problem] = problem_lines(result)
    assert problem == {"path": str(path), "line": "4", "col": "6", "rule": "date-order",
                       "message": problem["message"]}
    assert "2020-09-07" in problem["message"]
    assert "1 error(s)" in result.stderr


def test_paths_are_printed_as_typed_relative_to_the_working_directory(data_copy):
    (data_copy / "openssl" / "3.1.yaml").write_text("a: [\n", encoding="utf-8")
    result = run_check("data", cwd=data_copy.parent)
    assert result.returncode == 1
    assert [p["path"] for p in problem_lines(result)] == ["data/openssl/3.1.yaml"]


def test_missing_data_dir(tmp_path):
    result = run_check(tmp_path / "nowhere")
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(tmp_path / "nowhere"), "file-missing")]


def test_a_file_given_as_data_dir():
    result = run_check(ROOT / "data" / "protocols.yaml")
    assert result.returncode == 1
    assert [p["rule"] for p in problem_lines(result)] == ["file-missing"]


def test_missing_data_folder(data_copy):
    for path in (data_copy / "settings").iterdir():
        path.unlink()
    (data_copy / "settings").rmdir()
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(data_copy / "settings"), "file-missing")]


def test_a_directory_where_a_file_should_be(data_copy):
    path = data_copy / "openssl" / "3.1.yaml"
    path.unlink()
    path.mkdir()
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(path), "file-unreadable")]


def test_unreadable_file_by_permissions(data_copy):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading; "
                    "the symlink tests below cover unreadable files")
    path = data_copy / "openssl" / "3.1.yaml"
    path.chmod(0)
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(path), "file-unreadable")]


@pytest.mark.parametrize("target", ["does-not-exist.yaml", "3.1.yaml"], ids=["dangling", "loop"])
def test_unreadable_file_through_a_symlink(data_copy, target):
    # Works as root too: opening a dangling or self-referencing link fails whatever the permissions.
    path = data_copy / "openssl" / "3.1.yaml"
    path.unlink()
    path.symlink_to(target)
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(path), "file-unreadable")]


def test_binary_garbage(data_copy):
    path = data_copy / "openssl" / "3.1.yaml"
    path.write_bytes(random.Random(1).randbytes(4096))
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(path), "yaml-encoding")]


def test_two_megabyte_file(data_copy):
    path = data_copy / "openssl" / "3.1.yaml"
    path.write_text("# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["line"], p["rule"]) for p in problem_lines(result)] == [(str(path), "1", "file-too-large")]


def test_problems_in_several_files_are_all_reported_in_order(data_copy):
    (data_copy / "openssl" / "3.1.yaml").write_text("", encoding="utf-8")
    (data_copy / "postgresql" / "13.yaml").write_bytes(b"\xff")
    result = run_check(data_copy)
    assert result.returncode == 1
    found = [(p["path"], p["rule"]) for p in problem_lines(result)]
    assert found == [(str(data_copy / "openssl" / "3.1.yaml"), "yaml-empty"),
                     (str(data_copy / "postgresql" / "13.yaml"), "yaml-encoding")]


def test_a_schema_ref_to_nowhere_is_a_problem_not_a_traceback(data_copy):
    # Valid JSON and a valid draft-07 schema; the broken $ref only shows when a file is validated.
    path = data_copy / "schemas" / "features.schema.json"
    path.write_text(path.read_text(encoding="utf-8").replace("definitions/date", "definitions/dait"),
                    encoding="utf-8")
    result = run_check(data_copy)
    assert result.returncode == 1
    assert [(p["path"], p["rule"]) for p in problem_lines(result)] == [(str(path), "schema-invalid")]


def test_usage_errors_exit_2_without_traceback():
    result = run_check("data", "extra-argument")
    assert result.returncode == 2
    assert "usage:" in result.stderr
