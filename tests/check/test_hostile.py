"""Broken and hostile data files end in one clear `path:line` error: no traceback, no hang, nothing run.

tests/hostile/cases.yaml lists every file of the corpus with where it goes in a copy of data/ and
the rule and line `python -m macros check` must report. Most cases are a valid baseline from
tests/hostile/valid/ with one thing broken; the baselines themselves must pass, so each case tests
exactly its own defect. The check runs as a subprocess with a timeout and a 1 GiB memory ceiling
(tests/sandbox.py). Cases with a payload (python/object tags) would create HOSTILE_MARKER if the
loader ever executed them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from sandbox import PROBLEM_LINE, copy_project, mkdocs_build, run_check

from macros.load.yamlfile import MAX_FILE_BYTES, load_file

HOSTILE = Path(__file__).parents[1] / "hostile"
CASES: dict = load_file(HOSTILE / "cases.yaml").data
BASELINES = {"settings/extra.yaml": "settings-extra.yaml", "openssl/9.9.yaml": "openssl-9.9.yaml",
             "postgresql/30.yaml": "postgresql-30.yaml"}
MARKER = "HOSTILE_MARKER"
MAX_LINE_CHARS = 600  # a clear message fits in a terminal or two, whatever the file holds
# A sample that fails at each stage (loader, schema, rules), one with an executable payload.
BUILD_SAMPLE = ["tag-python-object-apply", "alias-billion-laughs", "invalid-utf8", "impossible-date",
                "javascript-link-in-note", "contradictory-cell-pg-openssl"]


def check_output(result) -> tuple[list[str], str]:
    """The problem lines (stdout) and everything printed, after the checks every case shares."""
    printed = result.stdout + result.stderr
    assert "Traceback" not in printed, printed[-3000:]
    lines = result.stdout.splitlines()
    for line in lines:
        assert PROBLEM_LINE.fullmatch(line), f"not a `path:line:col: rule: message` line: {line[:300]!r}"
        assert len(line) <= MAX_LINE_CHARS, f"{len(line)}-character message: {line[:300]}..."
    return lines, printed


def assert_nothing_executed(*folders: Path) -> None:
    for folder in folders:
        assert not (folder / MARKER).exists(), f"a payload ran: {folder / MARKER} was created"


def test_every_file_of_the_corpus_is_in_the_manifest():
    files = {p.stem for p in HOSTILE.glob("*.yaml")} - {"cases"}
    assert files == set(CASES), (f"no entry for {sorted(files - set(CASES))}; "
                                 f"no file for {sorted(set(CASES) - files)}")
    assert len(CASES) >= 25
    for name, case in CASES.items():
        assert set(case) <= {"at", "rule", "line", "errors", "why"}, name
        assert case["at"] in BASELINES and case["rule"] and case["line"] >= 1 and case["why"], name


@pytest.mark.parametrize("at", sorted(BASELINES))
def test_baseline_is_valid(at, data_copy):
    """Each case is its baseline plus one defect: the baseline alone must pass the check."""
    shutil.copy(HOSTILE / "valid" / BASELINES[at], data_copy / at)
    result = run_check(data_copy.parent)
    lines, printed = check_output(result)
    assert result.returncode == 0, printed


def edit_loop_sample() -> set[str]:
    """The first case of each rule, and the build sample: `make test-fast` runs these; the other
    cases (a subprocess each, about 0.8 s) carry the slow marker and run in `make test`."""
    first_of_rule: dict[str, str] = {}
    for name in sorted(CASES):
        first_of_rule.setdefault(CASES[name]["rule"], name)
    return set(first_of_rule.values()) | set(BUILD_SAMPLE)


SAMPLE = edit_loop_sample()


@pytest.mark.parametrize("name", [name if name in SAMPLE else pytest.param(name, marks=pytest.mark.slow)
                                  for name in sorted(CASES)])
def test_hostile_file_ends_in_its_error(name, data_copy):
    case = CASES[name]
    shutil.copy(HOSTILE / f"{name}.yaml", data_copy / case["at"])
    result = run_check(data_copy.parent)
    lines, printed = check_output(result)
    assert result.returncode == 1, printed
    in_file = [line for line in lines if line.startswith(f"data/{case['at']}:")]
    expected = [line for line in in_file
                if PROBLEM_LINE.fullmatch(line)["line"] == str(case["line"])
                and PROBLEM_LINE.fullmatch(line)["rule"] == case["rule"]]
    assert expected, f"expected data/{case['at']}:{case['line']}: {case['rule']}, got:\n{printed}"
    assert len(in_file) == case.get("errors", 1), printed
    assert_nothing_executed(data_copy.parent, ROOT)


def test_file_of_tens_of_megabytes_is_refused_unread(data_copy):
    path = data_copy / "settings" / "extra.yaml"
    block = (HOSTILE / "valid" / "settings-extra.yaml").read_bytes()
    with path.open("wb") as handle:
        for _ in range(40 * 1024 * 1024 // len(block) + 1):  # 40 MiB of plausible YAML
            handle.write(block)
    assert path.stat().st_size > 40 * 1024 * 1024
    result = run_check(data_copy.parent)
    lines, printed = check_output(result)
    assert result.returncode == 1
    assert lines == ["data/settings/extra.yaml:1:1: file-too-large: "
                     f"larger than {MAX_FILE_BYTES // 1024} KiB; split it or trim it"], printed


def test_largest_accepted_file_full_of_errors_gives_a_bounded_report(data_copy):
    # Just under the size limit, 70,000 empty settings: 350,000 schema errors if all were listed.
    head = (HOSTILE / "valid" / "settings-extra.yaml").read_text(encoding="utf-8").split("settings:\n")[0]
    text = head + "settings:\n" + "  - {}\n" * ((MAX_FILE_BYTES - len(head) - 20) // 7)
    (data_copy / "settings" / "extra.yaml").write_text(text, encoding="utf-8")
    result = run_check(data_copy.parent)
    lines, printed = check_output(result)
    assert result.returncode == 1
    assert 1 < len(lines) <= 100, f"{len(lines)} lines"
    assert any("more than" in line and "problems" in line for line in lines), printed


def test_symlink_out_of_data_is_not_read(data_copy, tmp_path):
    # A pull request can commit a link to a file of the machine that runs the check (CI); the
    # check must not read it, or its error messages print that file's keys and values.
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: hunter2-the-secret\n", encoding="utf-8")
    (data_copy / "settings" / "extra.yaml").symlink_to(secret)
    result = run_check(data_copy.parent)
    lines, printed = check_output(result)
    assert result.returncode == 1
    assert "hunter2" not in printed, printed


@pytest.mark.build
@pytest.mark.parametrize("name", BUILD_SAMPLE)
def test_hostile_file_fails_the_site_build_cleanly(name, tmp_path):
    """A real MkDocs process (stopped by define_env before any page): only it shows that the engine
    prints the check's line, no traceback, and leaves no site; a sample, the check tests cover the rest."""
    case = CASES[name]
    project = copy_project(tmp_path / "project")
    shutil.copy(HOSTILE / f"{name}.yaml", project / "data" / case["at"])
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    printed = result.stdout + result.stderr
    assert result.returncode != 0, printed
    assert "Traceback" not in printed, printed[-3000:]
    assert f"data/{case['at']}:{case['line']}:" in printed, printed
    assert not site.exists(), "a failed build must not leave a half-written site"
    assert_nothing_executed(project, tmp_path, ROOT)
